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


# Erasure


class AccountClosure(models.Model):
    """A request to close an account, and what became of it.

    The person (or an administrator, on their written request) asks; the account is
    erased once `erase_after` has passed, unless they sign in and keep it meanwhile. The
    row stays after erasure, pointing at the pseudonymised account, so that the erasure is
    on record and runs only once; it holds nothing that names the person.
    """

    class Certificates(models.TextChoices):
        KEEP = "keep", _("Keep them verifiable")
        REVOKE = "revoke", _("Revoke them")

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("account", "closing")
        CANCELLED = "cancelled", pgettext_lazy("account", "kept")
        DONE = "done", pgettext_lazy("account", "closed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="closures",
        verbose_name=_("account"),
    )
    certificates = models.CharField(
        _("certificates"), max_length=10, choices=Certificates.choices, default=Certificates.KEEP
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    erase_after = models.DateTimeField(_("to be erased after"))
    by_administrator = models.BooleanField(_("asked in the administration site"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("administrator"),
    )
    reason = models.TextField(
        _("reason"),
        blank=True,
        help_text=_(
            "For a closure made by an administrator: the person's written request "
            "(its date and channel). Do not write their name or address here."
        ),
    )
    cancelled_at = models.DateTimeField(_("kept at"), null=True, blank=True)
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        verbose_name = _("account closure")
        verbose_name_plural = _("account closures")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state="pending"),
                name="privacy_closure_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "cancelled", "done"]),
                name="privacy_closure_state_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(certificates__in=["keep", "revoke"]),
                name="privacy_closure_certificates_valid",
            ),
        ]
        indexes = [models.Index(fields=["state", "erase_after"], name="privacy_closure_due_idx")]

    def __str__(self):
        return f"{self.pk} — {self.get_state_display()}"
