"""The knowledge check's rules: which form, once per phase, before the first lesson and
after completion, every id checked, and never a say in completion or a certificate."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from assessments import selectors, services
from assessments.models import Answer, Attempt, Form, Phase
from certificates.models import Certificate
from courses.models import Enrollment
from courses.services import enrollment_create, lesson_mark_done
from tests.assessments.factories import ItemChoiceFactory, ItemFactory, item_bank
from tests.factories import CourseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    course = CourseFactory(lessons=2)
    item_bank(course=course, per_form=2)
    return course


def _enrolled(course, learner=None):
    learner = learner or UserFactory()
    enrollment_create(learner=learner, course=course)
    return learner


def _learners_of_each_parity(course):
    """Two learners enrolled in the course, one of each parity of (learner + course)."""
    first, second = UserFactory(), UserFactory()
    assert (first.pk + course.pk) % 2 != (second.pk + course.pk) % 2
    return _enrolled(course, first), _enrolled(course, second)


def _complete(course, learner):
    for lesson in [lesson for module in course.modules.all() for lesson in module.lessons.all()]:
        lesson_mark_done(learner=learner, lesson=lesson)


def _right_choices(course, learner, phase, *, right=None):
    """{item id: choice id} for the learner's form: the right choice of the first `right`
    items (all by default), a wrong one for the others."""
    form = selectors.form_for(learner=learner, course=course, phase=phase)
    items = list(selectors.items_of(course=course, form=form))
    right = len(items) if right is None else right
    return {
        item.pk: next(c.pk for c in item.choices.all() if c.is_correct == (index < right))
        for index, item in enumerate(items)
    }


def _submit(course, learner, phase, **kwargs):
    return services.attempt_submit(
        learner=learner,
        course=course,
        phase=phase,
        choices=_right_choices(course, learner, phase, **kwargs),
    )


# --- which form ------------------------------------------------------------------------------


def test_learners_of_different_parity_get_different_forms_before_and_the_other_after(course):
    first, second = _learners_of_each_parity(course)
    pre = {person: selectors.form_for(learner=person, course=course, phase=Phase.PRE)
           for person in (first, second)}  # fmt: skip
    assert set(pre.values()) == {Form.A, Form.B}
    for person in (first, second):
        attempt = _submit(course, person, Phase.PRE)
        assert attempt.form == pre[person]
        _complete(course, person)
        after = _submit(course, person, Phase.POST)
        assert after.form == pre[person].other


def test_the_same_learner_always_gets_the_same_form(course):
    learner = _enrolled(course)
    forms = {selectors.form_for(learner=learner, course=course, phase=Phase.PRE) for _ in "abc"}
    assert len(forms) == 1


def test_a_learner_with_no_check_before_gets_the_other_of_their_would_be_form(course):
    learner = _enrolled(course)
    would_be = selectors.form_for(learner=learner, course=course, phase=Phase.PRE)
    _complete(course, learner)
    assert _submit(course, learner, Phase.POST).form == would_be.other


def test_the_forms_are_balanced_over_learners(course):
    forms = [
        selectors.form_for(learner=UserFactory(), course=course, phase=Phase.PRE) for _ in range(10)
    ]
    assert forms.count(Form.A) == forms.count(Form.B) == 5


# --- recording -------------------------------------------------------------------------------


def test_an_attempt_records_its_answers_and_score_in_one_go(course):
    learner = _enrolled(course)
    attempt = _submit(course, learner, Phase.PRE, right=1)
    n = 2 * course.modules.count()
    assert (attempt.item_count, attempt.correct_count) == (n, 1)
    assert attempt.score == pytest.approx(100 / n)
    assert Answer.objects.filter(attempt=attempt).count() == n
    assert Answer.objects.filter(attempt=attempt, is_correct=True).count() == 1


def test_unanswered_items_are_allowed_and_count_as_not_right(course):
    learner = _enrolled(course)
    choices = _right_choices(course, learner, Phase.PRE)
    first_item = next(iter(choices))
    attempt = services.attempt_submit(
        learner=learner, course=course, phase=Phase.PRE, choices={first_item: choices[first_item]}
    )
    assert (attempt.correct_count, attempt.item_count) == (1, len(choices))
    assert attempt.answers.count() == 1


def test_a_check_is_taken_once_per_phase_and_the_first_stands(course):
    learner = _enrolled(course)
    _submit(course, learner, Phase.PRE, right=0)
    with pytest.raises(ValidationError) as error:
        _submit(course, learner, Phase.PRE)
    assert error.value.messages == [str(services.ERROR_ALREADY_TAKEN)]
    assert Attempt.objects.get().correct_count == 0


def test_two_submissions_at_once_give_the_same_refusal(course, monkeypatch):
    """The constraint catches what the check before it missed (the other was not saved yet)."""
    learner = _enrolled(course)
    _submit(course, learner, Phase.PRE)
    monkeypatch.setattr(selectors, "attempts_of", lambda **kwargs: {})
    with pytest.raises(ValidationError) as error:
        _submit(course, learner, Phase.PRE)
    assert error.value.messages == [str(services.ERROR_ALREADY_TAKEN)]
    assert Attempt.objects.count() == 1
    assert isinstance(error.value.__cause__, IntegrityError)


def test_the_check_before_closes_once_a_lesson_is_done(course):
    learner = _enrolled(course)
    lesson = course.modules.first().lessons.first()
    lesson_mark_done(learner=learner, lesson=lesson)
    with pytest.raises(ValidationError) as error:
        _submit(course, learner, Phase.PRE)
    assert error.value.messages == [str(services.ERROR_PRE_CLOSED)]
    assert not Attempt.objects.exists()


def test_the_check_after_opens_only_once_the_course_is_complete(course):
    learner = _enrolled(course)
    with pytest.raises(ValidationError) as error:
        _submit(course, learner, Phase.POST)
    assert error.value.messages == [str(services.ERROR_POST_NOT_YET)]
    _complete(course, learner)
    assert _submit(course, learner, Phase.POST).phase == Phase.POST


def test_a_learner_not_enrolled_cannot_take_the_check(course):
    with pytest.raises(ValidationError) as error:
        _submit(course, UserFactory(), Phase.PRE)
    assert error.value.messages == [str(services.ERROR_NOT_ENROLLED)]
    assert not Attempt.objects.exists()


def _other_form_item(course, learner):
    form = selectors.form_for(learner=learner, course=course, phase=Phase.PRE)
    return selectors.items_of(course=course, form=form.other).first()


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        ("item of the other form", services.ERROR_UNKNOWN_ITEM),
        ("item of another course", services.ERROR_UNKNOWN_ITEM),
        ("unknown item", services.ERROR_UNKNOWN_ITEM),
        ("choice of another item", services.ERROR_UNKNOWN_CHOICE),
        ("unknown choice", services.ERROR_UNKNOWN_CHOICE),
    ],
)
def test_wrong_ids_refuse_the_whole_attempt_and_save_nothing(course, tamper, message):
    learner = _enrolled(course)
    choices = _right_choices(course, learner, Phase.PRE)
    first, second = list(choices)[:2]
    if tamper == "item of the other form":
        item = _other_form_item(course, learner)
        choices[item.pk] = item.choices.first().pk
    elif tamper == "item of another course":
        item = ItemFactory()
        choices[item.pk] = item.choices.first().pk
    elif tamper == "unknown item":
        choices[999_999] = choices[first]
    elif tamper == "choice of another item":
        choices[first] = choices[second]
    else:
        choices[first] = ItemChoiceFactory().pk + 1000
    with pytest.raises(ValidationError) as error:
        services.attempt_submit(learner=learner, course=course, phase=Phase.PRE, choices=choices)
    assert error.value.messages == [str(message)]
    assert not Attempt.objects.exists()
    assert not Answer.objects.exists()


def test_a_course_without_items_has_no_check():
    course = CourseFactory(lessons=1)
    learner = _enrolled(course)
    with pytest.raises(ValidationError) as error:
        services.attempt_submit(learner=learner, course=course, phase=Phase.PRE, choices={})
    assert error.value.messages == [str(services.ERROR_NO_ITEMS)]


# --- never a say in completion or a certificate ----------------------------------------------


def _completion_and_certificate(course, learner):
    enrollment = Enrollment.objects.get(learner=learner, course=course)
    certificate = Certificate.objects.filter(holder=learner, course=course).first()
    return enrollment.completed_at is not None, certificate is not None


@pytest.mark.parametrize(
    ("bank", "taken"),
    [(False, False), (True, False), (True, True)],
    ids=["no check", "check not taken", "check taken"],
)
def test_completion_and_certificate_come_whether_or_not_checks_exist_or_are_taken(bank, taken):
    course = CourseFactory(lessons=2)
    if bank:
        item_bank(course=course)
    learner = _enrolled(course)
    if taken:
        _submit(course, learner, Phase.PRE, right=0)
    _complete(course, learner)
    assert _completion_and_certificate(course, learner) == (True, True)


def test_taking_the_checks_changes_nothing_in_enrollments_or_certificates(course):
    learner = _enrolled(course)
    _submit(course, learner, Phase.PRE, right=0)
    _complete(course, learner)

    def state():
        enrollment = Enrollment.objects.values().get(learner=learner, course=course)
        return enrollment, list(Certificate.objects.values().order_by("pk"))

    before = state()
    _submit(course, learner, Phase.POST)
    assert state() == before
