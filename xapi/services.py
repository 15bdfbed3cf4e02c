"""Writes of the xapi app: queuing the statements of an event, and sending them again."""

import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.services import task_enqueue
from xapi import statements as xapi_statements
from xapi.models import LearnerAccount, LrsEndpoint, OutgoingStatement
from xapi.tasks import statement_send

# A statement claimed by a worker this long ago and still "sending" is taken to have lost
# its worker: the admin's "Send again" may queue it again.
STALE_CLAIM = datetime.timedelta(minutes=15)
BATCH_SIZE = 100


@dataclass(frozen=True)
class Event:
    """One statement to make for each LRS: `key` names the event (with the LRS, it makes
    the statement id, so the same event is queued once per LRS)."""

    key: str
    verb: object  # a ralph verb model (xapi.statements.REGISTERED…)
    activity: xapi_statements.Activity
    timestamp: datetime.datetime
    registration: uuid.UUID | None = None
    parent: xapi_statements.Activity | None = None
    result: dict | None = None


def _account_names(*, learner_id: int, organization_ids: set[int]) -> dict[int, str]:
    """{organization id: the learner's opaque name there}, created the first time."""
    names = {}
    for organization_id in sorted(organization_ids):
        account, _created = LearnerAccount.objects.get_or_create(
            user_id=learner_id, organization_id=organization_id
        )
        names[organization_id] = str(account.name)
    return names


def _account_names_many(*, learner_ids: list[int], organization_id: int) -> dict[int, str]:
    """{learner id: their opaque name in the organization}, created where missing, in two
    queries whatever the number of people."""
    LearnerAccount.objects.bulk_create(
        [LearnerAccount(user_id=pk, organization_id=organization_id) for pk in learner_ids],
        ignore_conflicts=True,
    )
    return {
        user_id: str(name)
        for user_id, name in LearnerAccount.objects.filter(
            organization_id=organization_id, user_id__in=learner_ids
        ).values_list("user_id", "name")
    }


@transaction.atomic(savepoint=False)
def statements_queue_many(
    *, endpoint: LrsEndpoint, events_by_learner: dict[int, list[Event]]
) -> int:
    """`statements_queue` for many learners and one LRS (an assignment to a whole team):
    the same statements, written in a number of queries that does not grow with the
    people. Returns how many statements were written."""
    if not events_by_learner:
        return 0
    names = _account_names_many(
        learner_ids=list(events_by_learner), organization_id=endpoint.organization_id
    )
    rows = []
    for learner_id, events in events_by_learner.items():
        for event in events:
            statement_id = xapi_statements.derived_id("statement", endpoint.pk, event.key)
            statement = xapi_statements.statement_build(
                statement_id=statement_id,
                site_url=settings.SITE_URL,
                actor_name=names[learner_id],
                verb=event.verb,
                activity=event.activity,
                timestamp=event.timestamp,
                registration=event.registration,
                parent=event.parent,
                result=event.result,
            )
            rows.append(
                OutgoingStatement(
                    endpoint=endpoint,
                    statement_id=statement_id,
                    verb=statement["verb"]["display"]["en-US"],
                    statement=statement,
                )
            )
    OutgoingStatement.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    _enqueue([str(row.statement_id) for row in rows])
    return len(rows)


@transaction.atomic(savepoint=False)  # the caller's transaction, or one of its own
def statements_queue(
    *, learner_id: int, endpoints: list[LrsEndpoint], events: list[Event]
) -> list[OutgoingStatement]:
    """Fix each event's statement for each LRS (built and validated now, with the
    learner's opaque name there) and enqueue their sending in the caller's transaction: if
    it rolls back, nothing leaves. An event already queued for an LRS is not queued again.
    Returns the rows written."""
    if not endpoints or not events:
        return []
    names = _account_names(
        learner_id=learner_id, organization_ids={e.organization_id for e in endpoints}
    )
    rows = []
    for endpoint in endpoints:
        for event in events:
            statement_id = xapi_statements.derived_id("statement", endpoint.pk, event.key)
            statement = xapi_statements.statement_build(
                statement_id=statement_id,
                site_url=settings.SITE_URL,
                actor_name=names[endpoint.organization_id],
                verb=event.verb,
                activity=event.activity,
                timestamp=event.timestamp,
                registration=event.registration,
                parent=event.parent,
                result=event.result,
            )
            rows.append(
                OutgoingStatement(
                    endpoint=endpoint,
                    statement_id=statement_id,
                    verb=statement["verb"]["display"]["en-US"],
                    statement=statement,
                )
            )
    OutgoingStatement.objects.bulk_create(rows, ignore_conflicts=True)
    _enqueue([str(row.statement_id) for row in rows])
    return rows


def _enqueue(statement_ids: list[str]) -> None:
    for start in range(0, len(statement_ids), BATCH_SIZE):
        task_enqueue(statement_send, statement_ids=statement_ids[start : start + BATCH_SIZE])


@transaction.atomic
def statements_retry(*, statements) -> int:
    """Queue again the statements (a queryset) not yet sent, with a fresh round of
    retries; one a worker is sending is left alone unless its claim is stale. Returns how
    many were queued."""
    now = timezone.now()
    Status = OutgoingStatement.Status
    retryable = statements.filter(
        Q(status__in=[Status.FAILED, Status.RETRYING, Status.QUEUED])
        | Q(status=Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    )
    ids = list(retryable.select_for_update().values_list("statement_id", flat=True))
    OutgoingStatement.objects.filter(statement_id__in=ids).update(
        status=Status.QUEUED, attempts=0, next_attempt_at=now
    )
    _enqueue([str(statement_id) for statement_id in ids])
    return len(ids)
