from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
