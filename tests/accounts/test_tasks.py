"""E-mails are tasks: queued with the data, sent once by a worker, retried with backoff,
marked failed for good after the last retry, and sent again from the admin."""

import datetime
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks_db.models import DBTaskResult

from accounts.models import OutgoingEmail
from accounts.services import Email, email_queue, email_sweep
from accounts.tasks import PASSWORD_TOKEN_PLACEHOLDER, RETRY_DELAYS, email_deliver
from tests.factories import UserFactory

Status = OutgoingEmail.Status


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def queue(address="camille@example.org", **fields):
    fields = {"subject": "Bonjour", "body": "Un message.", **fields}
    (email,) = email_queue(emails=[Email(recipient=address, **fields)])
    return email


def time_passes(delay: datetime.timedelta):
    """As if `delay` had passed: what was due by then is due now."""
    OutgoingEmail.objects.update(next_attempt_at=timezone.now())
    DBTaskResult.objects.filter(run_after__lte=timezone.now() + delay).update(
        run_after=timezone.now()
    )


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_a_queued_email_once_even_when_its_task_runs_twice(
    task_worker, smtp_server
):
    email = queue()
    email_deliver.enqueue([email.pk])  # the same e-mail in a second task
    task_worker()
    task_worker()
    assert len(smtp_server.to("camille@example.org")) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 1)


@pytest.mark.django_db(transaction=True)
def test_an_smtp_failure_is_retried_after_a_minute_and_then_succeeds(task_worker, smtp_server):
    smtp_server.stop()
    email = queue()
    task_worker()
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.RETRYING, 1)
    assert "Connection refused" in email.last_error or "ConnectionRefused" in email.last_error
    waited = email.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=50) < waited <= datetime.timedelta(minutes=1)
    task_worker()  # not due yet
    assert OutgoingEmail.objects.get().attempts == 1
    smtp_server.start()
    time_passes(RETRY_DELAYS[0])
    task_worker()
    assert len(smtp_server.to("camille@example.org")) == 1
    assert OutgoingEmail.objects.get().status == Status.SENT


@pytest.mark.django_db(transaction=True)
def test_after_the_last_retry_the_email_is_marked_failed_with_its_error(task_worker, settings):
    settings.EMAIL_BACKEND = "tests.accounts.test_tasks.FailingBackend"
    email = queue()
    task_worker()
    waits = []
    for delay in RETRY_DELAYS:
        email.refresh_from_db()
        waits.append(round((email.next_attempt_at - timezone.now()).total_seconds() / 60))
        time_passes(delay)
        task_worker()
    email.refresh_from_db()
    assert waits == [1, 5, 30, 120, 720]
    assert (email.status, email.attempts) == (Status.FAILED, 6)
    assert email.last_error == "ConnectionRefusedError: mail server down"
    assert not DBTaskResult.objects.ready().exists()  # nothing more is scheduled


@pytest.mark.django_db(transaction=True)
def test_a_set_password_link_is_made_when_the_email_leaves_and_is_never_stored(task_worker):
    user = UserFactory(email="new@example.org")
    email = queue(
        "new@example.org",
        user=user,
        password_link=True,
        body=f"http://testserver/reset/x/{PASSWORD_TOKEN_PLACEHOLDER}/",
    )
    task_worker()
    (sent,) = mail.outbox
    token = sent.body.rstrip("/").rsplit("/", 1)[1]
    assert default_token_generator.check_token(user, token)
    assert token not in OutgoingEmail.objects.get(pk=email.pk).body


@pytest.mark.django_db(transaction=True)
def test_queuing_the_same_key_again_queues_nothing_more(task_worker):
    assert queue(key="reminder:1:2026-12-01") is not None
    assert (
        email_queue(
            emails=[Email("camille@example.org", "Bonjour", "…", key="reminder:1:2026-12-01")]
        )
        == []
    )
    task_worker()
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_an_email_queued_in_a_rolled_back_transaction_is_never_sent(task_worker):
    def change_that_fails():
        with transaction.atomic():
            queue()
            raise RuntimeError("the change that the e-mail was about failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    task_worker()
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fails", [True, False])
def test_a_backend_outside_the_database_is_told_only_once_the_transaction_commits(settings, fails):
    settings.TASKS_ENQUEUE_ON_COMMIT = True  # the immediate backend stands for Redis here
    with pytest.raises(RuntimeError) if fails else transaction.atomic(), transaction.atomic():
        queue()
        assert mail.outbox == []  # not before the commit
        if fails:
            raise RuntimeError("rolled back")
    assert len(mail.outbox) == (0 if fails else 1)


@pytest.mark.django_db
def test_administrators_see_failed_emails_with_their_error_and_send_them_again(
    admin_client, settings
):
    settings.EMAIL_BACKEND = "tests.accounts.test_tasks.FailingBackend"
    failed = queue("failed@example.org")
    sent = queue("sent@example.org")
    OutgoingEmail.objects.filter(pk=failed.pk).update(
        status=Status.FAILED, attempts=6, last_error="SMTPServerDisconnected: gone"
    )
    OutgoingEmail.objects.filter(pk=sent.pk).update(status=Status.SENT)
    changelist = reverse("admin:accounts_outgoingemail_changelist")
    page = admin_client.get(changelist, {"status__exact": "failed"}).content.decode()
    assert "failed@example.org" in page
    assert "SMTPServerDisconnected: gone" in page
    assert "sent@example.org" not in page
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = admin_client.post(
        changelist, {"action": "retry", "_selected_action": [failed.pk, sent.pk]}, follow=True
    )
    (message,) = response.context["messages"]
    assert str(message).startswith("1 ")  # one queued again: the one already sent is not
    assert [message.to for message in mail.outbox] == [["failed@example.org"]]
    assert OutgoingEmail.objects.get(pk=failed.pk).status == Status.SENT


@pytest.mark.django_db
def test_the_admin_cannot_add_or_edit_an_email(admin_client):
    email = queue()
    assert admin_client.get(reverse("admin:accounts_outgoingemail_add")).status_code == 403
    page = admin_client.get(reverse("admin:accounts_outgoingemail_change", args=[email.pk]))
    assert b'name="subject"' not in page.content


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_the_same_email_send_it_once(run_together):
    email = queue()
    mail.outbox.clear()  # the immediate backend of the tests sent it: race for a fresh one
    OutgoingEmail.objects.filter(pk=email.pk).update(status=Status.QUEUED, attempts=0)
    results = run_together(lambda index: email_deliver.call([email.pk]), 6)
    assert results.errors == []
    assert sorted(result.get("sent", 0) for result in results) == [0, 0, 0, 0, 0, 1]
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_password_reset_is_queued_and_the_link_it_sends_carries_a_valid_token(
    client, task_worker
):
    user = UserFactory(email="camille@example.org")
    client.post(reverse("password_reset"), {"email": "camille@example.org"})
    assert mail.outbox == []  # queued: the request did not wait for the mail server
    assert PASSWORD_TOKEN_PLACEHOLDER in OutgoingEmail.objects.get().body
    task_worker()
    (sent,) = mail.outbox
    link = next(word for word in sent.body.split() if "/accounts/reset/" in word)
    uidb64, token = urlsplit(link).path.strip("/").split("/")[-2:]
    assert uidb64 == urlsafe_base64_encode(force_bytes(user.pk))
    assert default_token_generator.check_token(user, token)


# --- the sweep: e-mails whose task was lost ----------------------------------------------------


def lost(email, *, waiting: datetime.timedelta):
    """As if `email`'s task had been lost (never enqueued, or taken by a worker that died
    before claiming it) and `waiting` had passed since it was due."""
    DBTaskResult.objects.all().delete()
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now() - waiting)


@pytest.mark.django_db(transaction=True)
def test_an_email_whose_task_was_lost_is_sent_once_after_the_sweep(task_worker, smtp_server):
    email = queue()
    lost(email, waiting=datetime.timedelta(hours=1))
    task_worker()
    assert smtp_server.to("camille@example.org") == []  # nothing would ever send it
    call_command("sweep_emails", stdout=StringIO())
    task_worker()
    assert len(smtp_server.to("camille@example.org")) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (Status.SENT, 1)


@pytest.mark.django_db(transaction=True)
def test_a_sweep_run_twice_sends_once(task_worker, smtp_server):
    """Twice before a worker runs (two tasks for the e-mail: one claims it), and once
    more after it was sent (nothing to do)."""
    email = queue()
    lost(email, waiting=datetime.timedelta(hours=1))
    assert email_sweep() == 1
    OutgoingEmail.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(hours=1))
    assert email_sweep() == 1
    task_worker()
    assert email_sweep(older_than=datetime.timedelta(0)) == 0
    task_worker()
    assert len(smtp_server.to("camille@example.org")) == 1


@pytest.mark.django_db(transaction=True)
def test_the_sweep_leaves_alone_what_is_not_late_sent_or_being_sent(task_worker, settings):
    settings.EMAIL_SWEEP_AFTER = datetime.timedelta(minutes=30)
    recent, sending, sent, retrying = (queue(f"{name}@example.org") for name in "abcd")
    DBTaskResult.objects.all().delete()
    late = timezone.now() - datetime.timedelta(hours=2)
    OutgoingEmail.objects.filter(pk=recent.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    OutgoingEmail.objects.filter(pk=sending.pk).update(status=Status.SENDING, next_attempt_at=late)
    OutgoingEmail.objects.filter(pk=sent.pk).update(status=Status.SENT, next_attempt_at=late)
    OutgoingEmail.objects.filter(pk=retrying.pk).update(
        status=Status.RETRYING, next_attempt_at=late
    )
    assert email_sweep() == 1  # the retry whose deferred task was lost
    task_worker()
    assert [message.to for message in mail.outbox] == [["d@example.org"]]
