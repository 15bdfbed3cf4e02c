"""Reads of the webhooks app."""

from django.db.models import QuerySet

from webhooks.models import WebhookEndpoint


def endpoints_for(*, event: str, organization_ids=None, member_id=None) -> list[WebhookEndpoint]:
    """The active endpoints subscribed to `event` of the organizations given, or of every
    organization `member_id` belongs to. One query; the subscription is checked in Python
    (a JSON list: SQLite has no `contains` on it, and an organization has few endpoints)."""
    endpoints: QuerySet = WebhookEndpoint.objects.filter(active=True)
    if organization_ids is not None:
        endpoints = endpoints.filter(organization_id__in=organization_ids)
    else:
        endpoints = endpoints.filter(organization__memberships__user_id=member_id)
    return [endpoint for endpoint in endpoints.distinct() if event in endpoint.events]
