import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates import codes
from certificates.status import RENEWABLE, Status, status_of

__all__ = ["Certificate", "CertificateNameChange", "CertificateNameRequest", "Status"]


class Certificate(models.Model):
    """Proof that a learner completed one cycle of a course.

    What it says is fixed on the day it is issued: the holder's name, the course title in
    both languages, the organization's name, the languages it is written in, the content
    version and the dates are copied here, and the PNG, the PDF, the verification page and
    the Open Badges credential are drawn from these copies only, so that renaming a course
    or an organization later rewrites nothing already issued. Only an administrator's name
    correction or revocation changes it later, and the code never changes.
    """

    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("holder"),
    )
    # PROTECT: a course whose certificates are out in the world cannot be deleted.
    course = models.ForeignKey(
        "courses.Course",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("course"),
    )
    enrollment = models.ForeignKey(
        "courses.Enrollment",
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("enrollment"),
    )
    cycle = models.PositiveSmallIntegerField(_("cycle"))
    code = models.CharField(
        _("verification code"),
        max_length=codes.LENGTH,
        unique=True,
        editable=False,
        help_text=_("Stored without dashes, in capitals."),
    )
    holder_name = models.CharField(
        _("holder's name"),
        max_length=150,
        help_text=_("The name as it stood on the day of issue."),
    )
    course_title_fr = models.CharField(_("course title (French)"), max_length=200, default="")
    course_title_en = models.CharField(
        _("course title (English)"), max_length=200, blank=True, default=""
    )
    organization_name = models.CharField(
        _("organization's name"), max_length=200, blank=True, default=""
    )
    languages = models.CharField(
        _("languages"),
        max_length=20,
        default="fr",
        help_text=_("The languages the certificate is written in, the holder's first: fr,en."),
    )
    # The Open Badges recipient: a salted hash of the holder's e-mail address on the day of
    # issue, so that the credential names nobody's address in clear.
    recipient_salt = models.CharField(_("recipient salt"), max_length=32, blank=True, default="")
    recipient_hash = models.CharField(
        _("recipient identity hash"), max_length=80, blank=True, default=""
    )
    content_version = models.PositiveIntegerField(_("content version"))
    completed_at = models.DateTimeField(_("completed at"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    expires_on = models.DateField(_("valid until"))
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("issuing organization"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(
        _("reason for revocation"),
        blank=True,
        help_text=_("Kept on record; never shown on the public verification page."),
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    # When it was first found expiring and announced (certificates.expiring): once only.
    expiring_announced_at = models.DateTimeField(
        _("expiry announced at"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "cycle"], name="certificates_one_per_enrollment_cycle"
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | ~models.Q(revoked_reason=""),
                name="certificates_revocation_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.display_code} — {self.holder_name}"

    def get_absolute_url(self):
        return reverse("verify:detail", kwargs={"code": self.display_code})

    @property
    def display_code(self) -> str:
        return codes.display(self.code)

    def status(self, today: datetime.date | None = None) -> Status:
        """Revoked, expired, expiring or valid (the rules are in `certificates.status`)."""
        return status_of(self, today or timezone.localdate())

    @property
    def language_codes(self) -> tuple[str, ...]:
        return tuple(code for code in self.languages.split(",") if code)

    def course_title(self, language: str) -> str:
        """The course title as issued in `language`, else in French (the source language)."""
        return getattr(self, f"course_title_{language}", "") or self.course_title_fr

    @property
    def current_status(self) -> Status:
        return self.status()

    @property
    def renewable(self) -> bool:
        """Its status lets the holder renew it today (expired, or expiring soon)."""
        return self.current_status in RENEWABLE

    @property
    def expired_since(self) -> datetime.date:
        """The first day on which the certificate was no longer valid."""
        return self.expires_on + datetime.timedelta(days=1)


class CertificateNameChange(models.Model):
    """An administrator's correction of the holder's name on a certificate."""

    certificate = models.ForeignKey(
        Certificate,
        on_delete=models.CASCADE,
        related_name="name_changes",
        verbose_name=_("certificate"),
    )
    old_name = models.CharField(_("previous name"), max_length=150)
    new_name = models.CharField(_("new name"), max_length=150)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("name correction")
        verbose_name_plural = _("name corrections")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.old_name} → {self.new_name}"


class CertificateNameRequest(models.Model):
    """A holder's request for their certificate under the name now on their account.

    An administrator applies it with the name correction (same code), which closes it.
    """

    certificate = models.ForeignKey(
        Certificate,
        on_delete=models.CASCADE,
        related_name="name_requests",
        verbose_name=_("certificate"),
    )
    requested_name = models.CharField(_("name requested"), max_length=150)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("name correction request")
        verbose_name_plural = _("name correction requests")
        ordering = ["-requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate"],
                condition=models.Q(closed_at__isnull=True),
                name="certificates_one_open_name_request",
            ),
        ]

    def __str__(self):
        return f"{self.certificate} → {self.requested_name}"
