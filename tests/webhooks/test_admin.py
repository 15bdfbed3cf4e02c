"""Administrators register an organization's endpoints in the admin, read the signing
secret, follow each delivery with its attempts, and send one again with the same
webhook-id."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from standardwebhooks import Webhook

from certificates.services import certificate_issue
from tests.factories import EnrollmentFactory
from tests.organizations.factories import OrganizationFactory, staff_of
from tests.webhooks.factories import WebhookEndpointFactory
from webhooks.models import Event, WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

ADD = "/{language}/admin/webhooks/webhookendpoint/add/"
DELIVERIES = "/en/admin/webhooks/webhookdelivery/"


def add(client, language="en", **fields):
    data = {
        "organization": OrganizationFactory().pk,
        "url": "https://hr.example.org/hooks",
        "description": "",
        "events": [Event.CERTIFICATE_ISSUED, Event.COURSE_COMPLETED],
        "active": "on",
        **fields,
    }
    return client.post(ADD.format(language=language), data)


def test_an_administrator_registers_an_endpoint_and_reads_its_secret(admin_client):
    response = add(admin_client)
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == [Event.CERTIFICATE_ISSUED, Event.COURSE_COMPLETED]
    assert re.fullmatch(r"whsec_[A-Za-z0-9+/=]{44}", endpoint.secret)
    Webhook(endpoint.secret)  # the library reads it
    page = admin_client.get(f"/en/admin/webhooks/webhookendpoint/{endpoint.pk}/change/")
    assert endpoint.secret in page.content.decode()
    assert WebhookEndpointFactory().secret != endpoint.secret


@pytest.mark.parametrize(
    "url",
    ["http://hr.example.org/hooks", "http://127.0.0.1:8080/hooks", "ftp://hr.example.org/"],
)
def test_an_address_that_is_not_https_is_refused_in_the_administrators_language(
    admin_client, settings, url
):
    settings.REPERE_WEBHOOKS_ALLOW_LOCAL_HTTP = False
    response = add(admin_client, language="fr", url=url)
    assert response.status_code == 200
    assert "L’adresse doit commencer par https://" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_plain_http_to_127_0_0_1_only_when_the_setting_allows_it(admin_client, settings):
    settings.REPERE_WEBHOOKS_ALLOW_LOCAL_HTTP = True
    assert add(admin_client, url="http://127.0.0.1:8080/hooks").status_code == 302
    assert add(admin_client, url="http://127.0.0.1.example.org/hooks").status_code == 200
    assert WebhookEndpoint.objects.count() == 1


def test_an_endpoint_needs_at_least_one_event(admin_client):
    response = add(admin_client, language="fr", events=[])
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_send_again_action_replays_a_delivery_with_the_same_webhook_id(admin_client, receiver):
    endpoint = WebhookEndpointFactory(url=receiver.url, events=[Event.CERTIFICATE_ISSUED])
    receiver.secret = endpoint.secret
    receiver.statuses = [500]
    learner = staff_of(endpoint.organization)
    certificate_issue(enrollment=EnrollmentFactory(learner=learner, completed_at=timezone.now()))
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.RETRYING  # waits: no deferring in tests

    response = admin_client.post(
        DELIVERIES, {"action": "replay", "_selected_action": [delivery.pk]}, follow=True
    )
    assert "1 delivery queued again." in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert [r.answered for r in receiver.requests] == [500, 200]
    assert {r.headers["webhook-id"] for r in receiver.requests} == {delivery.message_id}
    assert [a.status_code for a in delivery.attempt_log.all()] == [500, 200]

    page = admin_client.get(f"{DELIVERIES}{delivery.pk}/change/").content.decode()
    assert page.count('"field-status_code"') == 2  # both attempts listed


def test_the_delivery_list_runs_a_fixed_number_of_queries(
    admin_client, django_assert_num_queries, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    endpoint = WebhookEndpointFactory(events=[Event.CERTIFICATE_ISSUED])

    def one_more():
        learner = staff_of(endpoint.organization)
        certificate_issue(
            enrollment=EnrollmentFactory(learner=learner, completed_at=timezone.now())
        )

    one_more()
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get(DELIVERIES).status_code == 200
    for _ in range(4):
        one_more()
    with django_assert_num_queries(len(queries)):
        html = admin_client.get(DELIVERIES).content.decode()
    assert html.count("certificate.issued") >= 5


def test_a_supervisor_cannot_reach_the_webhooks_admin(supervisor_client):
    response = supervisor_client.get(DELIVERIES)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_endpoint_page_reads_in_french(admin_client):
    endpoint = WebhookEndpointFactory()
    page = admin_client.get(f"/fr/admin/webhooks/webhookendpoint/{endpoint.pk}/change/")
    html = page.content.decode()
    assert "Modification de l’adresse de webhook" in html
    assert "Secret de signature" in html
    assert "Une attestation est délivrée" in html
    assert "Une assignation est en retard" in html
