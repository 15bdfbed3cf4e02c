"""Announce, once, each assignment that becomes overdue (`supervision.signals`).

Run daily by `manage.py send_reminders`, which computes the same statuses for the
reminders. Each assignment found overdue gets an OverdueNotice for its due date, in a
savepoint of one transaction, and `assignment_overdue` is sent right after the insert:
a second run, even at the same moment, hits the unique constraint and sends nothing.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from organizations.models import Assignment
from supervision.models import OverdueNotice
from supervision.selectors.statuses import Status, assignment_statuses
from supervision.signals import assignment_overdue


@transaction.atomic
def assignments_announce_overdue(*, today: datetime.date | None = None) -> int:
    """Send `assignment_overdue` for each assignment overdue today and not yet announced
    for its due date; returns how many."""
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
    announced = 0
    assignments = Assignment.objects.filter(pk__in=ids).select_related(
        "learner", "course", "organization"
    )
    for assignment in assignments.order_by("pk"):
        try:
            with transaction.atomic():
                OverdueNotice.objects.create(assignment=assignment, due_on=assignment.due_on)
        except IntegrityError:
            continue  # another run announced it first
        assignment_overdue.send(sender=Assignment, assignment=assignment)
        announced += 1
    return announced
