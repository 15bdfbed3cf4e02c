"""The background task that sends completions to LMS gradebooks (lti.models.ScorePassback).

As accounts.tasks sends e-mails: a score is claimed with a conditional UPDATE before it is
sent, so that of two runs only one sends it; a failure of the LMS is retried after each of
RETRY_DELAYS, then the score is marked failed for good (administrators see it, with its
error, in the admin).

What is sent (Assignment and Grade Services 2.0): the score 1.0 out of 1.0, activity
"Completed", grading "FullyGraded", for the LMS's own id of the person (`sub`).
"""

import datetime
import logging

import requests
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django_tasks import task, task_backends
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.grade import Grade
from pylti1p3.service_connector import ServiceConnector

from lti import services
from lti.models import ScorePassback

logger = logging.getLogger(__name__)

RETRY_DELAYS = tuple(
    datetime.timedelta(seconds=seconds) for seconds in (60, 300, 1800, 7200, 43200)
)
Status = ScorePassback.Status


class _Session(requests.Session):
    """pylti1p3 calls the LMS (its token and its gradebook) without a timeout: one that
    never answers would hold the worker for ever. Every call here waits
    REPERE_LTI_TIMEOUT_SECONDS at most, then fails and is retried like any other error."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", settings.REPERE_LTI_TIMEOUT_SECONDS)
        return super().request(*args, **kwargs)


@task()
def scores_send(passback_ids: list[int]) -> dict[str, int]:
    """Send each queued score once; returns how many were "sent", "retrying", "failed" or
    "skipped"."""
    outcomes: dict[str, int] = {}
    for passback_id in passback_ids:
        outcome = _send_one(passback_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def _send_one(passback_id: int) -> str:
    now = timezone.now()
    claimed = ScorePassback.objects.filter(
        pk=passback_id, status__in=[Status.QUEUED, Status.RETRYING], next_attempt_at__lte=now
    ).update(status=Status.SENDING, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"  # sent, being sent, failed for good, or not due yet
    passback = ScorePassback.objects.select_related("lti_user__registration").get(pk=passback_id)
    try:
        _post_score(passback)
    except Exception as error:  # any error of the LMS or the network: retry later
        return _failed(passback, error)
    ScorePassback.objects.filter(pk=passback.pk).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def _post_score(passback: ScorePassback) -> None:
    registration = passback.lti_user.registration
    services.key_current()  # django-lti signs the token request with the newest key
    with _Session() as session:
        connector = ServiceConnector(registration.to_registration(), requests_session=session)
        _put_grade(connector, passback)


def _put_grade(connector: ServiceConnector, passback: ScorePassback) -> None:
    ags = AssignmentsGradesService(
        connector, {"lineitem": passback.lineitem_url, "scope": passback.scopes}
    )
    grade = (
        Grade()
        .set_score_given(1.0)
        .set_score_maximum(1.0)
        .set_activity_progress("Completed")
        .set_grading_progress("FullyGraded")
        .set_timestamp(timezone.now().isoformat())
        .set_user_id(passback.lti_user.sub)
    )
    ags.put_grade(grade)


def _failed(passback: ScorePassback, error: Exception) -> str:
    error_text = f"{type(error).__name__}: {error}"[:2000]
    if passback.attempts > len(RETRY_DELAYS):
        logger.error("Score %s failed for good after %d attempts", passback.pk, passback.attempts)
        ScorePassback.objects.filter(pk=passback.pk).update(
            status=Status.FAILED, last_error=error_text
        )
        return "failed"
    when = timezone.now() + RETRY_DELAYS[passback.attempts - 1]
    logger.warning("Score %s failed (%s); retry at %s", passback.pk, error_text, when)
    ScorePassback.objects.filter(pk=passback.pk).update(
        status=Status.RETRYING, last_error=error_text, next_attempt_at=when
    )
    if task_backends[scores_send.backend].supports_defer:
        scores_send.using(run_after=when).enqueue([passback.pk])
    return "retrying"
