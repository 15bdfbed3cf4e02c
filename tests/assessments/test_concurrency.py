"""One attempt per phase, even when the same answers are sent several times at once
(PostgreSQL: SQLite runs one writer at a time)."""

import pytest
from django.core.exceptions import ValidationError

from assessments import selectors, services
from assessments.models import Answer, Attempt, Phase
from courses.services import enrollment_create
from tests.assessments.factories import item_bank
from tests.factories import CourseFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 6


def test_the_same_check_sent_at_once_is_recorded_once(run_together):
    course = CourseFactory(lessons=2)
    item_bank(course=course, per_form=2)
    learner = UserFactory()
    enrollment_create(learner=learner, course=course)
    form = selectors.form_for(learner=learner, course=course, phase=Phase.PRE)
    choices = {
        item.pk: item.choices.all()[0].pk for item in selectors.items_of(course=course, form=form)
    }

    results = run_together(
        lambda index: services.attempt_submit(
            learner=learner, course=course, phase=Phase.PRE, choices=choices
        ),
        THREADS,
    )
    refused = [error for error in results.errors if isinstance(error, ValidationError)]
    assert len(refused) == len(results.errors) == THREADS - 1, results
    assert {error.messages[0] for error in refused} == {str(services.ERROR_ALREADY_TAKEN)}
    attempt = Attempt.objects.get()
    assert Answer.objects.filter(attempt=attempt).count() == len(choices)
    assert Answer.objects.count() == len(choices)
