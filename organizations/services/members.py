"""Adding one person to an organization (a CSV file: services.imports).

What a supervisor is told never depends on whether the address already had an account:
a new account is created and is a member at once (the supervisor typed its name), an
existing one is invited and joins only if its owner accepts. Both read "invited".
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from accounts.emails import normalize_email
from accounts.models import User
from accounts.services import email_queue
from organizations.models import AuditEvent, Invitation, Membership, Organization
from organizations.services.audit import audit_record
from organizations.services.invitations import (
    ERROR_TOO_MANY_INVITATIONS,
    invitation_allowed,
    invitation_message,
)
from organizations.services.memberships import membership_change_role


class Outcome:
    """What adding one person did (or, in a dry run, would do). The same whether or not
    the address had an account: INVITED covers a new account and an invitation."""

    INVITED = "invited"
    PENDING = "pending"
    ROLE_CHANGED = "role_changed"
    UNCHANGED = "unchanged"

    labels = {
        INVITED: _("Invitation sent"),
        PENDING: _("Invitation already sent, not answered yet"),
        ROLE_CHANGED: _("Already a member, role changed"),
        UNCHANGED: _("Already a member, unchanged"),
    }
    dry_run_labels = {
        INVITED: _("An invitation would be sent"),
        PENDING: _("Invitation already sent, not answered yet"),
        ROLE_CHANGED: _("Already a member, the role would change"),
        UNCHANGED: _("Already a member, unchanged"),
    }


@dataclass
class MemberResult:
    email: str
    outcome: str
    invitation_sent: bool = False


def new_user(*, email: str, full_name: str, language: str, organization: Organization) -> User:
    """An account without a password: its owner chooses one from the invitation."""
    user = User(
        email=email,
        full_name=full_name,
        preferred_language=language,
        workplace=organization.kind,
        password=make_password(None),
    )
    user.full_clean(exclude=["password"], validate_unique=False)
    return user


def never_signed_in(user: User) -> bool:
    return user.last_login is None and not user.has_usable_password()


def _invite_existing(*, organization, user, email, full_name, role, added_by, notify) -> bool:
    """A pending invitation for an account that existed (made, or updated if one is
    pending). Returns whether an e-mail goes out."""
    invitation = (
        Invitation.objects.select_for_update()
        .filter(organization=organization, email=email, state=Invitation.State.PENDING)
        .first()
    )
    if invitation is None:
        invitation = Invitation(
            organization=organization,
            email=email,
            full_name=full_name,
            role=role or Membership.Role.STAFF,
            invited_by=added_by,
        )
        invitation.full_clean()
        try:
            with transaction.atomic():
                invitation.save()
        except IntegrityError:
            return False  # invited by someone else at the same moment
        audit_record(
            kind=AuditEvent.Kind.INVITATION_SENT,
            actor=added_by,
            organization=organization,
            subject=user,
            subject_label=email,
            after={"role": invitation.role},
        )
    elif role and role != invitation.role:
        invitation.role = role
        invitation.save(update_fields=["role"])
    if notify:
        email_queue(
            emails=[
                invitation_message(
                    user=user, organization=organization, added_by=added_by, invitation=invitation
                )
            ]
        )
    return notify


@transaction.atomic
def member_add(
    *,
    organization: Organization,
    email: str,
    full_name: str,
    role: str | None,
    language: str,
    added_by: User,
    notify: bool = True,
) -> MemberResult:
    """Add a person to the organization, or invite them if their address had an account.

    Adding again a member who has not yet chosen a password, or a pending invitation,
    sends the e-mail again (at most INVITATIONS_PER_ADDRESS_PER_HOUR an hour: then
    ERROR_TOO_MANY_INVITATIONS). A role given for an existing member changes it.
    With notify=False (demo data), nobody is e-mailed.
    Raises ValidationError for invalid data, ERROR_OWN_ROLE or ERROR_LAST_SUPERVISOR.
    """
    email = normalize_email(email)
    user = User.objects.filter(email=email).first()
    if user is None:
        # Counted like an invitation to an existing account, so that the hourly limit is
        # reached after the same number of additions whether or not the address had one.
        if notify and not invitation_allowed(email):
            raise ValidationError(ERROR_TOO_MANY_INVITATIONS, code="too_many")
        user = new_user(
            email=email, full_name=full_name, language=language, organization=organization
        )
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            user = None  # created by someone at the same moment: an invitation, as below
        else:
            Membership.objects.create(
                user=user, organization=organization, role=role or Membership.Role.STAFF
            )
            audit_record(
                kind=AuditEvent.Kind.MEMBER_CREATED,
                actor=added_by,
                organization=organization,
                subject=user,
                after={"role": role or Membership.Role.STAFF},
            )
            if notify:
                email_queue(
                    emails=[
                        invitation_message(user=user, organization=organization, added_by=added_by)
                    ]
                )
            return MemberResult(email=email, outcome=Outcome.INVITED, invitation_sent=notify)
        user = User.objects.get(email=email)
    membership = Membership.objects.filter(user=user, organization=organization).first()
    if membership is None:
        if notify and not invitation_allowed(email):
            raise ValidationError(ERROR_TOO_MANY_INVITATIONS, code="too_many")
        sent = _invite_existing(
            organization=organization,
            user=user,
            email=email,
            full_name=full_name,
            role=role,
            added_by=added_by,
            notify=notify,
        )
        return MemberResult(email=email, outcome=Outcome.INVITED, invitation_sent=sent)
    outcome = Outcome.UNCHANGED
    if role and role != membership.role:
        membership_change_role(membership=membership, role=role, by=added_by)
        outcome = Outcome.ROLE_CHANGED
    resend = notify and never_signed_in(user)
    if resend:
        if not invitation_allowed(email):
            raise ValidationError(ERROR_TOO_MANY_INVITATIONS, code="too_many")
        email_queue(
            emails=[invitation_message(user=user, organization=organization, added_by=added_by)]
        )
    return MemberResult(email=email, outcome=outcome, invitation_sent=resend)


def member_invitation_resend(*, membership: Membership, by: User) -> bool:
    """Send again the e-mail that brought in a member who has never signed in (with its
    link to choose a password), within the hourly allowance per address
    (ERROR_TOO_MANY_INVITATIONS past it). Returns whether one was queued: none for a
    member who has signed in, so that the supervisor's message reads the same."""
    user = membership.user
    if not never_signed_in(user):
        return False
    if not invitation_allowed(user.email):
        raise ValidationError(ERROR_TOO_MANY_INVITATIONS, code="too_many")
    email_queue(
        emails=[invitation_message(user=user, organization=membership.organization, added_by=by)]
    )
    return True
