"""One survey response per learner and course, even when two submissions race (PostgreSQL)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from surveys import services
from surveys.models import SurveyResponse
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 6


def test_submissions_at_the_same_instant_record_one_response(run_together):
    learner, course = UserFactory(), CourseFactory(lessons=1)
    EnrollmentFactory(learner=learner, course=course, completed_at=timezone.now())

    results = run_together(
        lambda index: services.survey_response_submit(
            learner=learner,
            course=course,
            relevance=1 + index % 5,
            confidence=3,
            comment=f"réponse {index}",
        ),
        THREADS,
    )

    assert SurveyResponse.objects.filter(learner=learner, course=course).count() == 1
    recorded = [result for result in results if isinstance(result, SurveyResponse)]
    refused = [error for error in results.errors if isinstance(error, ValidationError)]
    # Exactly one caller's answers stand; every other caller is told it was already
    # answered (a clear message, not an IntegrityError that would be a 500).
    assert len(recorded) == 1
    assert len(refused) == THREADS - 1
    assert len(results.errors) == THREADS - 1
    stored = SurveyResponse.objects.get(learner=learner, course=course)
    assert stored.comment == recorded[0].comment
