import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organizations.models import Organization

ERROR_PLAIN_HTTP = _(
    "The address must start with https:// (plain http:// only for this machine, "
    "127.0.0.1 or localhost): the key and secret travel with every statement."
)
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


class LrsEndpoint(models.Model):
    """An organization's learning record store: where the xAPI statements of its members'
    learning go (README, "xAPI"). Set up by administrators in the admin."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="lrs_endpoints",
        verbose_name=_("organization"),
    )
    statements_url = models.URLField(
        _("statements endpoint"),
        max_length=500,
        help_text=_("The LRS's statements resource, e.g. https://lrs.example.org/xAPI/statements"),
    )
    key = models.CharField(_("key"), max_length=200, help_text=_("Basic authentication user."))
    secret = models.CharField(
        _("secret"), max_length=200, help_text=_("Basic authentication password.")
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Statements are sent only to an active LRS.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("learning record store")
        verbose_name_plural = _("learning record stores")
        ordering = ["organization__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "statements_url"], name="xapi_lrsendpoint_unique_url"
            ),
        ]

    def __str__(self):
        return f"{self.organization}: {self.statements_url}"

    def clean(self):
        parts = urlsplit(self.statements_url or "")
        if parts.scheme == "http" and parts.hostname not in LOCAL_HOSTS:
            raise ValidationError({"statements_url": ERROR_PLAIN_HTTP})


class LearnerAccount(models.Model):
    """The opaque name a learner's statements carry in one organization's LRS, instead of
    their e-mail or name: a random UUID, one per person and organization, so that two
    organizations' stores cannot match their people against each other either."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("account"),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    name = models.UUIDField(_("opaque identifier"), default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("xAPI learner identifier")
        verbose_name_plural = _("xAPI learner identifiers")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="xapi_learneraccount_unique_user"
            ),
            models.UniqueConstraint(fields=["name"], name="xapi_learneraccount_unique_name"),
        ]

    def __str__(self):
        return str(self.name)


class OutgoingStatement(models.Model):
    """One xAPI statement for one LRS, fixed when the event happened (its JSON does not
    change afterwards) and sent by a worker (xapi.tasks.statement_send). Its id is part of
    the statement, so sending it again after a lost answer stores it once: an LRS keeps
    the first statement of an id and accepts the same one again without a second copy."""

    class Status(models.TextChoices):
        QUEUED = "queued", pgettext_lazy("statement", "queued")
        SENDING = "sending", pgettext_lazy("statement", "sending")
        RETRYING = "retrying", pgettext_lazy("statement", "waiting to retry")
        SENT = "sent", pgettext_lazy("statement", "sent")
        FAILED = "failed", pgettext_lazy("statement", "failed")

    endpoint = models.ForeignKey(
        LrsEndpoint,
        on_delete=models.CASCADE,
        related_name="statements",
        verbose_name=_("learning record store"),
    )
    statement_id = models.UUIDField(_("statement id"), editable=False)
    verb = models.CharField(_("verb"), max_length=200)
    statement = models.JSONField(_("statement"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(pgettext_lazy("statement", "queued at"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(pgettext_lazy("statement", "sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing xAPI statement")
        verbose_name_plural = _("outgoing xAPI statements")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["statement_id"], name="xapi_statement_unique_id"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.verb} {self.statement_id}"
