"""Two workers at the same moment never send the same attempt twice, and two daily runs
at the same moment announce an overdue assignment once (PostgreSQL: real concurrency)."""

import datetime

import pytest
from django.utils import timezone

from supervision.overdue import assignments_announce_overdue
from tests.factories import EnrollmentFactory
from tests.organizations.factories import AssignmentFactory, staff_of
from tests.webhooks.factories import WebhookEndpointFactory
from webhooks.models import Event, WebhookDelivery
from webhooks.services import deliveries_create
from webhooks.tasks import webhook_deliver

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_workers_claiming_one_delivery_send_it_once(receiver, run_together, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    endpoint = WebhookEndpointFactory(url=receiver.url)
    receiver.secret = endpoint.secret
    learner = staff_of(endpoint.organization)
    enrollment = EnrollmentFactory(learner=learner, completed_at=timezone.now())
    (delivery,) = deliveries_create(
        event=Event.COURSE_COMPLETED, data={"enrollment": enrollment.pk}, endpoints=[endpoint]
    )
    results = run_together(lambda index: webhook_deliver.call(delivery.pk), 4)
    assert not results.errors
    assert sorted(results) == ["delivered", "skipped", "skipped", "skipped"]
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_two_daily_runs_at_once_announce_an_overdue_assignment_once(run_together, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    endpoint = WebhookEndpointFactory(events=[Event.ASSIGNMENT_OVERDUE])
    AssignmentFactory(
        organization=endpoint.organization,
        learner=staff_of(endpoint.organization),
        due_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    results = run_together(lambda index: assignments_announce_overdue(), 3)
    assert not results.errors
    assert sorted(results) == [0, 0, 1]
    assert WebhookDelivery.objects.count() == 1
