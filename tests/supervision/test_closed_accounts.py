"""What supervisors see of a member who closed their account: that an account was closed."""

import pytest
from django.urls import reverse
from django.utils import translation

from privacy import erasure
from tests.privacy.factories import EMAIL, NAME, person_with_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def erased():
    world = person_with_records()
    closure = erasure.closure_request(user=world.person, certificates="keep")
    erasure.account_erase(closure=closure)
    return world


def test_the_dashboard_says_an_account_was_closed_and_nothing_else(client, erased):
    client.force_login(erased.supervisor)

    with translation.override("en"):
        url = reverse("supervision:dashboard", args=[erased.org.pk])
    response = client.get(url)

    assert response.status_code == 200
    assert "1 account closed" in response.text
    assert NAME not in response.text
    assert EMAIL not in response.text
    assert "Olivier Autre" in response.text


def test_the_person_page_and_exports_no_longer_show_them(client, erased):
    client.force_login(erased.supervisor)

    person = client.get(reverse("supervision:person", args=[erased.org.pk, erased.person.pk]))
    export = client.get(reverse("supervision:export", args=[erased.org.pk]))
    history = client.get(reverse("organizations:audit_log", args=[erased.org.pk]))

    assert person.status_code == 404
    content = b"".join(export.streaming_content).decode()
    assert NAME not in content
    assert "Olivier Autre" in content
    assert NAME not in history.text
    assert EMAIL not in history.text
