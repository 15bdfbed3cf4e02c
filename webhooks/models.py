"""An organization's webhook endpoints, and each event sent (or to send) to one of them.

Endpoints are registered by Repère's administrators in the admin. An event becomes one
WebhookDelivery per subscribed active endpoint, its payload fixed when it happened, and
each try to POST it one WebhookAttempt (webhooks.tasks).
"""

import base64
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ERROR_HTTPS_REQUIRED = _(
    "The address must start with https:// (http:// is allowed to 127.0.0.1 only, in development)."
)
ERROR_UNKNOWN_EVENT = _("Unknown event: %(event)s.")
ERROR_NO_EVENT = _("Choose at least one event.")


class Event(models.TextChoices):
    ASSIGNMENT_OVERDUE = "assignment.overdue", _("An assignment is overdue")
    COURSE_COMPLETED = "course.completed", _("A course is completed")
    CERTIFICATE_ISSUED = "certificate.issued", _("A certificate is issued")
    CERTIFICATE_EXPIRING = "certificate.expiring", _("A certificate is expiring")
    CERTIFICATE_REVOKED = "certificate.revoked", _("A certificate is revoked")


def new_secret() -> str:
    """A signing secret in the Standard Webhooks format: "whsec_" and 32 random bytes in
    base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def validate_endpoint_url(url: str) -> None:
    """https only; plain http to 127.0.0.1 when REPERE_WEBHOOKS_ALLOW_LOCAL_HTTP (on in
    development, and in the tests' receiver)."""
    if url.startswith("https://"):
        return
    local = url.startswith(("http://127.0.0.1:", "http://127.0.0.1/"))
    if local and settings.REPERE_WEBHOOKS_ALLOW_LOCAL_HTTP:
        return
    raise ValidationError(ERROR_HTTPS_REQUIRED, code="https_required")


def validate_events(events) -> None:
    if not isinstance(events, list) or not events:
        raise ValidationError(ERROR_NO_EVENT, code="no_event")
    for event in events:
        if event not in Event.values:
            raise ValidationError(
                ERROR_UNKNOWN_EVENT, code="unknown_event", params={"event": event}
            )


class WebhookEndpoint(models.Model):
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("organization"),
    )
    url = models.URLField(_("address"), max_length=500, validators=[validate_endpoint_url])
    description = models.CharField(_("description"), max_length=200, blank=True)
    events = models.JSONField(
        _("events"),
        default=list,
        validators=[validate_events],
        help_text=_("The events sent to this address."),
    )
    # Kept in clear: every delivery is signed with it (HMAC), and the receiver needs it.
    secret = models.CharField(
        _("signing secret"), max_length=100, default=new_secret, editable=False
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Events are sent only to active addresses.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["organization__name", "url", "pk"]

    def __str__(self):
        return self.url


class WebhookDelivery(models.Model):
    """One event for one endpoint. Its `message_id` (the webhook-id header) stays the same
    through retries and replays, so that the receiver can ignore a second copy."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        RETRYING = "retrying", _("Waiting to retry")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("endpoint"),
    )
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    message_id = models.CharField(
        _("message id"), max_length=40, unique=True, default=new_message_id, editable=False
    )
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhooks_due_idx")]

    def __str__(self):
        return f"{self.event} → {self.endpoint_id} ({self.message_id})"


class WebhookAttempt(models.Model):
    """One POST of a delivery, as it went."""

    delivery = models.ForeignKey(
        WebhookDelivery,
        on_delete=models.CASCADE,
        related_name="attempt_log",
        verbose_name=_("delivery"),
    )
    attempted_at = models.DateTimeField(_("attempted at"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    response_body = models.TextField(
        _("response"), blank=True, help_text=_("The first 2 KB of the response body.")
    )
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["attempted_at", "pk"]

    def __str__(self):
        return f"{self.delivery_id} @ {self.attempted_at:%Y-%m-%d %H:%M:%S}"
