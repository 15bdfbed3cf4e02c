"""Who gets a reminder today, and what it says. Read in a fixed number of queries.

`send_reminders` walks the people to remind by keyset (`reminder_people`, a page of ids
at a time) and enqueues one task per page; each task reads its page's reminders
(`reminders_due(user_ids=…)`): no process holds the whole list.

A supervisor's summary of an organization counts the rows of every unit below it too (a
board's schools): the counts are read per organization, then added up to each one above
it by its path (organizations.selectors.units), in Python: organizations are few.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Left, Length
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


_COUNTED = ("total", "overdue", "expiring", "expired", "trained")


def _attention(rows) -> dict[int, dict]:
    """Per organization, the counts by status of its rows and those of every unit below
    it, only where something needs attention: {organization id: counts}. Two queries."""
    rank = Status.rank
    counts = (
        rows.order_by()
        .values("organization_id")
        .annotate(
            total=Count("pk"),
            overdue=Count("pk", filter=Q(status_rank=rank(Status.OVERDUE))),
            expiring=Count("pk", filter=Q(status_rank=rank(Status.EXPIRING))),
            expired=Count("pk", filter=Q(status_rank=rank(Status.EXPIRED))),
            trained=Count("pk", filter=Q(status_rank__in=[rank(s) for s in Status.TRAINED])),
        )
    )
    counts = {row["organization_id"]: row for row in counts}
    paths = dict(Organization.objects.filter(pk__in=list(counts)).values_list("pk", "path"))
    rolled: dict[int, dict] = {}
    for organization_id, row in counts.items():
        # The organization itself and each one above it ("/3/17/"; an empty path: itself).
        above = [int(part) for part in paths.get(organization_id, "").strip("/").split("/") if part]
        for target in {*above, organization_id}:
            total = rolled.setdefault(target, dict.fromkeys(_COUNTED, 0))
            for name in _COUNTED:
                total[name] += row[name]
    return {
        pk: {"organization_id": pk, **total}
        for pk, total in rolled.items()
        if total["overdue"] or total["expiring"] or total["expired"]
    }


def _subtrees_of(organizations) -> Q:
    """A Q on the rows (assignments or summary rows) of these organizations (a queryset)
    and of every unit below them."""
    below = Organization.objects.filter(
        Q(pk__in=organizations.values("pk"))
        | Exists(organizations.exclude(path="").filter(path=Left(OuterRef("path"), Length("path"))))
    )
    return Q(organization_id__in=below.values("pk"))


def organizations_needing_attention(*, today: datetime.date) -> list[int]:
    """The ids of the organizations whose supervisors get a summary today, the units
    above one that needs attention included (two queries; organizations are few next to
    their people)."""
    return sorted(_attention(assignment_statuses(today=today)))


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
        # Only the organizations these people supervise, and their units, are summed up.
        supervised = Organization.objects.filter(pk__in=supervisors.values("organization_id"))
        rows = rows.filter(_subtrees_of(supervised))
    own_rows = own_rows.order_by("learner_id", "course_id", "status_rank").values(
        "learner_id", "course_id", "status_rank", "due_on", "certificate_expires_on"
    )
    summaries = _attention(rows)
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
