"""Item analysis of a course's knowledge check for administrators: per item, how many
attempts answered it, the share right (facility), how well it separates stronger from
weaker attempts (discrimination) and the share choosing each choice.

The computation is quizzes' generic `item_statistics`; here are the check's rows. An
attempt's score is its share of right answers, `correct_count / item_count`, given to the
database in hundredths of a percent (0–10,000) so that the sums stay whole numbers; the
point-biserial correlation does not depend on the scale. Attempts before and after the
course both count unless one phase is asked for: each is one sitting of one form.
"""

import dataclasses
import datetime

from django.db.models import Case, Count, ExpressionWrapper, F, IntegerField, QuerySet, When

from assessments.models import Answer, Item
from courses.models import Course
from quizzes.item_analysis import (
    TOO_EASY_ABOVE,
    TOO_HARD_BELOW,
    ItemFigures,
    item_statistics,
    learner_workplace_expression,
    start_of,
)

SCORE_SCALE = 10_000  # the attempt's score in the rows: hundredths of a percent

__all__ = [
    "TOO_EASY_ABOVE",
    "TOO_HARD_BELOW",
    "ItemRow",
    "check_answer_rows",
    "check_item_analysis",
    "courses_with_items",
]


def courses_with_items() -> QuerySet[Course]:
    """The courses whose knowledge check has items, with their number: one query."""
    return (
        Course.objects.annotate(item_count=Count("assessment_items"))
        .filter(item_count__gt=0)
        .order_by("slug")
    )


def check_answer_rows(
    *,
    course: Course,
    phase: str = "",
    workplace: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet:
    """The rows of `item_statistics` for the course's knowledge check: every answer of its
    attempts, by phase (before or after the course), by the learner's workplace (their
    first organization's kind, else their profile's, as for quizzes) and by the day of
    submission (both ends included, in the site's time zone) when given."""
    answers = Answer.objects.filter(attempt__course=course, attempt__item_count__gt=0)
    if phase:
        answers = answers.filter(attempt__phase=phase)
    if since is not None:
        answers = answers.filter(attempt__submitted_at__gte=start_of(since))
    if until is not None:
        answers = answers.filter(
            attempt__submitted_at__lt=start_of(until + datetime.timedelta(days=1))
        )
    if workplace:
        answers = answers.alias(learner_workplace=learner_workplace_expression()).filter(
            learner_workplace=workplace
        )
    return answers.values(
        "attempt_id",
        "item_id",
        "choice_id",
        correct=Case(When(is_correct=True, then=1), default=0, output_field=IntegerField()),
        score=ExpressionWrapper(
            F("attempt__correct_count") * SCORE_SCALE / F("attempt__item_count"),
            output_field=IntegerField(),
        ),
    )


@dataclasses.dataclass(frozen=True)
class ItemRow(ItemFigures):
    item: Item


def check_item_analysis(
    *,
    course: Course,
    phase: str = "",
    workplace: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> list[ItemRow]:
    """Every item of the course's check, form by form in their order, with its figures
    (none for an item nobody answered). Four queries, whatever the number of attempts."""
    statistics = item_statistics(
        check_answer_rows(course=course, phase=phase, workplace=workplace, since=since, until=until)
    )
    items = (
        Item.objects.filter(course=course)
        .select_related("lesson__module")
        .prefetch_related("choices")
        .order_by("form", "position", "pk")
    )
    return [ItemRow.of(statistics.get(item.pk), item.choices.all(), item=item) for item in items]
