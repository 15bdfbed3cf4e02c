"""What state each assignment is in, computed in the database.

`assignment_rows()` annotates every assignment with its progress, status, last activity,
best quiz score and certificate expiry: subqueries and `Case`/`When`, never a loop over
people in Python, so the dashboard, its export and the reminders read them in a fixed
number of queries whatever the size of the staff.
"""

import datetime

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
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
from courses.models import Lesson, LessonProgress
from organizations.models import Assignment
from quizzes.models import Attempt

# A certificate is "expiring" from this many days before its expiry date.
EXPIRING_WITHIN_DAYS = 30


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
    """Every assignment of a current member of its organization, annotated with what
    happened since the member joined (nothing from before):
    `lesson_count`, `done_count`, `progress` (0–100), `completed_at`, `last_activity_at`,
    `best_score`, `certificate_expires_on` and `status_rank` (see Status.at), plus the
    `learner_name`, `learner_email` and `course_title` to show."""
    today = today or timezone.localdate()
    since_joined = F("joined_at")
    rows = (
        Assignment.objects.annotate(
            # The learner's membership of the organization: no membership, no row; and
            # only what happened since they joined counts (a join, not a subquery).
            membership=FilteredRelation(
                "organization__memberships",
                condition=Q(organization__memberships__user=F("learner")),
            ),
            joined_at=F("membership__created_at"),
            # One enrollment per learner and course: a join, not a subquery per column.
            enrollment=FilteredRelation(
                "learner__enrollments", condition=Q(learner__enrollments__course=F("course"))
            ),
        )
        .filter(joined_at__isnull=False)
        .annotate(
            learner_name=F("learner__full_name"),
            learner_email=F("learner__email"),
            course_title=_localized_course_title(),
            lesson_count=_count(
                Lesson.objects.filter(module__course_id=OuterRef("course_id")),
                "module__course_id",
            ),
            done_count=_count(
                LessonProgress.objects.filter(
                    learner_id=OuterRef("learner_id"),
                    lesson__module__course_id=OuterRef("course_id"),
                    completed_at__gte=OuterRef("joined_at"),
                ),
                "learner_id",
            ),
            completed_at=_since(F("enrollment__completed_at"), since_joined),
            last_activity_at=_since(F("enrollment__last_activity_at"), since_joined),
            best_score=_best_score(),
            certificate_expires_on=_certificate_expires_on(),
        )
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


def _since(value, joined_at):
    """The moment, if it came after the learner joined the organization; else NULL."""
    return Case(When(Q(**{f"{value.name}__gte": joined_at}), then=value), default=None)


def _best_score():
    """The best score of the learner's attempts at the course's quizzes submitted since
    they joined the organization, every cycle included."""
    return Subquery(
        Attempt.objects.filter(
            learner_id=OuterRef("learner_id"),
            quiz__module__course_id=OuterRef("course_id"),
            submitted_at__gte=OuterRef("joined_at"),
        )
        .order_by()
        .values("learner_id")
        .annotate(best=Max("score"))
        .values("best"),
        output_field=IntegerField(),
    )


def _certificate_expires_on():
    """The expiry date of the learner's latest certificate for the course not revoked,
    issued since they joined the organization."""
    return Subquery(
        Certificate.objects.filter(
            holder_id=OuterRef("learner_id"),
            course_id=OuterRef("course_id"),
            revoked_at__isnull=True,
            issued_at__gte=OuterRef("joined_at"),
        )
        .order_by("-issued_at", "-pk")
        .values("expires_on")[:1],
        output_field=DateField(),
    )
