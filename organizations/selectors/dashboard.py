"""The supervisors' dashboard: one row per (member, assigned course), computed in the database.

Everything a row shows — progress, status, last activity, best quiz score, certificate
expiry — is an annotation (subqueries, `Case`/`When`), so a page of the dashboard costs the
same few queries for ten staff as for ten thousand, and the CSV export can stream the same
queryset with `.iterator()`. The page and the export format their cells with the same
`row_cells()`, so they show the same values.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from certificates.models import Certificate
from courses.models import Course, Lesson, LessonProgress
from organizations.models import Assignment, Membership, Organization
from quizzes.models import Attempt

# A certificate is "expiring" from this many days before its expiry date.
EXPIRING_WITHIN_DAYS = 30
PAGE_SIZE = 50


class Status:
    """The status of one assignment. The first rule that applies wins:

    1. overdue — not completed in the current cycle and the due date has passed;
    2. certificate expired — the latest valid (not revoked) certificate has expired;
    3. certificate expiring — it expires within EXPIRING_WITHIN_DAYS days;
    4. completed — the current cycle is complete;
    5. in progress — at least one lesson of the current cycle is done;
    6. not started.
    """

    OVERDUE = "overdue"
    EXPIRED = "expired"
    EXPIRING = "expiring"
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"

    # In order of urgency: sorting by status puts what needs action first.
    choices = [
        (OVERDUE, _("Overdue")),
        (EXPIRED, _("Certificate expired")),
        (EXPIRING, _("Certificate expiring")),
        (NOT_STARTED, _("Not started")),
        (IN_PROGRESS, _("In progress")),
        (COMPLETED, _("Completed")),
    ]
    labels = dict(choices)
    values = [value for value, _label in choices]
    # "Trained" in the completion rate: completed, with a certificate still valid.
    TRAINED = (COMPLETED, EXPIRING)
    # The badge colour of each status (classes of site.css).
    badges = {
        OVERDUE: "danger",
        EXPIRED: "danger",
        EXPIRING: "warn",
        NOT_STARTED: "neutral",
        IN_PROGRESS: "neutral",
        COMPLETED: "done",
    }

    @classmethod
    def rank(cls, value: str) -> int:
        """The database computes the rank (an integer, cheap to sort and group on)."""
        return cls.values.index(value)

    @classmethod
    def at(cls, rank: int) -> str:
        return cls.values[rank]


def _localized_course_title():
    """The course title in the current language, falling back to French like the site."""
    language = (get_language() or "fr")[:2]
    if language == "fr":
        return F("course__title_fr")
    return Coalesce(
        NullIf(F(f"course__title_{language}"), Value("")),
        F("course__title_fr"),
        output_field=CharField(),
    )


def _count(queryset, group_by: str):
    return Coalesce(
        Subquery(
            queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def assignment_rows(*, today: datetime.date | None = None) -> QuerySet[Assignment]:
    """Every assignment of a current member of its organization, annotated with
    `lesson_count`, `done_count`, `progress` (0–100), `completed_at`, `last_activity_at`,
    `best_score`, `certificate_expires_on` and `status_rank` (see Status.at), plus the
    `learner_name`, `learner_email` and `course_title` to show."""
    today = today or timezone.localdate()
    rows = Assignment.objects.filter(
        Exists(
            Membership.objects.filter(
                organization_id=OuterRef("organization_id"), user_id=OuterRef("learner_id")
            )
        )
    ).annotate(
        # One enrollment per learner and course: a join, not a subquery per column.
        enrollment=FilteredRelation(
            "learner__enrollments", condition=Q(learner__enrollments__course=F("course"))
        ),
        learner_name=F("learner__full_name"),
        learner_email=F("learner__email"),
        course_title=_localized_course_title(),
        lesson_count=_count(
            Lesson.objects.filter(module__course_id=OuterRef("course_id")), "module__course_id"
        ),
        done_count=_count(
            LessonProgress.objects.filter(
                learner_id=OuterRef("learner_id"),
                lesson__module__course_id=OuterRef("course_id"),
            ),
            "learner_id",
        ),
        completed_at=F("enrollment__completed_at"),
        last_activity_at=F("enrollment__last_activity_at"),
        best_score=_best_score(),
        certificate_expires_on=_certificate_expires_on(),
    )
    rank = Status.rank
    return rows.annotate(
        progress=Case(
            When(completed_at__isnull=False, then=Value(100)),
            When(lesson_count=0, then=Value(0)),
            default=F("done_count") * 100 / F("lesson_count"),
            output_field=IntegerField(),
        ),
        # One CASE, computed once per row: a text status derived from it with another
        # CASE would repeat every subquery in it for each comparison.
        status_rank=Case(
            When(
                Q(completed_at__isnull=True, due_on__lt=today),
                then=Value(rank(Status.OVERDUE)),
            ),
            When(certificate_expires_on__lt=today, then=Value(rank(Status.EXPIRED))),
            When(
                certificate_expires_on__lte=today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS),
                then=Value(rank(Status.EXPIRING)),
            ),
            When(completed_at__isnull=False, then=Value(rank(Status.COMPLETED))),
            When(done_count__gt=0, then=Value(rank(Status.IN_PROGRESS))),
            default=Value(rank(Status.NOT_STARTED)),
            output_field=IntegerField(),
        ),
    )


def _best_score():
    """The best score of the learner's submitted attempts at the course's quizzes, every
    cycle included."""
    return Subquery(
        Attempt.objects.filter(
            learner_id=OuterRef("learner_id"),
            quiz__module__course_id=OuterRef("course_id"),
            submitted_at__isnull=False,
        )
        .order_by()
        .values("learner_id")
        .annotate(best=Max("score"))
        .values("best"),
        output_field=IntegerField(),
    )


def _certificate_expires_on():
    """The expiry date of the learner's latest certificate for the course not revoked."""
    return Subquery(
        Certificate.objects.filter(
            holder_id=OuterRef("learner_id"),
            course_id=OuterRef("course_id"),
            revoked_at__isnull=True,
        )
        .order_by("-issued_at", "-pk")
        .values("expires_on")[:1],
        output_field=DateField(),
    )


# --- the table: columns, sorting, cells ---------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    field: str  # the annotation sorted on

    @property
    def descending_key(self) -> str:
        return f"-{self.key}"


COLUMNS = [
    Column("name", _("Name"), "learner_name"),
    Column("email", _("E-mail"), "learner_email"),
    Column("course", _("Course"), "course_title"),
    Column("status", _("Status"), "status_rank"),
    Column("progress", _("Progress (%)"), "progress"),
    Column("due", _("Due on"), "due_on"),
    Column("completed", _("Completed on"), "completed_at"),
    Column("expires", _("Certificate expires on"), "certificate_expires_on"),
    Column("activity", _("Last activity"), "last_activity_at"),
    Column("score", _("Best quiz score (%)"), "best_score"),
]
SORT_FIELDS = {column.key: column.field for column in COLUMNS}
SORT_CHOICES = [(column.key, column.label) for column in COLUMNS] + [
    (column.descending_key, column.label) for column in COLUMNS
]
DEFAULT_SORT = "status"
ROW_FIELDS = (
    "pk",
    "learner_id",
    "course_id",
    "learner_name",
    "learner_email",
    "course_title",
    "status_rank",
    "progress",
    "due_on",
    "completed_at",
    "certificate_expires_on",
    "last_activity_at",
    "best_score",
)


def _ordering(sort: str):
    descending = sort.startswith("-")
    field = SORT_FIELDS.get(sort.lstrip("-"), SORT_FIELDS[DEFAULT_SORT])
    expression = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    # Ties are broken by name then id, so that pages never overlap or skip a row.
    return [expression, "learner_name", "pk"]


def dashboard_rows(
    *,
    organization: Organization,
    course: Course | None = None,
    status: str = "",
    search: str = "",
    sort: str = DEFAULT_SORT,
    today: datetime.date | None = None,
) -> QuerySet:
    """The dashboard's rows (dicts of ROW_FIELDS) under the given filters, sorted.

    The page paginates this queryset and the export iterates over it: they cannot differ.
    """
    rows = assignment_rows(today=today).filter(organization=organization)
    if course is not None:
        rows = rows.filter(course=course)
    if status:
        rows = rows.filter(status_rank=Status.rank(status))
    if search:
        # Lower case here too: SQLite only folds the case of ASCII letters ("É").
        search = search.lower()
        rows = rows.filter(
            Q(learner__full_name__icontains=search) | Q(learner__email__icontains=search)
        )
    return rows.order_by(*_ordering(sort)).values(*ROW_FIELDS)


@dataclass
class StatusTotal:
    status: str
    label: str
    count: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.total) if self.total else 0

    @property
    def badge(self) -> str:
        return Status.badges[self.status]


@dataclass
class Totals:
    total: int
    by_status: list[StatusTotal]

    @property
    def trained(self) -> int:
        return sum(item.count for item in self.by_status if item.status in Status.TRAINED)

    @property
    def completion_rate(self) -> int:
        """Percentage of assignments completed with a certificate still valid."""
        return round(100 * self.trained / self.total) if self.total else 0


def dashboard_totals(
    *,
    organization: Organization,
    course: Course | None = None,
    today: datetime.date | None = None,
) -> Totals:
    """Counts per status for the organization (and course), in one query. The status
    filter and the search do not apply: the totals show the whole picture."""
    rows = assignment_rows(today=today).filter(organization=organization)
    if course is not None:
        rows = rows.filter(course=course)
    counts = dict(
        rows.order_by()
        .values_list("status_rank")
        .annotate(n=Count("pk"))
        .values_list("status_rank", "n")
    )
    total = sum(counts.values())
    return Totals(
        total=total,
        by_status=[
            StatusTotal(
                status=value, label=label, count=counts.get(Status.rank(value), 0), total=total
            )
            for value, label in Status.choices
        ],
    )


def dashboard_courses(*, organization: Organization) -> QuerySet[Course]:
    """The courses assigned in the organization (the course filter's choices)."""
    return Course.objects.filter(
        Exists(Assignment.objects.filter(organization=organization, course_id=OuterRef("pk")))
    )


def _date(value) -> str:
    return value.isoformat() if value else ""


def _local_date(value) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


def _local_minute(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def row_cells(row: dict) -> list[str]:
    """The text of each column for one row, as both the page and the CSV show it.

    Dates are ISO 8601 (2025-03-31) in both languages: unambiguous, and sorted correctly
    by a spreadsheet.
    """
    return [
        row["learner_name"],
        row["learner_email"],
        row["course_title"],
        str(Status.labels[Status.at(row["status_rank"])]),
        str(row["progress"]),
        _date(row["due_on"]),
        _local_date(row["completed_at"]),
        _date(row["certificate_expires_on"]),
        _local_minute(row["last_activity_at"]),
        "" if row["best_score"] is None else str(row["best_score"]),
    ]


def header_cells() -> list[str]:
    return [str(column.label) for column in COLUMNS]
