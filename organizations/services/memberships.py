"""Changing a membership: its role, or its end (the person leaves, or is removed).

Removing keeps the person's account, progress and certificates: the organization simply
stops seeing them, and its assignments to them go. An organization always keeps at
least one supervisor.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from organizations.models import Assignment, AuditEvent, Membership, Organization
from organizations.services.audit import audit_record

ERROR_OWN_ROLE = _("You cannot change your own role.")
ERROR_LAST_SUPERVISOR = _(
    "This is the organization's only supervisor. Make someone else a supervisor first."
)


def _lock_organization(organization: Organization) -> None:
    """Serialise the changes of one organization's supervisors, so that two of them
    demoting each other at the same moment cannot leave it with none."""
    Organization.objects.select_for_update().filter(pk=organization.pk).first()


def _check_not_last_supervisor(membership: Membership) -> None:
    if membership.role != Membership.Role.SUPERVISOR:
        return
    others = (
        Membership.objects.filter(
            organization_id=membership.organization_id, role=Membership.Role.SUPERVISOR
        )
        .exclude(pk=membership.pk)
        .exists()
    )
    if not others:
        raise ValidationError(ERROR_LAST_SUPERVISOR, code="last_supervisor")


@transaction.atomic
def membership_change_role(
    *, membership: Membership, role: str, by: User, by_administrator: bool = False
) -> Membership:
    """Promote or demote a member; nobody changes their own role, and the last
    supervisor stays one."""
    _lock_organization(membership.organization)
    membership = Membership.objects.select_related("user", "organization").get(pk=membership.pk)
    if role == membership.role:
        return membership
    if membership.user_id == by.pk and not by_administrator:
        raise ValidationError(ERROR_OWN_ROLE, code="own_role")
    if role not in Membership.Role.values:
        raise ValidationError(_("Unknown role."), code="invalid_role")
    _check_not_last_supervisor(membership)
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        kind=AuditEvent.Kind.ROLE_CHANGED,
        actor=by,
        organization=membership.organization,
        subject=membership.user,
        before={"role": before},
        after={"role": role},
        by_administrator=by_administrator,
    )
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, by: User, by_administrator: bool = False) -> None:
    """End the membership: the person left (by is the member) or was removed.

    The organization's assignments to the person go with it; their enrollments,
    progress, attempts and certificates stay theirs.
    """
    _lock_organization(membership.organization)
    membership = (
        Membership.objects.select_related("user", "organization").filter(pk=membership.pk).first()
    )
    if membership is None:
        return  # ended meanwhile
    _check_not_last_supervisor(membership)
    left = membership.user_id == by.pk and not by_administrator
    Assignment.objects.filter(
        organization_id=membership.organization_id, learner_id=membership.user_id
    ).delete()
    membership.delete()
    audit_record(
        kind=AuditEvent.Kind.MEMBER_LEFT if left else AuditEvent.Kind.MEMBER_REMOVED,
        actor=by,
        organization=membership.organization,
        subject=membership.user,
        before={"role": membership.role},
        after={},
        by_administrator=by_administrator,
    )
