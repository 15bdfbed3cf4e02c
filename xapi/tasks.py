"""The background task that sends queued xAPI statements to their LRS
(xapi.models.OutgoingStatement), as accounts.tasks sends e-mails.

Each statement is claimed with a conditional UPDATE before it is sent: of two runs (a task
enqueued twice, two workers), whichever claims it first sends it, and the other finds it
no longer queued. It is POSTed with its own id, so a retry after a lost answer stores it
once (an LRS answers a statement it already has with success, and one that differs under
the same id with 409 Conflict). A network error, a timeout, 408, 429 or a 5xx answer is
retried after each of RETRY_DELAYS; any other 4xx answer (wrong key, statement refused)
would only fail again, so the statement is marked failed at once. Administrators see
failures, with their error, in the admin and send them again with "Send again".
"""

import base64
import datetime
import json
import logging
import urllib.error
import urllib.request

from django.db.models import F
from django.utils import timezone
from django_tasks import task, task_backends

from xapi.models import OutgoingStatement

logger = logging.getLogger(__name__)

# After the first attempt fails: 1 minute, 5 minutes, 30 minutes, 2 hours, 12 hours.
RETRY_DELAYS = tuple(
    datetime.timedelta(seconds=seconds) for seconds in (60, 300, 1800, 7200, 43200)
)
TIMEOUT_SECONDS = 10
XAPI_VERSION = "1.0.3"
RETRYABLE_STATUSES = {408, 429}
Status = OutgoingStatement.Status


class Refused(Exception):
    """The LRS answered with a 4xx that sending again would not change."""


@task()
def statement_send(statement_ids: list[str]) -> dict[str, int]:
    """Send each queued statement once; returns how many were "sent", "retrying",
    "failed" or "skipped"."""
    outcomes: dict[str, int] = {}
    for statement_id in statement_ids:
        outcome = _send_one(statement_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def _send_one(statement_id: str) -> str:
    now = timezone.now()
    claimed = OutgoingStatement.objects.filter(
        statement_id=statement_id,
        status__in=[Status.QUEUED, Status.RETRYING],
        next_attempt_at__lte=now,
        # An LRS made inactive (a leaked secret, a store being moved) receives nothing
        # more: its statements wait, and "Send again" sends them once it is active again.
        endpoint__active=True,
    ).update(status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    if not claimed:
        return "skipped"  # sent, being sent, failed for good, not due yet, or LRS inactive
    row = OutgoingStatement.objects.select_related("endpoint").get(statement_id=statement_id)
    try:
        _post(row)
    except Exception as error:  # any transport error or refusal: recorded on the row
        return _failed(row, error)
    OutgoingStatement.objects.filter(pk=row.pk).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def _post(row: OutgoingStatement) -> None:
    endpoint = row.endpoint
    credentials = base64.b64encode(f"{endpoint.key}:{endpoint.secret}".encode()).decode()
    # statements_url is an http(s) URLField, https but for this machine (models.clean).
    request = urllib.request.Request(
        endpoint.statements_url,
        data=json.dumps(row.statement).encode(),
        method="POST",
        headers={
            "Authorization": f"Basic {credentials}",
            "Content-Type": "application/json",
            "X-Experience-API-Version": XAPI_VERSION,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS):
            return
    except urllib.error.HTTPError as error:
        body = error.read(500).decode(errors="replace")
        if 400 <= error.code < 500 and error.code not in RETRYABLE_STATUSES:
            raise Refused(f"HTTP {error.code}: {body}") from error
        raise


def _failed(row: OutgoingStatement, error: Exception) -> str:
    error_text = f"{type(error).__name__}: {error}"[:2000]
    if isinstance(error, Refused) or row.attempts > len(RETRY_DELAYS):
        logger.error("xAPI statement %s failed for good: %s", row.statement_id, error_text)
        OutgoingStatement.objects.filter(pk=row.pk).update(
            status=Status.FAILED, last_error=error_text
        )
        return "failed"
    when = timezone.now() + RETRY_DELAYS[row.attempts - 1]
    logger.warning("xAPI statement %s failed (%s); retry at %s", row.statement_id, error_text, when)
    OutgoingStatement.objects.filter(pk=row.pk).update(
        status=Status.RETRYING, last_error=error_text, next_attempt_at=when
    )
    if task_backends[statement_send.backend].supports_defer:
        statement_send.using(run_after=when).enqueue([str(row.statement_id)])
    # A backend that cannot defer (the immediate one of tests) leaves it waiting: an
    # administrator sends it again from the admin.
    return "retrying"
