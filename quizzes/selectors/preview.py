"""An administrator's preview of a quiz: the questions a learner of a given workplace
gets, and the result page of answers graded in memory. Nothing here reads or writes an
attempt: the preview has none."""

import random
from dataclasses import dataclass

from django.db.models import Prefetch

from quizzes.models import Choice, Quiz
from quizzes.selectors.attempts import (
    AttemptQuestionView,
    AttemptResult,
    ResultChoice,
    ResultItem,
    group_by_scenario,
)
from quizzes.selectors.workplace import questions_for


@dataclass(frozen=True)
class PreviewAttempt:
    """What the learner's templates read of an attempt, for a preview that has none."""

    score: int | None = None
    passed: bool = False
    practice: bool = False


def quiz_preview_items(
    *, quiz: Quiz, workplace: str, attempt_number: int = 1
) -> list[AttemptQuestionView]:
    """The questions a learner of `workplace` gets on attempt `attempt_number`, with
    their choices (correctness, feedback and the lesson to review included: the same
    items are graded and shown on the result), in three queries.

    Shuffled choices are seeded by the question alone, so the form and its result show
    the same order.
    """
    questions = (
        questions_for(quiz=quiz, workplace=workplace, attempt_number=attempt_number)
        .select_related("scenario", "lesson__module__course")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position", "pk")))
    )
    items = []
    for number, question in enumerate(questions, start=1):
        choices = list(question.choices.all())
        if quiz.shuffle_choices:
            random.Random(f"preview:{question.pk}").shuffle(choices)
        items.append(AttemptQuestionView(number=number, question=question, choices=choices))
    return items


def quiz_preview_result(*, items: list[AttemptQuestionView], grade) -> AttemptResult:
    """The result page's content for answers graded in memory (`services.answers_grade`):
    what a first attempt's result shows, with no attempt behind it."""
    results = []
    lessons_to_review = []
    for item in items:
        chosen_ids, is_correct = grade.graded[item.question.pk]
        results.append(
            ResultItem(
                number=item.number,
                question=item.question,
                is_correct=is_correct,
                choices=[ResultChoice(choice=c, chosen=c.pk in chosen_ids) for c in item.choices],
            )
        )
        lesson = item.question.lesson
        if not is_correct and lesson and lesson not in lessons_to_review:
            lessons_to_review.append(lesson)
    lessons_to_review.sort(key=lambda lesson: (lesson.module.position, lesson.position, lesson.pk))
    return AttemptResult(
        attempt=PreviewAttempt(score=grade.score, passed=grade.passed),
        groups=group_by_scenario(results),
        lessons_to_review=lessons_to_review,
        attempts_used=0,
        attempts_left=None,
        # No cycle: the result offers no "Try again" form to a learner's address.
        is_current_cycle=False,
        passed_in_cycle=False,
    )
