"""Item analysis of a quiz for administrators: per question, how many answered it, the
share right (facility), how well it separates stronger from weaker attempts
(discrimination) and the share choosing each choice.

`item_statistics(rows)` is the computation, over a generic shape so that any set of items
can use it (the assessments' items as well as the quizzes' questions): a queryset whose
`.values()` are exactly

    attempt_id   the attempt (one person's sitting)
    item_id      the item answered in it
    correct      1 if the item was answered right, else 0
    choice_id    one choice selected for the item (NULL when none was)
    score        the attempt's total score (any number: percent, points)

with one row per selected choice (an item answered with two choices gives two rows that
repeat the first, second and fourth values). It runs two queries whatever the number of
rows: one GROUP BY item over the distinct (attempt, item) rows for the sums below, one
GROUP BY item, choice for the choice counts. The database adds; Python only combines
the handful of sums of each item.

Discrimination is the point-biserial correlation between the item's correctness x (0/1)
and the attempt's score y, which is Pearson's r computed from sums:

    r = (n·Σxy − Σx·Σy) / √((n·Σx² − (Σx)²) · (n·Σy² − (Σy)²)),   Σx² = Σx for 0/1

None when either spread is zero (everyone right, or every score equal): no correlation
exists to report. The score includes the item itself (not "corrected"), as Moodle's
default report does; with quizzes of five to ten questions this raises r a little.
"""

import dataclasses
import datetime
import math

from django.db import connection
from django.db.models import Case, F, IntegerField, OuterRef, QuerySet, Subquery, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from organizations.models import Membership
from quizzes.models import Answer, Question, Quiz

TOO_EASY_ABOVE = 0.95
TOO_HARD_BELOW = 0.30
ROW_FIELDS = ("attempt_id", "item_id", "correct", "choice_id", "score")


@dataclasses.dataclass(frozen=True)
class ItemSums:
    """The database's sums for one item, and what they give."""

    item_id: int
    attempts: int
    right: int
    sum_score: int
    sum_score_squared: int
    sum_right_score: int
    choice_counts: dict  # {choice id: attempts that selected it}

    @property
    def facility(self) -> float | None:
        return self.right / self.attempts if self.attempts else None

    @property
    def discrimination(self) -> float | None:
        n, x, y = self.attempts, self.right, self.sum_score
        spread_x = n * x - x * x
        spread_y = n * self.sum_score_squared - y * y
        if n == 0 or spread_x <= 0 or spread_y <= 0:
            return None
        return (n * self.sum_right_score - x * y) / math.sqrt(spread_x * spread_y)

    def choice_share(self, choice_id: int) -> float | None:
        return self.choice_counts.get(choice_id, 0) / self.attempts if self.attempts else None


def item_statistics(rows: QuerySet) -> dict[int, ItemSums]:
    """{item id: ItemSums} for the rows (the module docstring gives their shape); two
    queries, whatever their number."""
    sql, params = rows.values(*ROW_FIELDS).query.sql_with_params()
    columns = ", ".join(connection.ops.quote_name(name) for name in ROW_FIELDS)
    rows_sql = f"SELECT {columns} FROM ({sql}) item_rows"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT item_id, COUNT(*), SUM(correct), SUM(score),"
            " SUM(CAST(score AS BIGINT) * score), SUM(CAST(correct AS BIGINT) * score)"
            " FROM (SELECT DISTINCT attempt_id, item_id, correct, score"
            f" FROM ({rows_sql}) shaped) answers GROUP BY item_id",
            params,
        )
        sums = cursor.fetchall()
        cursor.execute(
            "SELECT item_id, choice_id, COUNT(DISTINCT attempt_id) FROM"
            f" ({rows_sql}) shaped WHERE choice_id IS NOT NULL GROUP BY item_id, choice_id",
            params,
        )
        counts: dict[int, dict[int, int]] = {}
        for item_id, choice_id, count in cursor.fetchall():
            counts.setdefault(item_id, {})[choice_id] = count
    return {
        item_id: ItemSums(
            item_id=item_id,
            attempts=int(n),
            right=int(right or 0),
            sum_score=int(sum_score or 0),
            sum_score_squared=int(squares or 0),
            sum_right_score=int(products or 0),
            choice_counts=counts.get(item_id, {}),
        )
        for item_id, n, right, sum_score, squares, products in sums
    }


# --- the quizzes' rows --------------------------------------------------------------------


def learner_workplace_expression():
    """The learner's workplace in SQL, as `selectors.learner_workplace` decides it in
    Python: their first organization's kind, else what their profile says. For any answer
    model whose `attempt` has a `learner` (the knowledge check's too)."""
    first_kind = (
        Membership.objects.filter(
            user_id=OuterRef("attempt__learner_id"),
            role__in=[Membership.Role.STAFF, Membership.Role.SUPERVISOR],
        )
        .order_by("created_at", "pk")
        .values("organization__kind")[:1]
    )
    return Coalesce(Subquery(first_kind), F("attempt__learner__workplace"))


def quiz_answer_rows(
    *,
    quiz: Quiz,
    workplace: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet:
    """The rows of `item_statistics` for a quiz: the answers of graded attempts that count
    (submitted, not practice; previews write no attempt at all), by the learner's
    workplace and by the day of submission (both ends included, in the site's time
    zone) when given."""
    answers = Answer.objects.filter(
        attempt__quiz=quiz, attempt__submitted_at__isnull=False, attempt__practice=False
    )
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
        item_id=F("question_id"),
        correct=Case(When(is_correct=True, then=1), default=0, output_field=IntegerField()),
        choice_id=F("answer_choices__choice_id"),
        score=F("attempt__score"),
    )


def start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclasses.dataclass(frozen=True)
class ChoiceRow:
    choice: object
    share: float | None


@dataclasses.dataclass(frozen=True)
class ItemFigures:
    """An item's figures and flags, whatever the item (a quiz's question here, a knowledge
    check's item in assessments): the rows of both pages are these plus their item."""

    attempts: int
    facility: float | None
    discrimination: float | None
    choices: list[ChoiceRow]

    @classmethod
    def of(cls, sums, choices, **item):
        """The row of an item from its sums in `item_statistics` (None: nobody answered
        it) and its choices in their order; `item` names the row's own item field."""
        return cls(
            **item,
            attempts=sums.attempts if sums else 0,
            facility=sums.facility if sums else None,
            discrimination=sums.discrimination if sums else None,
            choices=[
                ChoiceRow(choice, sums.choice_share(choice.pk) if sums else None)
                for choice in choices
            ],
        )

    @property
    def too_easy(self) -> bool:
        return self.facility is not None and self.facility > TOO_EASY_ABOVE

    @property
    def too_hard(self) -> bool:
        return self.facility is not None and self.facility < TOO_HARD_BELOW

    @property
    def discriminates_negatively(self) -> bool:
        return self.discrimination is not None and self.discrimination < 0


@dataclasses.dataclass(frozen=True)
class QuestionRow(ItemFigures):
    question: Question


def quiz_item_analysis(
    *,
    quiz: Quiz,
    workplace: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> list[QuestionRow]:
    """Every question of the quiz, in the quiz's order, with its figures (none for a
    question nobody answered). Four queries, whatever the number of attempts."""
    statistics = item_statistics(
        quiz_answer_rows(quiz=quiz, workplace=workplace, since=since, until=until)
    )
    questions = (
        Question.objects.filter(scenario__quiz=quiz)
        .select_related("scenario")
        .prefetch_related("choices")
        .order_by("scenario__position", "scenario_id", "position", "pk")
    )
    return [
        QuestionRow.of(statistics.get(question.pk), question.choices.all(), question=question)
        for question in questions
    ]
