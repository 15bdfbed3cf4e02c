from django.db.models import QuerySet

from organizations.models import AuditEvent, Organization
from organizations.selectors.units import unit_ids_in


def audit_events_of(
    *, organization: Organization, with_units: bool = False
) -> QuerySet[AuditEvent]:
    """The organization's audit events, newest first; `with_units`, those of every unit
    below it too (with their `organization`): a board's supervisors answer for who sees
    whom in its schools, whose pages they open. The page shows the labels saved with
    each event (what the organization could see then), never a live account."""
    if not with_units:
        return AuditEvent.objects.filter(organization=organization).order_by("-occurred_at", "-pk")
    return (
        AuditEvent.objects.filter(organization_id__in=unit_ids_in(organization))
        .select_related("organization")
        .order_by("-occurred_at", "-pk")
    )
