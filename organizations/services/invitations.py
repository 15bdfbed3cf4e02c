"""Invitations: the e-mails that bring people in, and the person's answer to them.

A new account made by a supervisor is a member from the start (the supervisor typed its
name); its e-mail carries a link to choose a password. An account that already existed
gets an `Invitation` instead, and its owner accepts or declines it: until then the
organization sees only the address and the name its supervisor typed.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import Email, email_queue
from accounts.tasks import PASSWORD_TOKEN_PLACEHOLDER
from accounts.throttles import throttle_hit
from organizations.models import AuditEvent, Invitation, Membership, Organization
from organizations.services.audit import audit_record

ERROR_NOT_PENDING = _("This invitation has already been answered or cancelled.")
ERROR_TOO_MANY_INVITATIONS = _(
    "Several invitations have already been sent to this address in the last hour. Try again later."
)
# At most this many invitation e-mails to one address per hour, whoever sends them.
INVITATIONS_PER_ADDRESS_PER_HOUR = 3


def _language(user: User | None, fallback: str) -> str:
    return (user.preferred_language if user is not None else "") or fallback


def _set_password_url(user: User) -> str:
    """The link, with a placeholder for the token that is made when the e-mail leaves
    (accounts.tasks): it then lasts its whole validity, however late that is."""
    return settings.SITE_URL + reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": PASSWORD_TOKEN_PLACEHOLDER,
        },
    )


def invitation_message(
    *, user: User, organization: Organization, added_by, invitation: Invitation | None = None
) -> Email:
    """The e-mail that brings a person in, in their language.

    With an `invitation` (an account that already existed), it asks the person to accept
    or decline on their "My organizations" page. Otherwise the person is already a
    member; someone who has never chosen a password gets the link to choose one.
    """
    language = _language(user, settings.LANGUAGE_CODE)
    with translation.override(language):
        context = {
            "user": user,
            "organization": organization,
            "added_by": added_by,
            "invitation": invitation,
            "login_url": settings.SITE_URL + reverse("login"),
            "answer_url": settings.SITE_URL + reverse("organizations:mine"),
            "privacy_url": settings.SITE_URL + reverse("privacy:page"),
            "set_password_url": None,
            "link_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
        }
        if invitation is None and not user.has_usable_password():
            context["set_password_url"] = _set_password_url(user)
        subject = render_to_string("organizations/email/invitation_subject.txt", context)
        body = render_to_string("organizations/email/invitation.txt", context)
    return Email(
        recipient=user.email,
        subject=" ".join(subject.split()),
        body=body,
        user=user,
        language=language,
        password_link=context["set_password_url"] is not None,
    )


def invitation_allowed(email: str) -> bool:
    """Count one invitation e-mail to this address; False past the hourly allowance."""
    retry_after = throttle_hit(
        "organizations:invitation",
        email,
        limit=INVITATIONS_PER_ADDRESS_PER_HOUR,
        window_seconds=3600,
    )
    return retry_after is None


def pending_invitations_for(*, email: str):
    return Invitation.objects.filter(email=email, state=Invitation.State.PENDING)


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """The person joins the organization with the role they were invited to.

    Their training from before this moment stays theirs: the membership starts now.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != Invitation.State.PENDING or invitation.email != user.email:
        raise ValidationError(ERROR_NOT_PENDING, code="not_pending")
    now = timezone.now()
    membership = Membership(
        user=user, organization=invitation.organization, role=invitation.role, created_at=now
    )
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        # Already a member (added again meanwhile): that membership stands.
        membership = Membership.objects.get(user=user, organization=invitation.organization)
    invitation.state, invitation.responded_at = Invitation.State.ACCEPTED, now
    invitation.save(update_fields=["state", "responded_at"])
    audit_record(
        kind=AuditEvent.Kind.INVITATION_ACCEPTED,
        actor=user,
        organization=invitation.organization,
        subject=user,
        before={"state": Invitation.State.PENDING},
        after={"state": Invitation.State.ACCEPTED, "role": membership.role},
    )
    return membership


@transaction.atomic
def invitation_decline(*, invitation: Invitation, user: User) -> Invitation:
    """The person says no: the organization learns only that the invitation was declined."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != Invitation.State.PENDING or invitation.email != user.email:
        raise ValidationError(ERROR_NOT_PENDING, code="not_pending")
    invitation.state, invitation.responded_at = Invitation.State.DECLINED, timezone.now()
    invitation.save(update_fields=["state", "responded_at"])
    audit_record(
        kind=AuditEvent.Kind.INVITATION_DECLINED,
        actor=user,
        actor_label=invitation.email,
        organization=invitation.organization,
        subject=user,
        subject_label=invitation.email,
        before={"state": Invitation.State.PENDING},
        after={"state": Invitation.State.DECLINED},
    )
    return invitation


@transaction.atomic
def invitation_cancel(
    *, invitation: Invitation, by: User, by_administrator: bool = False
) -> Invitation:
    """A supervisor takes the invitation back before it is answered."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.state != Invitation.State.PENDING:
        raise ValidationError(ERROR_NOT_PENDING, code="not_pending")
    invitation.state, invitation.responded_at = Invitation.State.CANCELLED, timezone.now()
    invitation.save(update_fields=["state", "responded_at"])
    audit_record(
        kind=AuditEvent.Kind.INVITATION_CANCELLED,
        actor=by,
        organization=invitation.organization,
        subject=User.objects.filter(email=invitation.email).first(),
        subject_label=invitation.email,
        before={"state": Invitation.State.PENDING},
        after={"state": Invitation.State.CANCELLED},
        by_administrator=by_administrator,
    )
    return invitation


def invitation_resend(*, invitation: Invitation, by: User) -> None:
    """Send a pending invitation again, within the hourly allowance per address."""
    if invitation.state != Invitation.State.PENDING:
        raise ValidationError(ERROR_NOT_PENDING, code="not_pending")
    user = User.objects.filter(email=invitation.email).first()
    if not invitation_allowed(invitation.email):
        raise ValidationError(ERROR_TOO_MANY_INVITATIONS, code="too_many")
    if user is not None:
        email_queue(
            emails=[
                invitation_message(
                    user=user,
                    organization=invitation.organization,
                    added_by=by,
                    invitation=invitation,
                )
            ]
        )
