"""The audit log: one event per change of who can see whom.

Every service that changes access calls `audit_record` inside its own transaction, so
the event is saved with the change or not at all.
"""

from accounts.models import User
from organizations.models import AuditEvent, Organization


def _label(user: User | None) -> str:
    if user is None:
        return ""
    return f"{user.full_name} <{user.email}>" if user.full_name else user.email


def audit_record(
    *,
    kind: str,
    actor: User | None,
    organization: Organization | None = None,
    subject: User | None = None,
    subject_label: str | None = None,
    actor_label: str | None = None,
    before: dict | None = None,
    after: dict | None = None,
    by_administrator: bool = False,
) -> AuditEvent:
    """Write one event. The labels default to the name and address of the actor and of
    the subject; pass the address typed for a person who has not agreed to be seen by the
    organization (an invitation, a refusal): its supervisors read these labels."""
    return AuditEvent.objects.create(
        kind=kind,
        actor=actor if actor is not None and actor.pk else None,
        actor_label=_label(actor) if actor_label is None else actor_label,
        organization=organization,
        subject=subject,
        subject_label=_label(subject) if subject_label is None else subject_label,
        before=before or {},
        after=after or {},
        by_administrator=by_administrator,
    )
