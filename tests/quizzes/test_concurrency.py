"""Submitting the same attempt from many places at once grades it exactly once."""

import pytest
from django.core.exceptions import ValidationError

from quizzes import services
from quizzes.models import Answer, AnswerChoice, Attempt
from tests.factories import EnrollmentFactory, UserFactory
from tests.quizzes.factories import answers_for, quiz_with_questions

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 10


def test_ten_simultaneous_submissions_of_one_attempt_grade_it_exactly_once(run_together):
    quiz = quiz_with_questions(4)
    learner = UserFactory()
    EnrollmentFactory(learner=learner, course=quiz.module.course)
    attempt = services.attempt_start(learner=learner, quiz=quiz)
    right, wrong = answers_for(attempt), answers_for(attempt, right=False)

    def submit(index):
        # Each thread loads its own copy, as each request would; half answer right.
        own = Attempt.objects.select_related("quiz__module").get(pk=attempt.pk)
        services.attempt_submit(attempt=own, answers=right if index % 2 else wrong)
        return "graded"

    results = run_together(submit, THREADS)

    graded = [r for r in results if r == "graded"]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(graded) == 1, results
    assert len(refused) == THREADS - 1, results
    assert all(error.code == "already_submitted" for error in refused)
    assert Answer.objects.filter(attempt=attempt).count() == 4
    assert AnswerChoice.objects.filter(answer__attempt=attempt).count() == 4
    final = Attempt.objects.get(pk=attempt.pk)
    assert final.score in (0, 100)
    assert Answer.objects.filter(attempt=attempt, is_correct=final.passed).count() == 4
    # Everyone who reads the attempt now sees the same result.
    seen = run_together(
        lambda i: Attempt.objects.values_list("score", "passed").get(pk=attempt.pk), THREADS
    )
    assert set(seen) == {(final.score, final.passed)}


def test_ten_simultaneous_starts_use_one_attempt_at_most(run_together):
    quiz = quiz_with_questions(2, max_attempts=1)
    learner = UserFactory()
    EnrollmentFactory(learner=learner, course=quiz.module.course)

    def begin(index):
        return services.attempt_start(learner=learner, quiz=quiz).pk

    results = run_together(begin, THREADS)
    assert not results.errors, results
    assert len(set(results)) == 1
    assert Attempt.objects.filter(learner=learner).count() == 1
