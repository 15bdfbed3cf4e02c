"""Who gets a reminder today, and what it says. Read in a fixed number of queries.

`send_reminders` walks the people to remind by keyset (`reminder_people`, a page of ids
at a time) and enqueues one task per page; each task reads its page's reminders
(`reminders_due(user_ids=…)`): no process holds the whole list.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from courses.models import Course
from organizations.models import Membership, Organization
from supervision.selectors.statuses import Status, assignment_rows, assignment_statuses

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

    @property
    def is_due_soon(self) -> bool:
        """Reminded because the due date is near (see `reminder_due_dates`)."""
        return self.status not in OWN_STATUSES


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


def reminder_due_dates(today: datetime.date) -> list[datetime.date]:
    """The due dates reminded of today before they come: in REPERE_REMINDER_DAYS_BEFORE_DUE
    days, and tomorrow. A daily run thus reminds twice before the date, not every day."""
    days = settings.REPERE_REMINDER_DAYS_BEFORE_DUE
    if days <= 0:
        return []
    return sorted({today + datetime.timedelta(days=days), today + datetime.timedelta(days=1)})


def _own_condition(today: datetime.date) -> Q:
    """An assignment the learner is reminded of: overdue, certificate expiring, or not
    completed with its due date near."""
    rank = Status.rank
    return Q(status_rank__in=[rank(s) for s in OWN_STATUSES]) | Q(
        completed_at__isnull=True, due_on__in=reminder_due_dates(today)
    )


def _attention(rows):
    """Per organization, the counts by status, only where something needs attention."""
    rank = Status.rank
    return (
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


def organizations_needing_attention(*, today: datetime.date) -> list[int]:
    """The ids of the organizations whose supervisors get a summary today (one query;
    organizations are few next to their people)."""
    return [summary["organization_id"] for summary in _attention(assignment_statuses(today=today))]


def reminder_people(
    *, today: datetime.date, organization_ids: list[int], after: int = 0, limit: int = 200
) -> list[int]:
    """One page of the ids of the active people to remind today, in id order, after the
    id `after` (keyset): learners with something of their own, and supervisors of the
    `organization_ids` (`organizations_needing_attention`)."""
    own = (
        assignment_statuses(today=today)
        .filter(_own_condition(today), learner_id=OuterRef("pk"))
        .order_by()
    )
    supervises = Membership.objects.filter(
        user_id=OuterRef("pk"),
        role=Membership.Role.SUPERVISOR,
        organization_id__in=organization_ids,
    )
    return list(
        User.objects.filter(Exists(own) | Exists(supervises), is_active=True, pk__gt=after)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def reminders_due(
    *, today: datetime.date | None = None, user_ids: list[int] | None = None
) -> list[Reminder]:
    """One Reminder per active person who has something to be reminded of: their own
    overdue courses, courses due soon (`reminder_due_dates`) and expiring certificates
    (REPERE_CERTIFICATE_EXPIRING_DAYS), and, for supervisors, a summary of each
    organization where someone is overdue or a certificate is expiring or expired.
    Only the people of `user_ids` if given (a page of `reminder_people`). Ordered by
    user id."""
    today = today or timezone.localdate()
    rows = assignment_rows(today=today)
    own_rows = rows.filter(_own_condition(today), learner__is_active=True)
    supervisors = Membership.objects.filter(role=Membership.Role.SUPERVISOR, user__is_active=True)
    if user_ids is not None:
        own_rows = own_rows.filter(learner_id__in=user_ids)
        supervisors = supervisors.filter(user_id__in=user_ids)
        # Only the organizations these people supervise are summed up.
        rows = rows.filter(organization_id__in=supervisors.values("organization_id"))
    own_rows = own_rows.order_by("learner_id", "course_id", "status_rank").values(
        "learner_id", "course_id", "status_rank", "due_on", "certificate_expires_on"
    )
    summaries = {summary["organization_id"]: summary for summary in _attention(rows)}
    supervisors = list(
        supervisors.filter(organization_id__in=list(summaries))
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
