"""Writes of the webhooks app: record an event's deliveries, send some again."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from webhooks.models import WebhookDelivery, WebhookEndpoint

# A delivery "sending" for longer than this lost its worker: it may be sent again.
STALE_CLAIM = datetime.timedelta(minutes=10)
Status = WebhookDelivery.Status


# Up to this many deliveries, a task each is enqueued at once; beyond (the daily run's
# batches, a replay of many), one task per FAN_OUT enqueues theirs from a worker.
FAN_OUT = 200


def _enqueue(delivery_ids: list[int]) -> None:
    from webhooks.tasks import webhooks_enqueue  # the task module imports this one

    if len(delivery_ids) <= FAN_OUT:
        webhooks_enqueue.call(delivery_ids)  # here and now, in this transaction
        return
    for start in range(0, len(delivery_ids), FAN_OUT):
        webhooks_enqueue.enqueue(delivery_ids[start : start + FAN_OUT])


def _delivery(*, event: str, data: dict, endpoint: WebhookEndpoint, now) -> WebhookDelivery:
    delivery = WebhookDelivery(
        endpoint=endpoint,
        event=event,
        payload={"type": event, "timestamp": now.isoformat(), "data": data},
        next_attempt_at=now,
        created_at=now,
    )
    # The fields' own checks; uniqueness is the database's (a query per row otherwise).
    delivery.full_clean(exclude=["endpoint"], validate_unique=False, validate_constraints=False)
    return delivery


@transaction.atomic
def deliveries_create(
    *, event: str, data: dict, endpoints: list[WebhookEndpoint]
) -> list[WebhookDelivery]:
    """One delivery per endpoint, with the payload as it stands now, and its task
    enqueued in the same transaction (sent once the event's transaction commits)."""
    return deliveries_create_many(event=event, items=[(data, endpoints)])


@transaction.atomic
def deliveries_create_many(
    *, event: str, items: list[tuple[dict, list[WebhookEndpoint]]]
) -> list[WebhookDelivery]:
    """`deliveries_create` for several occurrences of one event at once (the daily run's
    batches): each `(data, endpoints)` gets a delivery per endpoint; one INSERT for all."""
    now = timezone.now()
    deliveries = [
        _delivery(event=event, data=data, endpoint=endpoint, now=now)
        for data, endpoints in items
        for endpoint in endpoints
    ]
    if not deliveries:
        return []
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
