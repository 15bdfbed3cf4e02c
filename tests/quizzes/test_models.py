"""What the database itself refuses, whatever code writes to it."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from quizzes.models import Question, choice_set_error
from tests.quizzes.factories import (
    AnswerChoiceFactory,
    AnswerFactory,
    AttemptFactory,
    AttemptQuestionFactory,
    QuizFactory,
    SubmittedAttemptFactory,
)

pytestmark = pytest.mark.django_db


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_every_factory_builds_a_valid_object():
    choice = AnswerChoiceFactory()
    assert choice.answer.question.choices.filter(pk=choice.choice_id).exists()
    assert AttemptQuestionFactory().attempt.submitted_at is None


def test_two_attempts_cannot_share_a_number_in_a_cycle():
    attempt = SubmittedAttemptFactory()
    refused(
        lambda: SubmittedAttemptFactory(
            learner=attempt.learner, quiz=attempt.quiz, cycle=attempt.cycle, number=1
        )
    )
    SubmittedAttemptFactory(learner=attempt.learner, quiz=attempt.quiz, cycle=2, number=1)


def test_only_one_attempt_may_be_in_progress_per_cycle():
    attempt = AttemptFactory()
    refused(lambda: AttemptFactory(learner=attempt.learner, quiz=attempt.quiz, number=2))


def test_an_attempt_is_graded_all_at_once_or_not_at_all():
    refused(lambda: AttemptFactory(submitted_at=timezone.now()))
    refused(lambda: AttemptFactory(score=50, passed=False))
    refused(lambda: SubmittedAttemptFactory(score=101))


def test_a_question_is_answered_once_per_attempt_and_a_choice_chosen_once():
    answer = AnswerFactory()
    refused(lambda: AnswerFactory(attempt=answer.attempt, question=answer.question))
    chosen = AnswerChoiceFactory(answer=answer)
    refused(lambda: AnswerChoiceFactory(answer=answer, choice=chosen.choice))


def test_pass_mark_and_attempt_limit_are_checked():
    refused(lambda: QuizFactory(pass_mark=0))
    refused(lambda: QuizFactory(pass_mark=101))
    refused(lambda: QuizFactory(max_attempts=0))


@pytest.mark.parametrize(
    ("kind", "choices", "correct", "problem"),
    [
        (Question.Kind.SINGLE, 3, 1, None),
        (Question.Kind.SINGLE, 3, 0, "au moins un bon choix"),
        (Question.Kind.SINGLE, 3, 2, "celle-ci en a 2"),
        (Question.Kind.MULTIPLE, 3, 2, None),
        (Question.Kind.MULTIPLE, 3, 0, "au moins un bon choix"),
        (Question.Kind.MULTIPLE, 1, 1, "au moins deux choix"),
    ],
)
def test_choice_set_rule(kind, choices, correct, problem):
    error = choice_set_error(kind=kind, choice_count=choices, correct_count=correct)
    assert (error is None) if problem is None else (problem in error)
