"""How long each kind of record is kept: `retention_apply` deletes what is past its period.

Each kind is deleted in batches of BATCH_SIZE rows (one SELECT of ids, one DELETE), so a
backlog of 100,000 rows never sits in memory and no statement holds its locks for long.
The periods are settings (README, "Personal data"). A password-reset link is never
stored (Django's tokens are signed and expire by themselves, and the e-mail's body keeps a
placeholder in its place): the e-mails that carried them go with the e-mail log.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OutgoingEmail
from organizations.models import AuditEvent, Invitation
from privacy.models import AccountClosure
from quizzes.models import Attempt
from supervision.models import ReminderLog
from webhooks.models import WebhookDelivery
from xapi.models import OutgoingStatement

User = get_user_model()
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    setting: str
    rows: callable  # (cutoff) -> QuerySet of what is past the period


def _never_activated(cutoff) -> QuerySet:
    # Invited (an account made for them), never signed in, no password chosen: nothing of
    # theirs exists beyond what a supervisor typed. Administrators are never removed.
    return User.objects.filter(
        last_login__isnull=True,
        password__startswith=UNUSABLE_PASSWORD_PREFIX,
        date_joined__lt=cutoff,
        is_staff=False,
        is_superuser=False,
    ).exclude(pk__in=AccountClosure.objects.values("user_id"))


KINDS = (
    Kind(
        "audit_events",
        _("audit events"),
        "REPERE_RETENTION_AUDIT_DAYS",
        lambda cutoff: AuditEvent.objects.filter(occurred_at__lt=cutoff),
    ),
    Kind(
        "emails",
        _("e-mail log entries"),
        "REPERE_RETENTION_EMAIL_LOG_DAYS",
        # Only e-mails done with: one still waiting to leave is not a log yet.
        lambda cutoff: OutgoingEmail.objects.filter(
            created_at__lt=cutoff,
            status__in=[OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED],
        ),
    ),
    Kind(
        "reminders",
        _("reminder log entries"),
        "REPERE_RETENTION_REMINDER_LOG_DAYS",
        lambda cutoff: ReminderLog.objects.filter(created_at__lt=cutoff),
    ),
    Kind(
        "invitations",
        _("unanswered invitations"),
        "REPERE_RETENTION_INVITATION_DAYS",
        lambda cutoff: Invitation.objects.filter(
            state=Invitation.State.PENDING, created_at__lt=cutoff
        ),
    ),
    Kind(
        "open_attempts",
        _("abandoned quiz attempts"),
        "REPERE_RETENTION_OPEN_ATTEMPT_DAYS",
        lambda cutoff: Attempt.objects.filter(submitted_at__isnull=True, started_at__lt=cutoff),
    ),
    Kind(
        "webhook_deliveries",
        _("webhook deliveries"),
        "REPERE_RETENTION_WEBHOOK_DAYS",
        # Their payloads name the person; one still being sent or retried stays.
        lambda cutoff: WebhookDelivery.objects.filter(
            created_at__lt=cutoff,
            status__in=[WebhookDelivery.Status.DELIVERED, WebhookDelivery.Status.FAILED],
        ),
    ),
    Kind(
        "xapi_statements",
        _("xAPI statements sent"),
        "REPERE_RETENTION_XAPI_DAYS",
        # The learning record store keeps its own; ours is the log of what left.
        lambda cutoff: OutgoingStatement.objects.filter(
            created_at__lt=cutoff,
            status__in=[OutgoingStatement.Status.SENT, OutgoingStatement.Status.FAILED],
        ),
    ),
    Kind(
        "never_activated",
        _("accounts never signed in to"),
        "REPERE_RETENTION_NEVER_ACTIVATED_DAYS",
        _never_activated,
    ),
)


def _delete_in_batches(rows: QuerySet, batch_size: int) -> int:
    deleted = 0
    model = rows.model
    while True:
        with transaction.atomic():
            ids = list(rows.order_by("pk").values_list("pk", flat=True)[:batch_size])
            if not ids:
                return deleted
            batch = model.objects.filter(pk__in=ids)
            if model is User:
                # Events about them keep that something happened, not who they were.
                AuditEvent.objects.filter(Q(subject_id__in=ids)).update(subject_label="")
                AuditEvent.objects.filter(Q(actor_id__in=ids)).update(actor_label="")
            _, per_model = batch.delete()
            deleted += per_model.get(model._meta.label, 0)


def retention_apply(
    *, now: datetime.datetime | None = None, batch_size: int = BATCH_SIZE
) -> dict[str, int]:
    """Delete every kind of record past its retention period. Returns {kind key: rows
    deleted}, in KINDS' order."""
    now = now or timezone.now()
    counts = {}
    for kind in KINDS:
        cutoff = now - datetime.timedelta(days=getattr(settings, kind.setting))
        counts[kind.key] = _delete_in_batches(kind.rows(cutoff), batch_size)
    return counts
