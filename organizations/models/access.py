"""Who may see whom: invitations waiting for an answer, and the audit log."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.validators import validate_no_control_characters
from organizations.models.organizations import Membership, Organization


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
        COURSE_UNASSIGNED = "course_unassigned", _("Course unassigned")
        # The person closed their account (privacy): their membership ended, and the
        # organization keeps only that an account was closed, not whose.
        ACCOUNT_CLOSED = "account_closed", _("Account closed")
        # Single sign-on: the person's first sign-in through the organization's provider
        # made their account a member (their consent), or linked an account they proved
        # was theirs with its password.
        SSO_MEMBER_CREATED = (
            "sso_member_created",
            _("New account through the organization's sign-in"),
        )
        SSO_ACCOUNT_LINKED = (
            "sso_account_linked",
            _("Existing account linked to the organization's sign-in"),
        )
        # A unit placed under another organization (or taken out of one): the
        # supervisors of the units above it see, or stop seeing, its people.
        UNIT_MOVED = "unit_moved", _("Unit placed under another organization")
        # An administrator removed a person's two-factor devices (a lost phone): the
        # reason typed is kept in `after`. No organization: the account's, not one's.
        TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor reset by an administrator")

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
