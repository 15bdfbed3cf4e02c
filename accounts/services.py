import datetime
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task_backends
from django_tasks_db.backend import DatabaseBackend

from accounts.models import OutgoingEmail, User
from accounts.signals import user_renamed
from accounts.tasks import email_deliver

# A claimed e-mail that has not been sent after this long lost its worker (killed while
# sending): an administrator may send it again, knowing it may have left once.
STALE_CLAIM = datetime.timedelta(minutes=15)
# E-mails per task: several workers share a large import, none holds it for long.
BATCH_SIZE = 500


@transaction.atomic
def user_update_profile(*, user: User, full_name: str, preferred_language: str, workplace: str):
    """Save the person's own profile; a change of name is announced (`user_renamed`) in
    the same transaction, so that it is recorded with it."""
    before = User.objects.filter(pk=user.pk).values_list("full_name", flat=True).first()
    user.full_name = full_name
    user.preferred_language = preferred_language
    user.workplace = workplace
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "preferred_language", "workplace"])
    if before is not None and before != full_name:
        user_renamed.send(sender=User, user=user, before=before, after=full_name)
    return user


@dataclass(frozen=True)
class Email:
    """An e-mail to queue, already rendered in the recipient's language.

    `key` names it for idempotency (a reminder: the person and the day); queuing a key
    again queues nothing. Blank: each call is a new e-mail. With `password_link`, the body
    holds accounts.tasks.PASSWORD_TOKEN_PLACEHOLDER where `user`'s token goes.
    """

    recipient: str
    subject: str
    body: str
    user: User | None = None
    language: str = ""
    password_link: bool = False
    key: str = ""


def email_to(user: User, template: str, context, *, key: str = "") -> Email:
    """`user`'s e-mail rendered from `<template>_subject.txt` and `<template>.txt` in their
    language. `context` is a function that builds the templates' context: it is called in
    that language too, so that the addresses it reverses and the lazy strings it holds
    follow the recipient, not the request."""
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        values = context()
        subject = render_to_string(f"{template}_subject.txt", values)
        body = render_to_string(f"{template}.txt", values)
    return Email(
        recipient=user.email,
        subject=" ".join(subject.split()),
        body=body,
        user=user,
        language=language,
        key=key,
    )


@transaction.atomic(savepoint=False)  # the caller's transaction, or one of its own
def email_queue(*, emails: list[Email]) -> list[OutgoingEmail]:
    """Record the e-mails and enqueue their sending in the caller's transaction: if it
    rolls back, nothing is sent; once it commits, nothing is lost. Returns the e-mails
    queued now (not those whose key was already queued)."""

    def row(email: Email) -> OutgoingEmail:
        return OutgoingEmail(
            idempotency_key=email.key or f"once:{uuid.uuid4().hex}",
            recipient=email.recipient,
            user=email.user,
            subject=email.subject,
            body=email.body,
            language=email.language,
            password_link=email.password_link,
        )

    # Unkeyed e-mails cannot collide: one statement for all of them (an import's).
    queued = OutgoingEmail.objects.bulk_create([row(email) for email in emails if not email.key])
    for email in emails:
        if email.key:
            keyed = row(email)
            try:
                with transaction.atomic():
                    keyed.save()
            except IntegrityError:
                continue  # queued already: that one stands
            queued.append(keyed)
    _enqueue([row.pk for row in queued])
    return queued


def _enqueue(email_ids: list[int]) -> None:
    """The database backend keeps its queue in this transaction, so it commits or rolls
    back with the data. Any other (Redis…) is told only once the transaction commits."""
    batches = [email_ids[i : i + BATCH_SIZE] for i in range(0, len(email_ids), BATCH_SIZE)]
    backend = task_backends[email_deliver.backend]
    if isinstance(backend, DatabaseBackend) or not settings.TASKS_ENQUEUE_ON_COMMIT:
        for batch in batches:
            email_deliver.enqueue(batch)
    elif batches:
        transaction.on_commit(lambda: [email_deliver.enqueue(batch) for batch in batches])


def task_enqueue(task, **arguments) -> None:
    """Enqueue `task(**arguments)` with the caller's transaction, as e-mails are: now for
    the database backend (it commits or rolls back with the data), else once it commits."""
    backend = task_backends[task.backend]
    if isinstance(backend, DatabaseBackend) or not settings.TASKS_ENQUEUE_ON_COMMIT:
        task.enqueue(**arguments)
    else:
        transaction.on_commit(lambda: task.enqueue(**arguments))


@transaction.atomic
def email_retry(*, emails) -> int:
    """Queue again the e-mails (a queryset) not yet sent, with a fresh round of retries.
    One that a worker is sending is left alone unless its claim is stale (STALE_CLAIM).
    Returns how many were queued."""
    now = timezone.now()
    retryable = emails.filter(
        Q(status__in=[OutgoingEmail.Status.FAILED, OutgoingEmail.Status.RETRYING])
        | Q(status=OutgoingEmail.Status.QUEUED)
        | Q(status=OutgoingEmail.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    )
    email_ids = list(retryable.select_for_update().values_list("pk", flat=True))
    OutgoingEmail.objects.filter(pk__in=email_ids).update(
        status=OutgoingEmail.Status.QUEUED, attempts=0, next_attempt_at=now
    )
    _enqueue(email_ids)
    return len(email_ids)


@transaction.atomic
def email_sweep(*, older_than: datetime.timedelta | None = None) -> int:
    """Enqueue again the e-mails still queued, or waiting to retry, `older_than` (the
    EMAIL_SWEEP_AFTER setting) after they were due: their task was never enqueued (a
    backend outside the database that lost it after the commit), or the worker that took
    it died before claiming them. Returns how many were enqueued.

    Idempotent with the tasks: a task claims its e-mail before sending (accounts.tasks),
    so one swept while its first task is only late still leaves once. Each is due again
    from now, so the next sweep leaves it alone for as long. One being sent (claimed) is
    not touched: whether it left is unknown, and administrators decide (email_retry).
    """
    now = timezone.now()
    waiting = OutgoingEmail.objects.filter(
        status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.RETRYING],
        next_attempt_at__lt=now
        - (settings.EMAIL_SWEEP_AFTER if older_than is None else older_than),
    )
    email_ids = list(
        waiting.select_for_update(skip_locked=True).order_by("pk").values_list("pk", flat=True)
    )
    OutgoingEmail.objects.filter(pk__in=email_ids).update(next_attempt_at=now)
    _enqueue(email_ids)
    return len(email_ids)
