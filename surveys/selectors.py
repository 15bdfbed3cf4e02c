"""Reads of the survey: what a learner answered (for themselves), and aggregates.

Supervisors get `organization_survey_aggregates` only: means, distributions and the
number of people, per course, of their organization's members, and no figure at all for
a question fewer than `settings.REPERE_MIN_REPORT_GROUP` people answered. No selector a
supervisor's page calls returns a comment or a row.
"""

import dataclasses
import datetime

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import Course
from organizations.models import Membership, Organization
from organizations.selectors import unit_ids_in
from surveys.models import RATINGS, SurveyResponse

QUESTIONS = (
    ("relevance", _("This course is relevant to my work")),
    ("confidence", _("I feel confident to act if I meet a situation like these")),
)


@dataclasses.dataclass(frozen=True)
class QuestionAggregate:
    field: str
    label: str
    count: int  # people who answered this question
    distribution: tuple[tuple[int, int], ...]  # ((rating, people), ...) for 1 to 5
    shown: bool  # False: too few people, and every figure above must not be displayed

    @property
    def mean(self) -> float | None:
        if not self.count:
            return None
        return sum(rating * people for rating, people in self.distribution) / self.count


@dataclasses.dataclass(frozen=True)
class CourseAggregate:
    course: Course
    questions: list[QuestionAggregate]


def minimum_group() -> int:
    return settings.REPERE_MIN_REPORT_GROUP


def response_of(*, learner, course: Course) -> SurveyResponse | None:
    return SurveyResponse.objects.filter(learner=learner, course=course).first()


def _counts(released: dict | None = None) -> dict:
    """The number of answers of each rating of each question; with `released`, only the
    answers it holds of each question ({field: a queryset of response ids})."""
    counts = {}
    for field, _label in QUESTIONS:
        for rating in RATINGS:
            condition = Q(**{field: rating})
            if released is not None:
                condition &= Q(pk__in=released[field])
            counts[f"{field}_{rating}"] = Count("pk", filter=condition)
    return counts


def _released(responses: QuerySet, *, field: str, minimum: int) -> QuerySet:
    """The ids of the earliest answers to `field`, per course, in whole groups of
    `minimum`: with 13 answers and a minimum of 5, the first 10. A supervisor who compares
    the figures before and after one more person answers then sees no change, and the
    change a whole new group brings mixes at least `minimum` people's answers."""
    answered = responses.filter(**{f"{field}__isnull": False}).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("course_id")],
            order_by=[F("submitted_at").asc(), F("pk").asc()],
        ),
        answers=Window(Count("pk"), partition_by=[F("course_id")]),
    )
    return answered.filter(rank__lte=F("answers") / minimum * minimum).values("pk")


def _questions(row: dict, *, minimum: int) -> list[QuestionAggregate]:
    questions = []
    for field, label in QUESTIONS:
        distribution = tuple((rating, row[f"{field}_{rating}"]) for rating in RATINGS)
        count = sum(people for _rating, people in distribution)
        shown = count >= minimum
        questions.append(
            QuestionAggregate(
                field=field,
                label=str(label),
                count=count if shown else 0,
                distribution=distribution if shown else (),
                shown=shown,
            )
        )
    return questions


def _by_course(
    responses: QuerySet, *, minimum: int, released: dict | None = None
) -> list[CourseAggregate]:
    """One query: the counts of each rating of each question, per course."""
    rows = list(responses.order_by().values("course_id").annotate(**_counts(released)))
    courses = Course.objects.in_bulk([row["course_id"] for row in rows])
    aggregates = [
        CourseAggregate(
            course=courses[row["course_id"]], questions=_questions(row, minimum=minimum)
        )
        for row in rows
    ]
    return sorted(aggregates, key=lambda aggregate: str(aggregate.course.title))


def organization_survey_aggregates(*, organization: Organization) -> list[CourseAggregate]:
    """Per course, the aggregates of the answers of the organization's members and those
    of every unit below it, each person once (two queries); a question answered by
    fewer than the minimum group has no figure, and the figures are over whole groups of
    the minimum (`_released`)."""
    members = Membership.objects.filter(
        organization_id__in=unit_ids_in(organization), user_id=OuterRef("learner_id")
    )
    responses = SurveyResponse.objects.filter(Exists(members))
    minimum = minimum_group()
    released = {
        field: _released(responses, field=field, minimum=minimum) for field, _label in QUESTIONS
    }
    return _by_course(responses, minimum=minimum, released=released)


@dataclasses.dataclass(frozen=True)
class CourseReport:
    course: Course
    responses: int
    questions: list[QuestionAggregate]
    comments: list[str]


def course_survey_report(
    *,
    course: Course,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> CourseReport:
    """For administrators: every answer to the course's survey in the date range (both
    ends included), as aggregates, and the comments' text without who wrote them or
    when (two queries)."""
    responses = SurveyResponse.objects.filter(course=course)
    if since is not None:
        responses = responses.filter(submitted_at__gte=_start_of(since))
    if until is not None:
        responses = responses.filter(submitted_at__lt=_start_of(until + datetime.timedelta(days=1)))
    row = responses.aggregate(responses=Count("pk"), **_counts())
    comments = list(responses.exclude(comment="").order_by("?").values_list("comment", flat=True))
    return CourseReport(
        course=course,
        responses=row["responses"],
        questions=_questions(row, minimum=1),
        comments=comments,
    )


def courses_with_responses() -> QuerySet[Course]:
    """The courses that have survey answers, with their number (one query)."""
    return (
        Course.objects.annotate(response_count=Count("survey_responses"))
        .filter(response_count__gt=0)
        .order_by("slug")
    )


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
