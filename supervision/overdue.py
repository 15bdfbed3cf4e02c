"""Announce, once, each assignment that becomes overdue (`supervision.signals`).

Run daily by `manage.py send_reminders`, which computes the same statuses for the
reminders. The assignments found overdue get an OverdueNotice for their due date, BATCH
at a time, in one `INSERT … ON CONFLICT DO NOTHING RETURNING` that says which notices are
new; `assignments_overdue` is sent for those right after, in the same transaction. A
second run, even at the same moment, conflicts on the unique constraint and sends
nothing. The queries grow with the number of batches, not of assignments.
"""

import datetime

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from organizations.models import Assignment
from supervision.models import OverdueNotice
from supervision.selectors.statuses import Status, assignment_statuses
from supervision.signals import assignments_overdue

# Assignments per INSERT and per signal: well under SQLite's 32,766 parameters.
BATCH = 500


def _notices_create(assignment_ids: list[int], *, now: datetime.datetime) -> list[int]:
    """Record a notice for each assignment's current due date, unless one exists; returns
    the ids of the assignments whose notice this call wrote (PostgreSQL and SQLite ≥ 3.35
    both know ON CONFLICT and RETURNING)."""
    quote = connection.ops.quote_name
    notices, assignments = OverdueNotice._meta.db_table, Assignment._meta.db_table
    placeholders = ", ".join(["%s"] * len(assignment_ids))
    sql = (
        f"INSERT INTO {quote(notices)} (assignment_id, due_on, created_at) "
        f"SELECT id, due_on, %s FROM {quote(assignments)} "
        f"WHERE id IN ({placeholders}) AND due_on IS NOT NULL "
        "ON CONFLICT (assignment_id, due_on) DO NOTHING RETURNING assignment_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(now), *assignment_ids])
        return [row[0] for row in cursor.fetchall()]


@transaction.atomic
def assignments_announce_overdue(*, today: datetime.date | None = None) -> int:
    """Send `assignments_overdue` for the assignments overdue today and not yet announced
    for their due date; returns how many."""
    today = today or timezone.localdate()
    noticed = OverdueNotice.objects.filter(assignment_id=OuterRef("pk"), due_on=OuterRef("due_on"))
    ids = list(
        assignment_statuses(today=today)
        .filter(status_rank=Status.rank(Status.OVERDUE))
        .exclude(Exists(noticed))
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
    now = timezone.now()
    announced = 0
    for start in range(0, len(ids), BATCH):
        new = _notices_create(ids[start : start + BATCH], now=now)
        if not new:
            continue  # another run announced them first
        assignments = list(
            Assignment.objects.filter(pk__in=new)
            .select_related("learner", "course", "organization")
            .order_by("pk")
        )
        assignments_overdue.send(sender=Assignment, assignments=assignments)
        announced += len(assignments)
    return announced
