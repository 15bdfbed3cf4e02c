from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.validators import validate_no_control_characters
from courses.workplaces import Workplace


class Province(models.TextChoices):
    """Canada's thirteen provinces and territories, by their two-letter postal code."""

    AB = "AB", _("Alberta")
    BC = "BC", _("British Columbia")
    MB = "MB", _("Manitoba")
    NB = "NB", _("New Brunswick")
    NL = "NL", _("Newfoundland and Labrador")
    NS = "NS", _("Nova Scotia")
    NT = "NT", _("Northwest Territories")
    NU = "NU", _("Nunavut")
    ON = "ON", _("Ontario")
    PE = "PE", _("Prince Edward Island")
    QC = "QC", _("Quebec")
    SK = "SK", _("Saskatchewan")
    YT = "YT", _("Yukon")


class Organization(models.Model):
    """A shelter, group home or school whose staff take the training."""

    name = models.CharField(_("name"), max_length=200, validators=[validate_no_control_characters])
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Workplace.choices,
        default=Workplace.OTHER,
        help_text=_("Decides which situations its staff see in the quizzes."),
    )
    province = models.CharField(_("province or territory"), max_length=2, choices=Province.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name", "pk"]
        # Front-end access to every organization comes from this permission (superusers
        # have it), never from `is_staff` alone: an editor of lessons sees nobody.
        permissions = [
            ("view_every_organization", _("Can see every organization and its people")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=Workplace.values),
                name="organizations_organization_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(province__in=Province.values),
                name="organizations_organization_province_valid",
            ),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A person's place in an organization. A person may belong to several.

    `created_at` is when the person joined (accepted the invitation): the organization
    sees nothing of their training from before it.
    """

    class Role(models.TextChoices):
        STAFF = "staff", _("Staff")
        SUPERVISOR = "supervisor", _("Supervisor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["user__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="organizations_membership_once_per_org"
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["staff", "supervisor"]),
                name="organizations_membership_role_valid",
            ),
        ]
        indexes = [
            # Supervisor checks: "is this user a supervisor of that organization?"
            models.Index(fields=["organization", "role"], name="organizations_member_role_idx"),
        ]

    def __str__(self):
        return f"{self.user} — {self.organization} ({self.get_role_display()})"


class Invitation(models.Model):
    """An invitation to join an organization, sent to an address that already had an
    account. Until the person accepts, the organization sees only what its supervisor
    typed (the address and the name), never what the account holds."""

    class State(models.TextChoices):
        # Feminine in French: une invitation.
        PENDING = "pending", pgettext_lazy("invitation", "Pending")
        ACCEPTED = "accepted", pgettext_lazy("invitation", "Accepted")
        DECLINED = "declined", pgettext_lazy("invitation", "Declined")
        CANCELLED = "cancelled", pgettext_lazy("invitation", "Cancelled")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organization"),
    )
    email = models.EmailField(_("e-mail address"))
    full_name = models.CharField(
        _("name typed"), max_length=150, validators=[validate_no_control_characters]
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Membership.Role.choices, default=Membership.Role.STAFF
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=models.Q(state="pending"),
                name="organizations_invitation_one_pending",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["staff", "supervisor"]),
                name="organizations_invitation_role_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["pending", "accepted", "declined", "cancelled"]),
                name="organizations_invitation_state_valid",
            ),
        ]
        indexes = [models.Index(fields=["email", "state"], name="organizations_invite_email_idx")]

    def __str__(self):
        return f"{self.email} — {self.organization}"


class AuditEvent(models.Model):
    """One change of who can see whom, written by the service that made it, in the same
    transaction (after Zulip's RealmAuditLog). Never edited; `*_label` keep who was who
    after an account is gone. `subject_label` is what the organization may see of the
    person: the address its supervisor typed, for an invitation."""

    class Kind(models.TextChoices):
        MEMBER_CREATED = "member_created", _("New account added as a member")
        INVITATION_SENT = "invitation_sent", _("Invitation sent")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        INVITATION_DECLINED = "invitation_declined", _("Invitation declined")
        INVITATION_CANCELLED = "invitation_cancelled", _("Invitation cancelled")
        MEMBER_LEFT = "member_left", _("Left the organization")
        MEMBER_REMOVED = "member_removed", _("Removed from the organization")
        ROLE_CHANGED = "role_changed", _("Role changed")
        CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate revoked")
        CERTIFICATE_RENAMED = "certificate_renamed", _("Certificate reissued under another name")
        CERTIFICATE_NAME_REQUESTED = (
            "certificate_name_requested",
            _("Corrected certificate name requested"),
        )
        ACCOUNT_RENAMED = "account_renamed", _("Name on the account changed")

    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    kind = models.CharField(_("what"), max_length=40, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_label = models.CharField(_("who (as then)"), max_length=300, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("organization"),
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("whom"),
    )
    subject_label = models.CharField(_("whom (as then)"), max_length=300, blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("after"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    by_administrator = models.BooleanField(_("made in the administration site"), default=False)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(
                fields=["organization", "-occurred_at"], name="organizations_audit_org_idx"
            ),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    def _display(self, values: dict) -> str:
        """`before` or `after` in words: a role or a state by its label."""
        labels = {**dict(Membership.Role.choices), **dict(Invitation.State.choices)}
        return ", ".join(str(labels.get(value, value)) for value in values.values())

    @property
    def before_display(self) -> str:
        return self._display(self.before)

    @property
    def after_display(self) -> str:
        return self._display(self.after)


class Assignment(models.Model):
    """A course an organization asks one of its members to take, perhaps by a date."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("organization"),
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("learner"),
    )
    course = models.ForeignKey(
        "courses.Course",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("course"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "learner", "course"],
                name="organizations_assignment_once_per_course",
            ),
        ]

    def __str__(self):
        return f"{self.learner} — {self.course}"


class ReminderLog(models.Model):
    """One row per reminder e-mail sent. The unique constraint is what guarantees that a
    person gets at most one reminder a day, however often and however concurrently
    `send_reminders` runs: the row is inserted before the e-mail is sent."""

    class Kind(models.TextChoices):
        LEARNER = "learner", _("Own training")
        SUPERVISOR = "supervisor", _("Organization summary")
        BOTH = "both", _("Own training and organization summary")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_logs",
        verbose_name=_("person"),
    )
    sent_on = models.DateField(_("sent on"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "sent_on"], name="organizations_reminder_once_a_day"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.sent_on}"
