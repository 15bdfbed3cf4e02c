"""Writes of the quizzes app: starting an attempt, and grading it (once)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses import hooks
from courses.models import Enrollment
from courses.services import enrollment_update_completion
from quizzes import selectors, signals
from quizzes.models import Answer, AnswerChoice, Attempt, AttemptQuestion, Question, Quiz
from quizzes.selectors import AttemptQuestionView

ERROR_NOT_ENROLLED = _("Enroll in the course before taking its quizzes.")
ERROR_ALREADY_PASSED = _("You have already passed this quiz.")
ERROR_PRACTICE_BEFORE_PASS = _("Practice opens once you have passed this quiz.")
ERROR_NO_ATTEMPTS_LEFT = _("You have used every attempt allowed for this quiz.")
ERROR_NO_QUESTIONS = _("This quiz has no questions yet. Please come back later.")
ERROR_MISSING_ANSWER = _("Answer this question.")
ERROR_FOREIGN_CHOICE = _("That choice is not one of this question’s choices.")
ERROR_SEVERAL_CHOICES_FOR_SINGLE = _("Choose only one answer to this question.")
ERROR_UNKNOWN_QUESTION = _("An answer was sent for a question that is not part of this attempt.")
ERROR_ALREADY_SUBMITTED = _("This attempt was already submitted: here is its result.")
ERROR_PAST_LIMIT = _("This attempt is beyond the number of attempts allowed for this quiz.")
ERROR_EARLIER_CYCLE = _(
    "This attempt belongs to an earlier round of the course. Start a new attempt."
)


@transaction.atomic
def attempt_start(*, learner, quiz: Quiz, practice: bool = False) -> Attempt:
    """Start an attempt at the quiz, or return the learner's attempt still in progress.

    Once the quiz is passed in the cycle, only a `practice` attempt may start: it is
    graded and shown like any other and changes no recorded result, nor uses one of the
    attempts allowed. A practice attempt before a pass is refused (`not_passed`).

    The questions given are fixed now, from the learner's workplace: grading uses exactly
    these even if the workplace changes meanwhile. The enrollment row is locked so that
    two starts at once cannot both take the last attempt; the unique (learner, quiz,
    cycle, number) constraint backs this up.
    """
    enrollment = (
        Enrollment.objects.select_for_update()
        .filter(learner=learner, course_id=quiz.module.course_id)
        .first()
    )
    if enrollment is None:
        raise ValidationError(ERROR_NOT_ENROLLED, code="not_enrolled")
    attempts = list(
        Attempt.objects.filter(learner=learner, quiz=quiz, cycle=enrollment.cycle).only(
            "number", "submitted_at", "passed", "practice"
        )
    )
    open_attempt = next((a for a in attempts if a.submitted_at is None), None)
    if open_attempt is not None:
        return Attempt.objects.get(pk=open_attempt.pk)
    passed = any(a.passed and not a.practice for a in attempts)
    if passed and not practice:
        raise ValidationError(ERROR_ALREADY_PASSED, code="already_passed")
    if practice and not passed:
        raise ValidationError(ERROR_PRACTICE_BEFORE_PASS, code="not_passed")
    # Practice attempts, all after the pass, are numbered on (each meets the next
    # situation in turn); the limit counts only the recorded ones before them.
    number = max((a.number for a in attempts), default=0) + 1
    if not practice and quiz.max_attempts is not None and number > quiz.max_attempts:
        raise ValidationError(ERROR_NO_ATTEMPTS_LEFT, code="no_attempts_left")
    workplace = selectors.learner_workplace(learner)
    question_ids = list(
        selectors.questions_for(quiz=quiz, workplace=workplace, attempt_number=number).values_list(
            "pk", flat=True
        )
    )
    if not question_ids:
        raise ValidationError(ERROR_NO_QUESTIONS, code="no_questions")
    attempt = Attempt(
        learner=learner,
        quiz=quiz,
        course_id=quiz.module.course_id,
        cycle=enrollment.cycle,
        number=number,
        practice=practice,
    )
    attempt.full_clean(validate_constraints=False)
    attempt.save()
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(attempt=attempt, question_id=question_id, position=position)
        for position, question_id in enumerate(question_ids)
    )
    return attempt


def _grade(*, items: list[AttemptQuestionView], answers: Mapping[int, Iterable[int]]) -> dict:
    """{question_id: (chosen choice ids, is_correct)}; ValidationError on bad input."""
    known = {item.question.pk for item in items}
    if any(question_id not in known for question_id in answers):
        raise ValidationError(ERROR_UNKNOWN_QUESTION, code="unknown_question")
    graded = {}
    for item in items:
        question, choices = item.question, item.choices
        chosen = set(answers.get(question.pk) or ())
        if not chosen:
            raise ValidationError(ERROR_MISSING_ANSWER, code="missing_answer")
        if not chosen <= {choice.pk for choice in choices}:
            raise ValidationError(ERROR_FOREIGN_CHOICE, code="foreign_choice")
        if question.kind == Question.Kind.SINGLE and len(chosen) > 1:
            raise ValidationError(ERROR_SEVERAL_CHOICES_FOR_SINGLE, code="several_choices")
        # Single: right iff the one correct choice; multiple: iff exactly the correct set.
        correct = {choice.pk for choice in choices if choice.is_correct}
        graded[question.pk] = (chosen, chosen == correct)
    return graded


def score_percent(*, right: int, total: int) -> int:
    """Whole percent of questions right, rounded down: 79.9 % does not pass a mark of 80."""
    return right * 100 // total if total else 0


@dataclass(frozen=True)
class Grade:
    graded: dict  # {question id: (chosen choice ids, is_correct)}
    right: int
    score: int
    passed: bool


def answers_grade(
    *, quiz: Quiz, items: list[AttemptQuestionView], answers: Mapping[int, Iterable[int]]
) -> Grade:
    """Grade `answers` against `items` by the quiz's pass mark, in memory: what an
    attempt's submission records, and what an administrator's preview shows without
    recording anything. ValidationError on bad input (see `attempt_submit`)."""
    graded = _grade(items=items, answers=answers)
    right = sum(1 for _chosen, is_correct in graded.values() if is_correct)
    score = score_percent(right=right, total=len(items))
    return Grade(graded=graded, right=right, score=score, passed=score >= quiz.pass_mark)


@transaction.atomic
def attempt_submit(
    *,
    attempt: Attempt,
    answers: Mapping[int, Iterable[int]],
    items: list[AttemptQuestionView] | None = None,
) -> Attempt:
    """Grade the attempt, once, from `answers` ({question id: [choice ids]}).

    `items`: the attempt's questions with their choices
    (`selectors.attempt_questions_to_grade`), when the caller has read them already, as
    the submission view does to check its form; otherwise they are read here.

    Raises ValidationError (codes: already_submitted, earlier_cycle, past_limit,
    unknown_question, missing_answer, foreign_choice, several_choices) and saves nothing
    then. Of several submissions of the same attempt at once, the conditional UPDATE lets
    exactly one grade it; the others get `already_submitted`. A pass may complete the
    course, in this same transaction.
    """
    if attempt.submitted_at is not None:
        raise ValidationError(ERROR_ALREADY_SUBMITTED, code="already_submitted")
    quiz = attempt.quiz
    enrollment = Enrollment.objects.filter(
        learner_id=attempt.learner_id, course_id=quiz.module.course_id
    ).first()
    if enrollment is None or enrollment.cycle != attempt.cycle:
        raise ValidationError(ERROR_EARLIER_CYCLE, code="earlier_cycle")
    # Practice attempts come after the pass, numbered on: the limit is not theirs.
    if (
        not attempt.practice
        and quiz.max_attempts is not None
        and attempt.number > quiz.max_attempts
    ):
        raise ValidationError(ERROR_PAST_LIMIT, code="past_limit")

    if items is None:
        items = selectors.attempt_questions_to_grade(attempt=attempt)
    grade = answers_grade(quiz=quiz, items=items, answers=answers)
    graded, score, passed = grade.graded, grade.score, grade.passed

    now = timezone.now()
    # The row count of this UPDATE decides who grades: a concurrent submission waits for
    # the row lock, then finds submitted_at set and updates nothing.
    updated = Attempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
        submitted_at=now, score=score, passed=passed
    )
    if not updated:
        raise ValidationError(ERROR_ALREADY_SUBMITTED, code="already_submitted")
    saved = Answer.objects.bulk_create(
        Answer(attempt=attempt, question_id=question_id, is_correct=is_correct)
        for question_id, (_chosen, is_correct) in graded.items()
    )
    AnswerChoice.objects.bulk_create(
        AnswerChoice(answer=answer, choice_id=choice_id)
        for answer in saved
        for choice_id in sorted(graded[answer.question_id][0])
    )
    attempt.submitted_at, attempt.score, attempt.passed = now, score, passed
    signals.attempt_submitted.send(
        sender=Attempt, attempt=attempt, enrollment=enrollment, right=grade.right, total=len(items)
    )
    if passed and not attempt.practice:
        enrollment_update_completion(enrollment=enrollment)
    if not attempt.practice:
        hooks.progress_changed_for(
            learner_ids=[attempt.learner_id], course_ids=[enrollment.course_id]
        )
    return attempt
