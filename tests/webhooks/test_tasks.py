"""Deliveries are tasks: signed with the endpoint's secret (Standard Webhooks), POSTed to
a real receiver, claimed once, retried with backoff, failed for good after the last
retry, every attempt on record."""

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from certificates.services import certificate_issue
from supervision.overdue import assignments_announce_overdue
from tests.certificates.factories import complete_course
from tests.factories import CourseFactory, EnrollmentFactory
from tests.organizations.factories import AssignmentFactory, staff_of
from tests.webhooks.factories import WebhookEndpointFactory
from webhooks import services
from webhooks.models import Event, WebhookDelivery
from webhooks.tasks import RETRY_DELAYS, body_of, signed_headers, webhook_deliver

Status = WebhookDelivery.Status
DUMMY_BACKEND = "django_tasks.backends.dummy.DummyBackend"


def time_passes():
    """As if the next retry's delay had passed: what was due by then is due now."""
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    DBTaskResult.objects.update(run_after=timezone.now())


def endpoint_for(receiver, events=(Event.CERTIFICATE_ISSUED,)):
    endpoint = WebhookEndpointFactory(url=receiver.url, events=list(events))
    receiver.secret = endpoint.secret
    return endpoint


def issue_certificate(endpoint):
    learner = staff_of(endpoint.organization, email="camille@example.org")
    enrollment = EnrollmentFactory(learner=learner, completed_at=timezone.now())
    return certificate_issue(enrollment=enrollment)


@pytest.mark.django_db(transaction=True)
def test_an_event_reaches_the_receiver_once_after_one_retry_with_a_valid_signature(
    receiver, task_worker
):
    endpoint = endpoint_for(receiver)
    receiver.statuses = [500]  # the first attempt fails, the next succeeds
    certificate = issue_certificate(endpoint)

    task_worker()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (Status.RETRYING, 1)
    assert delivery.next_attempt_at > timezone.now() + RETRY_DELAYS[0] - datetime.timedelta(
        seconds=5
    )
    task_worker()  # the retry is not due yet: nothing is sent
    assert len(receiver.requests) == 1
    time_passes()
    task_worker()

    assert [r.answered for r in receiver.requests] == [500, 200]
    assert all(r.payload is not None for r in receiver.requests)  # both verified
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery.message_id
    assert len(receiver.processed) == 1  # one event, received once
    (payload,) = receiver.processed.values()
    assert payload["type"] == "certificate.issued"
    assert payload["data"]["certificate"]["code"] == certificate.display_code
    assert payload["data"]["learner"]["email"] == "camille@example.org"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.DELIVERED, 2)
    attempts = list(delivery.attempt_log.all())
    assert [a.status_code for a in attempts] == [500, 200]
    assert all(len(a.response_body) == 2048 for a in attempts)  # the first 2 KB only


@pytest.mark.django_db(transaction=True)
def test_a_delivery_whose_task_runs_twice_is_sent_once(receiver, task_worker):
    endpoint = endpoint_for(receiver)
    issue_certificate(endpoint)
    delivery = WebhookDelivery.objects.get()
    webhook_deliver.enqueue(delivery.pk)  # the same delivery in a second task
    task_worker()
    task_worker()
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.DELIVERED, 1)


@pytest.mark.django_db
def test_a_delivery_is_failed_for_good_after_the_last_retry(receiver):
    endpoint = endpoint_for(receiver)
    receiver.statuses = [503] * 10
    issue_certificate(endpoint)  # the immediate backend makes the first attempt now
    delivery = WebhookDelivery.objects.get()
    for _retry in RETRY_DELAYS:
        WebhookDelivery.objects.update(next_attempt_at=timezone.now())
        assert webhook_deliver.call(delivery.pk) in ("retrying", "failed")
    delivery.refresh_from_db()
    assert delivery.status == Status.FAILED
    assert delivery.attempts == len(RETRY_DELAYS) + 1
    assert delivery.last_error == "HTTP 503"
    assert delivery.attempt_log.count() == len(RETRY_DELAYS) + 1
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    assert webhook_deliver.call(delivery.pk) == "skipped"
    assert len(receiver.requests) == len(RETRY_DELAYS) + 1


@pytest.mark.django_db
def test_a_receiver_too_slow_to_answer_is_an_error_retried_later(receiver, settings):
    settings.REPERE_WEBHOOKS_TIMEOUT_SECONDS = 0.3
    receiver.delay = 1
    issue_certificate(endpoint_for(receiver))
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.RETRYING
    (attempt,) = delivery.attempt_log.all()
    assert attempt.status_code is None
    assert "timed out" in attempt.error
    assert 250 <= attempt.duration_ms < 1000


@pytest.mark.django_db
def test_a_redirect_is_not_followed(receiver):
    receiver.statuses = [302]
    issue_certificate(endpoint_for(receiver))
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.RETRYING
    assert delivery.last_error == "HTTP 302"
    assert len(receiver.requests) == 1


@pytest.mark.django_db
def test_an_endpoint_switched_off_after_the_event_gets_nothing(receiver, settings):
    endpoint = endpoint_for(receiver)
    settings.TASKS = {"default": {"BACKEND": DUMMY_BACKEND}}  # the task does not run yet
    issue_certificate(endpoint)
    endpoint.active = False
    endpoint.save()
    delivery = WebhookDelivery.objects.get()
    assert webhook_deliver.call(delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert delivery.status == Status.FAILED
    assert delivery.last_error == "The endpoint is no longer active."
    assert receiver.requests == []


@pytest.mark.django_db
def test_the_signature_verifies_with_the_endpoints_secret_only(settings):
    settings.TASKS = {"default": {"BACKEND": DUMMY_BACKEND}}  # nothing sent
    endpoint = WebhookEndpointFactory()
    course = CourseFactory(lessons=1)
    learner = staff_of(endpoint.organization)
    complete_course(learner=learner, course=course)
    delivery = WebhookDelivery.objects.filter(event=Event.COURSE_COMPLETED).get()
    body = body_of(delivery)
    headers = signed_headers(delivery, body, at=timezone.now())
    assert headers["webhook-signature"].startswith("v1,")
    assert Webhook(endpoint.secret).verify(body, headers)["type"] == "course.completed"
    other = WebhookEndpointFactory()
    with pytest.raises(WebhookVerificationError):
        Webhook(other.secret).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(body.replace(b"course", b"COURSE"), headers)


@pytest.mark.django_db(transaction=True)
def test_a_big_batch_is_enqueued_by_a_worker_and_each_delivery_reaches_the_receiver_once(
    receiver, task_worker, monkeypatch
):
    """Beyond FAN_OUT deliveries at once (the daily run's batches), the transaction that
    records them enqueues one task per FAN_OUT, and a worker enqueues the deliveries'."""
    monkeypatch.setattr(services, "FAN_OUT", 2)
    endpoint = endpoint_for(receiver, events=(Event.ASSIGNMENT_OVERDUE,))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assignments = [
        AssignmentFactory(
            organization=endpoint.organization,
            learner=staff_of(endpoint.organization),
            due_on=yesterday,
        )
        for _ in range(5)
    ]
    assert assignments_announce_overdue() == 5
    queued = DBTaskResult.objects.values_list("task_path", flat=True)
    assert sorted(queued) == ["webhooks.tasks.webhooks_enqueue"] * 3

    task_worker()
    received = [payload["data"]["assignment"]["id"] for payload in receiver.processed.values()]
    assert sorted(received) == sorted(assignment.pk for assignment in assignments)
    assert len(receiver.requests) == 5
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {Status.DELIVERED}
