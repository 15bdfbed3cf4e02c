"""What Repère adds to django-lti's models (lti_tool): the organization each registration
signs people into, and the scores owed to an LMS's gradebook."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from lti_tool.models import LtiRegistration, LtiUser

from courses.models import Course
from organizations.models import Organization


class Binding(models.Model):
    """An LMS registration (django-lti's) belongs to exactly one organization: everyone it
    launches becomes staff of that organization, and of no other."""

    registration = models.OneToOneField(
        LtiRegistration,
        on_delete=models.CASCADE,
        related_name="binding",
        verbose_name=_("registration"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="lti_bindings",
        verbose_name=_("organization"),
    )

    class Meta:
        verbose_name = _("organization of an LMS registration")
        verbose_name_plural = _("organizations of LMS registrations")
        ordering = ["registration_id"]

    def __str__(self):
        return f"{self.registration} → {self.organization}"


class ScorePassback(models.Model):
    """The completion of a course that a person launched from an LMS, owed to one line item
    of its gradebook (Assignment and Grade Services). Made at the launch; queued when the
    course is completed; sent by `lti.tasks.scores_send`, which claims it first."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for the completion")
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        RETRYING = "retrying", _("Waiting to retry")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    lti_user = models.ForeignKey(
        LtiUser, on_delete=models.CASCADE, related_name="+", verbose_name=_("LMS user")
    )
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="+", verbose_name=_("course")
    )
    lineitem_url = models.URLField(_("line item"), max_length=500)
    scopes = models.JSONField(_("scopes"), default=list)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.WAITING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("score for an LMS gradebook")
        verbose_name_plural = _("scores for LMS gradebooks")
        ordering = ["-next_attempt_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["lti_user", "lineitem_url"], name="lti_one_score_per_user_lineitem"
            )
        ]

    def __str__(self):
        return f"{self.lti_user} · {self.course}"


class RegistrationInvite(models.Model):
    """A one-time address an administrator gives an organization's LMS administrator for
    LTI Dynamic Registration: the LMS opens it, Repère registers with the LMS and binds the
    registration to this organization. Only a hash of its secret is kept."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="lti_invites",
        verbose_name=_("organization"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True, editable=False)
    registration = models.OneToOneField(
        LtiRegistration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invite",
        editable=False,
        verbose_name=_("registration"),
    )

    class Meta:
        verbose_name = _("LMS registration address")
        verbose_name_plural = _("LMS registration addresses")
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return f"{self.organization} · {self.created_at:%Y-%m-%d}"
