"""Announce, once, each certificate that enters its expiring window (certificates.status).

Run daily by `manage.py send_reminders`. The certificates found are marked in the same
transaction as `certificate_expiring` is sent for them; their rows are locked first, so
that two runs at the same moment announce each certificate once (PostgreSQL re-reads a
row's condition after waiting for its lock; SQLite runs one writer at a time).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from certificates.models import Certificate
from certificates.signals import certificate_expiring
from certificates.status import Status, status_annotation


@transaction.atomic
def certificates_announce_expiring(*, today: datetime.date | None = None) -> int:
    """Send `certificate_expiring` for each certificate expiring today and not yet
    announced; returns how many."""
    today = today or timezone.localdate()
    due = Certificate.objects.annotate(current_status=status_annotation(today=today)).filter(
        current_status=Status.EXPIRING, expiring_announced_at__isnull=True
    )
    ids = list(due.select_for_update().order_by("pk").values_list("pk", flat=True))
    if not ids:
        return 0
    Certificate.objects.filter(pk__in=ids).update(expiring_announced_at=timezone.now())
    certificates = Certificate.objects.filter(pk__in=ids).select_related(
        "holder", "course", "organization"
    )
    for certificate in certificates.order_by("pk"):
        certificate_expiring.send(sender=Certificate, certificate=certificate)
    return len(ids)
