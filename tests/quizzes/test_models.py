"""What the database itself refuses, whatever code writes to it."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from courses.entries import fingerprint
from quizzes.models import ERROR_RIGHT_CHOICE_WITH_LEVEL, Choice, Question, choice_set_error
from tests.quizzes.factories import (
    AnswerChoiceFactory,
    AnswerFactory,
    AttemptFactory,
    ChoiceFactory,
    QuizFactory,
    SubmittedAttemptFactory,
)

pytestmark = pytest.mark.django_db


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


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


# --- the level of a wrong choice ------------------------------------------------------------


def test_a_right_choice_cannot_have_a_level():
    choice = ChoiceFactory(is_correct=True)
    choice.level = Choice.Level.PARTLY
    with pytest.raises(ValidationError) as error:
        choice.full_clean()
    assert error.value.messages == [str(ERROR_RIGHT_CHOICE_WITH_LEVEL)]


def test_the_migration_refingerprints_only_the_choices_nobody_edited():
    """Choices loaded before `level` existed are updated by the next load, not kept as edits."""
    migration = importlib.import_module("quizzes.migrations.0002_add_choice_level")
    loaded, edited = ChoiceFactory(), ChoiceFactory()
    loaded.curriculum_fingerprint = migration._digest(loaded, migration.OLD_FIELDS)
    edited.curriculum_fingerprint = "an edit made in the admin since the last load"
    for choice in (loaded, edited):
        choice.save(update_fields=["curriculum_fingerprint"])
    migration.refingerprint(apps, None)
    loaded.refresh_from_db()
    edited.refresh_from_db()
    assert Choice.curriculum_fields == migration.NEW_FIELDS
    assert loaded.curriculum_fingerprint == fingerprint(loaded, Choice.curriculum_fields)
    assert edited.curriculum_fingerprint == "an edit made in the admin since the last load"
