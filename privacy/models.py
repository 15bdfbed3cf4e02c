from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Export


class DataExport(models.Model):
    """A copy of everything Repère holds about one person, asked for by them.

    A task builds the ZIP and keeps its bytes in this row: every server reaches the
    database, none shares a disk, and the default storage of a deployment may be a local
    directory. The link mailed to the person carries a token whose SHA-256 only is kept
    here; it opens the file once, for the person signed in, until `expires_at`. The bytes
    are deleted at that download (or when a newer export replaces this one), so that a copy
    of someone's data does not sit in the database longer than they need it.
    """

    class State(models.TextChoices):
        # Feminine in French: une copie.
        PENDING = "pending", pgettext_lazy("export", "Being prepared")
        READY = "ready", pgettext_lazy("export", "Ready")
        DOWNLOADED = "downloaded", pgettext_lazy("export", "Downloaded")
        REPLACED = "replaced", pgettext_lazy("export", "Replaced by a newer one")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="data_exports",
        verbose_name=_("person"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    token_hash = models.CharField(_("token hash"), max_length=64, blank=True, editable=False)
    content = models.BinaryField(_("ZIP file"), null=True, blank=True, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)
    downloaded_at = models.DateTimeField(_("downloaded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One export being prepared per person at a time: asking again while it is
            # built adds nothing (the rate limit of requests).
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state="pending"),
                name="privacy_dataexport_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "ready", "downloaded", "replaced"]),
                name="privacy_dataexport_state_valid",
            ),
        ]
        indexes = [models.Index(fields=["token_hash"], name="privacy_dataexport_token_idx")]

    def __str__(self):
        return f"{self.user_id} {self.requested_at:%Y-%m-%d %H:%M} {self.get_state_display()}"


class DataExportEvent(models.Model):
    """What happened to a data export, written by the service that did it (who asked, when
    the file was ready, who opened the link and what they were told)."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("Copy of the data requested")
        READY = "ready", _("Copy ready, link sent")
        DOWNLOADED = "downloaded", _("Copy downloaded")
        REFUSED_USED = "refused_used", _("Link opened again after its use")
        REFUSED_EXPIRED = "refused_expired", _("Link opened after it expired")
        REFUSED_OTHER = "refused_other", _("Link opened by another account")

    export = models.ForeignKey(
        DataExport, on_delete=models.CASCADE, related_name="events", verbose_name=_("data export")
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("data export event")
        verbose_name_plural = _("data export events")
        ordering = ["-occurred_at", "-pk"]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.get_kind_display()}"
