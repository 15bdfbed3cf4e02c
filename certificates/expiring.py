"""Announce, once, each certificate that enters its expiring window (certificates.status).

Run daily by `manage.py send_reminders`. The certificates found are marked in the same
transaction as `certificates_expiring` is sent for them, a batch at a time; their rows are
locked first, so that two runs at the same moment announce each certificate once
(PostgreSQL re-reads a row's condition after waiting for its lock; SQLite runs one writer
at a time).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from certificates.models import Certificate
from certificates.signals import certificates_expiring
from certificates.status import Status, status_annotation

# Certificates per signal (its listeners write per batch, not per certificate).
BATCH = 500


@transaction.atomic
def certificates_announce_expiring(*, today: datetime.date | None = None) -> int:
    """Send `certificates_expiring` for the certificates expiring today and not yet
    announced; returns how many."""
    today = today or timezone.localdate()
    due = Certificate.objects.annotate(current_status=status_annotation(today=today)).filter(
        current_status=Status.EXPIRING, expiring_announced_at__isnull=True
    )
    ids = list(due.select_for_update().order_by("pk").values_list("pk", flat=True))
    if not ids:
        return 0
    now = timezone.now()
    for start in range(0, len(ids), BATCH):
        batch = Certificate.objects.filter(pk__in=ids[start : start + BATCH])
        batch.update(expiring_announced_at=now)
        certificates = list(batch.select_related("holder", "course", "organization").order_by("pk"))
        certificates_expiring.send(sender=Certificate, certificates=certificates)
    return len(ids)
