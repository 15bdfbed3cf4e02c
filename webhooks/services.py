"""Writes of the webhooks app: record an event's deliveries, send some again."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from webhooks.models import WebhookDelivery, WebhookEndpoint

# A delivery "sending" for longer than this lost its worker: it may be sent again.
STALE_CLAIM = datetime.timedelta(minutes=10)
Status = WebhookDelivery.Status


def _enqueue(delivery_ids: list[int]) -> None:
    from webhooks.tasks import webhook_deliver  # the task module imports this one

    for delivery_id in delivery_ids:
        webhook_deliver.enqueue(delivery_id)


@transaction.atomic
def deliveries_create(
    *, event: str, data: dict, endpoints: list[WebhookEndpoint]
) -> list[WebhookDelivery]:
    """One delivery per endpoint, with the payload as it stands now, and its task
    enqueued in the same transaction (sent once the event's transaction commits)."""
    if not endpoints:
        return []
    now = timezone.now()
    deliveries = [
        WebhookDelivery(
            endpoint=endpoint,
            event=event,
            payload={"type": event, "timestamp": now.isoformat(), "data": data},
            next_attempt_at=now,
            created_at=now,
        )
        for endpoint in endpoints
    ]
    for delivery in deliveries:
        delivery.full_clean(exclude=["endpoint"])
    WebhookDelivery.objects.bulk_create(deliveries)  # sets their pks (PostgreSQL, SQLite)
    _enqueue([delivery.pk for delivery in deliveries])
    return deliveries


@transaction.atomic
def deliveries_replay(*, deliveries) -> int:
    """Send again the deliveries (a queryset), with the same webhook-id and payload and a
    fresh round of retries; one a worker is sending now is left alone unless its claim is
    stale. Returns how many were queued."""
    now = timezone.now()
    replayable = deliveries.filter(~Q(status=Status.SENDING) | Q(claimed_at__lt=now - STALE_CLAIM))
    ids = list(replayable.select_for_update().values_list("pk", flat=True))
    WebhookDelivery.objects.filter(pk__in=ids).update(
        status=Status.QUEUED, attempts=0, next_attempt_at=now, last_error=""
    )
    _enqueue(ids)
    return len(ids)
