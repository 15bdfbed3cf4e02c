import pytest
from django.db import IntegrityError

from assessments.models import Attempt, Form, Phase
from tests.assessments.factories import item_bank
from tests.factories import CourseFactory, LessonFactory, ModuleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_bank_has_items_in_both_forms_for_every_module():
    course = CourseFactory()
    for _ in range(2):
        LessonFactory(module=ModuleFactory(course=course))
    bank = item_bank(course=course)
    assert len(bank[Form.A]) == len(bank[Form.B]) == 4
    assert {item.lesson.module_id for item in bank[Form.B]} == set(
        course.modules.values_list("pk", flat=True)
    )
    assert all(item.choices.filter(is_correct=True).count() == 1 for item in bank[Form.A])


def test_a_learner_has_one_attempt_per_phase_of_a_course():
    course, learner = CourseFactory(), UserFactory()
    Attempt.objects.create(
        learner=learner, course=course, phase=Phase.PRE, form=Form.A, item_count=2, correct_count=1
    )
    with pytest.raises(IntegrityError):
        Attempt.objects.create(
            learner=learner,
            course=course,
            phase=Phase.PRE,
            form=Form.B,
            item_count=2,
            correct_count=2,
        )


def test_the_other_form_is_the_one_not_taken():
    assert Form.A.other == Form.B
    assert Form.B.other == Form.A
