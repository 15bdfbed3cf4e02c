"""Reads of the webhooks app."""

from django.db.models import F, QuerySet

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


def endpoints_by_organization(*, event: str, organization_ids) -> dict[int, list[WebhookEndpoint]]:
    """`endpoints_for` of many organizations at once: their active endpoints subscribed to
    `event`, by organization id (an organization without any is absent). One query."""
    found: dict[int, list[WebhookEndpoint]] = {}
    for endpoint in endpoints_for(event=event, organization_ids=organization_ids):
        found.setdefault(endpoint.organization_id, []).append(endpoint)
    return found


def endpoints_by_member(*, event: str, member_ids) -> dict[int, list[WebhookEndpoint]]:
    """`endpoints_for(member_id=…)` of many people at once: the active endpoints subscribed
    to `event` of every organization each belongs to, by person (a person whose
    organizations have none is absent). One query."""
    rows = (
        WebhookEndpoint.objects.filter(
            active=True, organization__memberships__user_id__in=member_ids
        )
        .annotate(member_id=F("organization__memberships__user_id"))
        .order_by("pk")
    )
    found: dict[int, list[WebhookEndpoint]] = {}
    for endpoint in rows:
        if event in endpoint.events:
            endpoints = found.setdefault(endpoint.member_id, [])
            if endpoint not in endpoints:
                endpoints.append(endpoint)
    return found
