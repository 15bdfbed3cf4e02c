"""The background task that POSTs one webhook delivery, signed (Standard Webhooks).

As `accounts.tasks` does for e-mails: the delivery is claimed by a conditional UPDATE
before it is sent, so that of two runs (a task enqueued twice, two workers) only the one
that claimed it sends that attempt. An answer other than 2xx, or no answer within
REPERE_WEBHOOKS_TIMEOUT_SECONDS, is retried after each of RETRY_DELAYS, then the delivery
is marked failed; administrators see every attempt in the admin and can send it again.

Every attempt carries the delivery's webhook-id (the same through retries and replays),
the time of the attempt as webhook-timestamp, and webhook-signature: HMAC-SHA256 of
"id.timestamp.body" with the endpoint's secret (`standardwebhooks.Webhook.sign`).
"""

import datetime
import json
import logging
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django_tasks import task, task_backends
from standardwebhooks import Webhook

from webhooks.models import WebhookAttempt, WebhookDelivery, validate_endpoint_url

logger = logging.getLogger(__name__)

# After the first attempt fails: 1 minute, 5 minutes, 30 minutes, 2 hours, 12 hours.
RETRY_DELAYS = tuple(
    datetime.timedelta(seconds=seconds) for seconds in (60, 300, 1800, 7200, 43200)
)
RESPONSE_KEPT = 2048  # characters of the response body kept with each attempt
USER_AGENT = "Repere-Webhooks/1"
Status = WebhookDelivery.Status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any other non-2xx: never followed, so that a receiver
    cannot point the signed payload at another address."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def body_of(delivery: WebhookDelivery) -> bytes:
    """The exact bytes sent and signed."""
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()


def signed_headers(delivery: WebhookDelivery, body: bytes, *, at: datetime.datetime) -> dict:
    signature = Webhook(delivery.endpoint.secret).sign(delivery.message_id, at, body)
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }


@task()
def webhook_deliver(delivery_id: int) -> str:
    """Make the delivery's next attempt if it is due; returns "delivered", "retrying",
    "failed" or "skipped" (not due, delivered, failed for good, or claimed by another)."""
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status__in=[Status.QUEUED, Status.RETRYING], next_attempt_at__lte=now
    ).update(status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    if not claimed:
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    if not delivery.endpoint.active:
        return _give_up(delivery, "The endpoint is no longer active.")
    attempt = _post(delivery)
    if attempt.status_code is not None and 200 <= attempt.status_code < 300:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=Status.DELIVERED, delivered_at=timezone.now(), last_error=""
        )
        return "delivered"
    return _failed(delivery, attempt.error or f"HTTP {attempt.status_code}")


@task()
def webhooks_enqueue(delivery_ids: list[int]) -> int:
    """Enqueue the task of each delivery given (`services._enqueue` hands big batches to a
    worker this way); returns how many."""
    for delivery_id in delivery_ids:
        webhook_deliver.enqueue(delivery_id)
    return len(delivery_ids)


def _post(delivery: WebhookDelivery) -> WebhookAttempt:
    attempt = WebhookAttempt(delivery=delivery, attempted_at=timezone.now())
    started = time.monotonic()
    try:
        validate_endpoint_url(delivery.endpoint.url)  # the setting may have changed since
        body = body_of(delivery)
        request = urllib.request.Request(
            delivery.endpoint.url,
            data=body,
            headers=signed_headers(delivery, body, at=timezone.now()),
            method="POST",
        )
        with _opener.open(request, timeout=settings.REPERE_WEBHOOKS_TIMEOUT_SECONDS) as response:
            attempt.status_code = response.status
            attempt.response_body = _text(response.read(RESPONSE_KEPT))
    except urllib.error.HTTPError as error:  # an answer, not 2xx
        attempt.status_code = error.code
        attempt.response_body = _text(error.read(RESPONSE_KEPT))
    except Exception as error:  # no answer: refused, timed out, bad address, TLS
        attempt.error = f"{type(error).__name__}: {error}"[:2000]
    attempt.duration_ms = int((time.monotonic() - started) * 1000)
    attempt.save()
    return attempt


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")[:RESPONSE_KEPT].replace("\x00", "")


def _give_up(delivery: WebhookDelivery, error: str) -> str:
    logger.error("Webhook delivery %s failed for good: %s", delivery.pk, error)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=Status.FAILED, last_error=error)
    return "failed"


def _failed(delivery: WebhookDelivery, error: str) -> str:
    if delivery.attempts > len(RETRY_DELAYS):
        return _give_up(delivery, error)
    when = timezone.now() + RETRY_DELAYS[delivery.attempts - 1]
    logger.warning("Webhook delivery %s failed (%s); retry at %s", delivery.pk, error, when)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=Status.RETRYING, last_error=error, next_attempt_at=when
    )
    if task_backends[webhook_deliver.backend].supports_defer:
        webhook_deliver.using(run_after=when).enqueue(delivery.pk)
    # A backend that cannot defer (the immediate one of tests) leaves it waiting: an
    # administrator sends it again from the admin.
    return "retrying"
