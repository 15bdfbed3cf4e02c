from django.db.models import QuerySet

from organizations.models import AuditEvent, Organization


def audit_events_of(*, organization: Organization) -> QuerySet[AuditEvent]:
    """The organization's audit events, newest first. The page shows the labels saved
    with each event (what the organization could see then), never a live account."""
    return AuditEvent.objects.filter(organization=organization).order_by("-occurred_at", "-pk")
