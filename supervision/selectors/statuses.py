"""What state each assignment is in, computed in the database.

`assignment_rows()` annotates every assignment with its progress, status, last activity,
best quiz score and certificate expiry: subqueries and `Case`/`When`, never a loop over
people in Python, so the dashboard, its export and the reminders read them in a fixed
number of queries whatever the size of the staff.

Progress counts every requirement of the course as `courses.completion` states them:
its lessons, and the quiz of each module that has one (the requirement that quizzes
registers in `courses.hooks.completion_requirements`), passed in the enrollment's current
cycle. Only what was done since the person joined counts, as everywhere on the dashboard.
"""

import datetime

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
from django.db.models.functions import Coalesce, Least, NullIf
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.names import name_order
from certificates import status as certificate_status
from certificates.models import Certificate
from courses.models import Course, Lesson, LessonProgress
from organizations.models import Assignment
from quizzes.models import Attempt, Quiz


class Status:
    """The status of one assignment. The first rule that applies wins:

    1. overdue — not completed in the current cycle and the due date has passed;
    2. certificate expired — the latest valid (not revoked) certificate has expired;
    3. certificate expiring — it is expiring (2 and 3 as `certificates.status` says);
    4. completed — the current cycle is complete;
    5. in progress — at least one requirement of the current cycle is met since joining
       (a lesson done, or a quiz passed);
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


def _progress_since_joined():
    """The lessons of the row's course the learner has done since joining (one range of the
    index on LessonProgress (learner, course, completed_at))."""
    return LessonProgress.objects.filter(
        learner_id=OuterRef("learner_id"),
        course_id=OuterRef("course_id"),
        completed_at__gte=OuterRef("joined_at"),
    )


def _quizzes_passed_since_joined():
    """The passed attempts, since joining, at the row's course's quizzes in the current
    cycle of the learner's enrollment (what `quizzes` requires for completion); one quiz
    passed twice is one requirement met (count them distinct)."""
    return Attempt.objects.recorded().filter(
        learner_id=OuterRef("learner_id"),
        course_id=OuterRef("course_id"),
        submitted_at__gte=OuterRef("joined_at"),
        cycle=OuterRef("enrollment_cycle"),
        passed=True,
    )


def assignment_statuses(*, today: datetime.date | None = None) -> QuerySet[Assignment]:
    """Every assignment of a current member of its organization, with `joined_at`,
    `completed_at` (since joining) and `status_rank` (see Status.at) only: what counting
    by status needs, without joining the people and the courses."""
    today = today or timezone.localdate()
    return (
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
            completed_at=_since(F("enrollment__completed_at"), F("joined_at")),
            enrollment_cycle=F("enrollment__cycle"),
        )
        .annotate(status_rank=_status_rank(today))
    )


def count_requirements(courses) -> dict[int, int]:
    """{course id: number of requirements} for these courses (a queryset or ids), in one
    query: their lessons, plus one per module quiz (see the module docstring)."""
    counted = Course.objects.filter(pk__in=courses).annotate(
        lessons=_count(
            Lesson.objects.filter(module__course_id=OuterRef("pk")), "module__course_id"
        ),
        quizzes=_count(Quiz.objects.filter(module__course_id=OuterRef("pk")), "module__course_id"),
    )
    return {
        pk: lessons + quizzes
        for pk, lessons, quizzes in counted.values_list("pk", "lessons", "quizzes")
    }


def _requirement_count(counts: dict[int, int] | None):
    """The number of requirements of the row's course: subqueries per row, or, given the
    `count_requirements()` of the courses, a constant per course (an export of every row
    would otherwise count the same course's lessons and quizzes once per person)."""
    if counts is None:
        return _count(
            Lesson.objects.filter(module__course_id=OuterRef("course_id")), "module__course_id"
        ) + _count(
            Quiz.objects.filter(module__course_id=OuterRef("course_id")), "module__course_id"
        )
    return Case(
        *(When(course_id=course_id, then=Value(n)) for course_id, n in counts.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def _distinct_count(queryset, group_by: str, field: str):
    return Coalesce(
        Subquery(
            queryset.order_by()
            .values(group_by)
            .annotate(n=Count(field, distinct=True))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def assignment_rows(
    *, today: datetime.date | None = None, requirement_counts: dict[int, int] | None = None
) -> QuerySet[Assignment]:
    """Every assignment of a current member of its organization, annotated with what
    happened since the member joined (nothing from before):
    `lesson_count` and `requirement_count` (lessons and quizzes), `done_count` (lessons
    done), `passed_count` (quizzes passed),
    `progress` (0–100, and 100 only once the course is completed), `completed_at`,
    `last_activity_at`,
    `best_score`, `certificate_expires_on` and `status_rank` (see Status.at), plus the
    `learner_name`, `learner_email`, `course_title` and `unit_name` (the organization's)
    to show, and `learner_sort`, the name as it sorts (accounts.names).

    Each value is an index lookup per row, and PostgreSQL computes the columns of the
    SELECT only for the rows it returns: sorting a page by status costs one lookup of the
    certificate and one of the progress per row, not every column.
    """
    rows = assignment_statuses(today=today).annotate(
        learner_name=F("learner__full_name"),
        learner_sort=name_order("learner"),
        learner_email=F("learner__email"),
        course_title=_localized_course_title(),
        unit_name=F("organization__name"),
        lesson_count=_count(
            Lesson.objects.filter(module__course_id=OuterRef("course_id")), "module__course_id"
        ),
        requirement_count=_requirement_count(requirement_counts),
        done_count=_count(_progress_since_joined(), "learner_id"),
        passed_count=_distinct_count(_quizzes_passed_since_joined(), "learner_id", "quiz_id"),
        last_activity_at=_since(F("enrollment__last_activity_at"), F("joined_at")),
        best_score=_best_score(),
        certificate_expires_on=certificate_expires_on(),
    )
    # Each subquery named once: SQL repeats an annotation wherever it is referenced.
    # Short of completion, at most 99: every requirement met but not completed (a quiz
    # added since, say) is not "100 %".
    return rows.annotate(
        progress=Case(
            When(completed_at__isnull=False, then=Value(100)),
            default=Least(
                Coalesce(
                    (F("done_count") + F("passed_count")) * 100 / NullIf(F("requirement_count"), 0),
                    0,
                ),
                Value(99),
            ),
            output_field=IntegerField(),
        ),
    )


def _status_rank(today: datetime.date):
    """The rank of the row's status (see Status), in one expression that names each
    subquery once: SQL repeats an annotation's subquery wherever it is referenced, so
    "expired" and "expiring" come from one certificate lookup, and "in progress" from an
    EXISTS, which stops at the first lesson done (or quiz passed), not the count of them."""
    rank = Status.rank
    return Case(
        When(
            Q(completed_at__isnull=True, due_on__lt=today),
            then=Value(rank(Status.OVERDUE)),
        ),
        default=Coalesce(
            certificate_urgency(today),
            Case(
                When(completed_at__isnull=False, then=Value(rank(Status.COMPLETED))),
                When(Exists(_progress_since_joined()), then=Value(rank(Status.IN_PROGRESS))),
                # Only for rows without a lesson done: CASE stops at the first match.
                When(Exists(_quizzes_passed_since_joined()), then=Value(rank(Status.IN_PROGRESS))),
                default=Value(rank(Status.NOT_STARTED)),
            ),
        ),
        output_field=IntegerField(),
    )


def _since(value, joined_at):
    """The moment, if it came after the learner joined the organization; else NULL."""
    return Case(When(Q(**{f"{value.name}__gte": joined_at}), then=value), default=None)


def _best_score():
    """The best score of the learner's attempts at the course's quizzes submitted since
    they joined the organization, every cycle included, practice left out (from the
    partial index on Attempt (learner, course, submitted_at) that carries the score)."""
    return Subquery(
        Attempt.objects.recorded()
        .filter(
            learner_id=OuterRef("learner_id"),
            course_id=OuterRef("course_id"),
            submitted_at__gte=OuterRef("joined_at"),
        )
        .order_by()
        .values("learner_id")
        .annotate(best=Max("score"))
        .values("best"),
        output_field=IntegerField(),
    )


# The certificate part: which certificate a row shows, and what it says of the status.
# Both come from `shown_certificate()`; a row's status uses `certificate_urgency()` only.


def shown_certificate() -> QuerySet[Certificate]:
    """The certificate a row shows: the learner's latest for the course not revoked,
    issued since they joined the organization (first of this queryset)."""
    return Certificate.objects.filter(
        holder_id=OuterRef("learner_id"),
        course_id=OuterRef("course_id"),
        revoked_at__isnull=True,
        issued_at__gte=OuterRef("joined_at"),
    ).order_by("-issued_at", "-pk")


def certificate_expires_on():
    """The expiry date of the row's certificate (see `shown_certificate`)."""
    return Subquery(shown_certificate().values("expires_on")[:1], output_field=DateField())


def certificate_urgency(today: datetime.date):
    """The rank of EXPIRED or EXPIRING if the row's certificate is expired or expiring by
    the certificate's own rules (`certificates.status`; `shown_certificate` already left
    revoked ones out); NULL if it is valid, or if there is none."""
    rank = Status.rank
    urgency = Case(
        *certificate_status.status_whens(
            today=today,
            fields={"expires_on": "expires_on"},
            then={
                certificate_status.Status.EXPIRED: Value(rank(Status.EXPIRED)),
                certificate_status.Status.EXPIRING: Value(rank(Status.EXPIRING)),
            },
        ),
        default=None,
        output_field=IntegerField(),
    )
    return Subquery(
        shown_certificate().annotate(urgency=urgency).values("urgency")[:1],
        output_field=IntegerField(),
    )
