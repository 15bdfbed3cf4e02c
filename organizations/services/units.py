"""Placing an organization under another: what its supervisors and those above see."""

from django.db import transaction

from accounts.models import User
from organizations.models import AuditEvent, Organization
from organizations.services.audit import audit_record


def organization_move(
    *,
    organization: Organization,
    parent: Organization | None,
    actor: User | None,
    by_administrator: bool = False,
) -> None:
    """Place the organization (and its own units) under `parent`, or at the top of a tree
    with None, in one transaction with its record in the access history of the unit, of
    the unit it left and of the one it joined: their supervisors' view changes with it.
    A move under itself or one of its units raises ValueError (forms say it first)."""
    with transaction.atomic():
        previous_id = (
            Organization.objects.select_for_update()
            .filter(pk=organization.pk)
            .values_list("parent_id", flat=True)
            .get()
        )
        if previous_id == (parent.pk if parent else None):
            return
        previous = Organization.objects.filter(pk=previous_id).first() if previous_id else None
        organization.parent = parent
        organization.save()
        before = {"parent": previous.name if previous else ""}
        after = {"parent": parent.name if parent else ""}
        for unit in {organization, previous, parent} - {None}:
            audit_record(
                kind=AuditEvent.Kind.UNIT_MOVED,
                actor=actor,
                organization=unit,
                subject_label=organization.name,
                before=before,
                after=after,
                by_administrator=by_administrator,
            )
