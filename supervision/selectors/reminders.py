"""Who gets a reminder today, and what it says. Read in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from courses.models import Course
from organizations.models import Membership, Organization
from supervision.selectors.statuses import Status, assignment_rows

# What a person is reminded of about their own training.
OWN_STATUSES = (Status.OVERDUE, Status.EXPIRING)
# What makes a supervisor's summary worth sending.
ATTENTION_STATUSES = (Status.OVERDUE, Status.EXPIRING, Status.EXPIRED)


@dataclass
class OwnItem:
    course: Course
    status: str
    due_on: datetime.date | None
    certificate_expires_on: datetime.date | None

    @property
    def is_overdue(self) -> bool:
        return self.status == Status.OVERDUE


@dataclass
class OrganizationSummary:
    organization: Organization
    total: int
    overdue: int
    expiring: int
    expired: int
    trained: int


@dataclass
class Reminder:
    user: User
    own: list[OwnItem] = field(default_factory=list)
    organizations: list[OrganizationSummary] = field(default_factory=list)


def reminders_due(*, today: datetime.date | None = None) -> list[Reminder]:
    """One Reminder per active person who has something to be reminded of: their own
    overdue courses and expiring certificates (REPERE_CERTIFICATE_EXPIRING_DAYS), and,
    for supervisors, a summary of each organization where someone is overdue or a
    certificate is expiring or expired. Ordered by user id."""
    today = today or timezone.localdate()
    rows = assignment_rows(today=today)
    rank = Status.rank
    own_rows = (
        rows.filter(status_rank__in=[rank(s) for s in OWN_STATUSES], learner__is_active=True)
        .order_by("learner_id", "course_id", "status_rank")
        .values("learner_id", "course_id", "status_rank", "due_on", "certificate_expires_on")
    )
    summaries = (
        rows.order_by()
        .values("organization_id")
        .annotate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(status_rank=rank(Status.OVERDUE))),
            expiring=Count("pk", filter=Q(status_rank=rank(Status.EXPIRING))),
            expired=Count("pk", filter=Q(status_rank=rank(Status.EXPIRED))),
            trained=Count("pk", filter=Q(status_rank__in=[rank(s) for s in Status.TRAINED])),
        )
        .filter(Q(overdue__gt=0) | Q(expiring__gt=0) | Q(expired__gt=0))
    )
    summaries = {summary["organization_id"]: summary for summary in summaries}
    supervisors = list(
        Membership.objects.filter(
            role=Membership.Role.SUPERVISOR,
            organization_id__in=list(summaries),
            user__is_active=True,
        )
        .select_related("organization")
        .order_by("organization__name", "pk")
    )

    reminders: dict[int, Reminder] = {}
    own_rows = list(own_rows)
    users = User.objects.in_bulk(
        {row["learner_id"] for row in own_rows} | {m.user_id for m in supervisors}
    )
    courses = Course.objects.in_bulk({row["course_id"] for row in own_rows})
    seen = set()
    for row in own_rows:
        key = (row["learner_id"], row["course_id"])
        if key in seen:
            continue  # the same course assigned by two organizations: remind once
        seen.add(key)
        reminder = reminders.setdefault(row["learner_id"], Reminder(user=users[row["learner_id"]]))
        reminder.own.append(
            OwnItem(
                course=courses[row["course_id"]],
                status=Status.at(row["status_rank"]),
                due_on=row["due_on"],
                certificate_expires_on=row["certificate_expires_on"],
            )
        )
    for membership in supervisors:
        summary = summaries[membership.organization_id]
        user = users[membership.user_id]
        reminder = reminders.setdefault(membership.user_id, Reminder(user=user))
        reminder.organizations.append(
            OrganizationSummary(
                organization=membership.organization,
                total=summary["total"],
                overdue=summary["overdue"],
                expiring=summary["expiring"],
                expired=summary["expired"],
                trained=summary["trained"],
            )
        )
    return [reminders[user_id] for user_id in sorted(reminders)]
