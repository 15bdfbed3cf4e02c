"""Administrators set up an organization's LRS in the admin, never see its secret again,
read what was sent or failed, and send failed statements again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.services import enrollment_create
from tests.factories import CourseFactory
from tests.organizations.factories import OrganizationFactory
from tests.xapi.conftest import KEY, SECRET, assigned_staff
from xapi.models import LrsEndpoint, OutgoingStatement

ADD = "admin:xapi_lrsendpoint_add"
STATEMENTS = "admin:xapi_outgoingstatement_changelist"


def enroll(organization):
    course = CourseFactory(lessons=1)
    enrollment_create(learner=assigned_staff(organization, course), course=course)


def form(organization, **fields):
    return {
        "organization": organization.pk,
        "statements_url": "https://lrs.example.org/xAPI/statements",
        "key": KEY,
        "secret": SECRET,
        "active": "on",
        **fields,
    }


@pytest.mark.django_db
def test_an_administrator_adds_an_lrs_and_its_secret_is_never_shown_again(admin_client):
    organization = OrganizationFactory()
    response = admin_client.post(reverse(ADD), form(organization))
    assert response.status_code == 302
    endpoint = LrsEndpoint.objects.get()
    assert (endpoint.organization, endpoint.secret) == (organization, SECRET)
    change = reverse("admin:xapi_lrsendpoint_change", args=[endpoint.pk])
    assert SECRET not in admin_client.get(change).content.decode()
    # Saved again with the secret left blank, it keeps it.
    response = admin_client.post(change, form(organization, secret="", key="other"))
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.key, endpoint.secret) == ("other", SECRET)


@pytest.mark.django_db
def test_a_plain_http_address_or_a_missing_secret_is_a_form_error_in_french(admin_client):
    organization = OrganizationFactory()
    response = admin_client.post(
        reverse(ADD), form(organization, statements_url="http://lrs.example.org/x", secret="")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "L’adresse doit commencer par https://" in page
    assert "Saisissez le secret." in page
    assert not LrsEndpoint.objects.exists()


@pytest.mark.django_db
def test_send_again_delivers_a_failed_statement_and_leaves_a_sent_one(admin_client, lrs, lrs_org):
    endpoint = lrs_org.lrs_endpoints.get()
    LrsEndpoint.objects.filter(pk=endpoint.pk).update(secret="wrong")
    enroll(lrs_org)
    failed = OutgoingStatement.objects.get()
    LrsEndpoint.objects.filter(pk=endpoint.pk).update(secret=SECRET)
    enroll(lrs_org)
    sent = OutgoingStatement.objects.exclude(pk=failed.pk).get()
    assert (failed.status, sent.status) == ("failed", "sent")

    page = admin_client.get(reverse(STATEMENTS), {"status__exact": "failed"}).content.decode()
    assert "HTTP 401" in page
    response = admin_client.post(
        reverse(STATEMENTS),
        {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )
    (message,) = response.context["messages"]
    assert str(message) == "1 déclaration remise en file d’attente."
    failed.refresh_from_db()
    assert failed.status == "sent"
    assert len(lrs.statements()) == 2


@pytest.mark.django_db
def test_the_admin_cannot_add_or_edit_a_statement(admin_client, lrs, lrs_org):
    enroll(lrs_org)
    row = OutgoingStatement.objects.get()
    assert admin_client.get(reverse("admin:xapi_outgoingstatement_add")).status_code == 403
    page = admin_client.get(reverse("admin:xapi_outgoingstatement_change", args=[row.pk]))
    assert page.status_code == 200
    assert b'name="statement"' not in page.content


@pytest.mark.django_db
def test_the_statement_list_runs_the_same_queries_for_1_or_6_statements(
    admin_client, lrs, lrs_org, django_assert_num_queries
):
    enroll(lrs_org)
    admin_client.get(reverse(STATEMENTS))
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get(reverse(STATEMENTS)).status_code == 200
    for _ in range(5):
        enroll(lrs_org)
    with django_assert_num_queries(len(queries)):
        page = admin_client.get(reverse(STATEMENTS)).content.decode()
    assert page.count("registered") >= 6


@pytest.mark.django_db
def test_a_lesson_editor_sees_no_lrs(client):
    from tests.factories import UserFactory

    editor = UserFactory(is_staff=True)
    client.force_login(editor)
    assert client.get(reverse("admin:xapi_lrsendpoint_changelist")).status_code == 403
