"""The background task that sends one queued e-mail (accounts.models.OutgoingEmail).

A worker (`manage.py db_worker`) runs it. It claims the row with a conditional UPDATE
before sending: whichever of two runs (a task enqueued twice, two workers) claims it
first sends it, the other finds it no longer queued and does nothing. A failure of the
mail server is retried after each of RETRY_DELAYS, then the e-mail is marked failed for
good: administrators see it, with its error, in the admin, and can send it again.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db.models import F
from django.utils import timezone
from django_tasks import task, task_backends

from accounts.models import OutgoingEmail

logger = logging.getLogger(__name__)

# After the first attempt fails: 1 minute, 5 minutes, 30 minutes, 2 hours, 12 hours.
RETRY_DELAYS = tuple(
    datetime.timedelta(seconds=seconds) for seconds in (60, 300, 1800, 7200, 43200)
)
# The token placeholder that the body of a set-password e-mail carries in its link.
PASSWORD_TOKEN_PLACEHOLDER = "set-password-token"
Status = OutgoingEmail.Status


@task()
def email_deliver(email_ids: list[int]) -> dict[str, int]:
    """Send each queued e-mail once; returns how many were "sent", "retrying", "failed"
    or "skipped". One task carries a batch (an import's invitations), so that queuing
    takes the same statements for 3 or 3,000; each e-mail is claimed and retried alone."""
    outcomes: dict[str, int] = {}
    for email_id in email_ids:
        outcome = _deliver_one(email_id)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def _deliver_one(email_id: int) -> str:
    now = timezone.now()
    claimed = OutgoingEmail.objects.filter(
        pk=email_id, status__in=[Status.QUEUED, Status.RETRYING], next_attempt_at__lte=now
    ).update(status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    if not claimed:
        return "skipped"  # sent, being sent, failed for good, or not due yet
    email = OutgoingEmail.objects.select_related("user").get(pk=email_id)
    try:
        _message(email).send()
    except Exception as error:  # any transport error: retry later, keep the e-mail
        return _failed(email, error)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def _message(email: OutgoingEmail) -> mail.EmailMessage:
    body = email.body
    if email.password_link:
        if email.user is None:
            raise LookupError("The account this link was for no longer exists.")
        token = default_token_generator.make_token(email.user)
        body = body.replace(PASSWORD_TOKEN_PLACEHOLDER, token)
    return mail.EmailMessage(
        email.subject, body, from_email=settings.DEFAULT_FROM_EMAIL, to=[email.recipient]
    )


def _failed(email: OutgoingEmail, error: Exception) -> str:
    error_text = f"{type(error).__name__}: {error}"[:2000]
    retry = email.attempts <= len(RETRY_DELAYS) and not isinstance(error, LookupError)
    if not retry:
        logger.error("E-mail %s failed for good after %d attempts", email.pk, email.attempts)
        OutgoingEmail.objects.filter(pk=email.pk).update(
            status=Status.FAILED, last_error=error_text
        )
        return "failed"
    when = timezone.now() + RETRY_DELAYS[email.attempts - 1]
    logger.warning("E-mail %s failed (%s); retry at %s", email.pk, error_text, when)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=Status.RETRYING, last_error=error_text, next_attempt_at=when
    )
    if task_backends[email_deliver.backend].supports_defer:
        email_deliver.using(run_after=when).enqueue([email.pk])
    # A backend that cannot defer (the immediate one of tests) leaves it waiting: an
    # administrator sends it again from the admin.
    return "retrying"
