"""The pages of closing an account: the profile's section, the confirmation with the
password, the grace period's banner and "Keep my account", and the admin's closure."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from accounts.dates import date_format
from accounts.models import User
from privacy import erasure
from privacy.erasure_forms import ERROR_PASSWORD
from privacy.models import AccountClosure
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

CLOSE = reverse("privacy:close_account")


def test_the_profile_links_to_closing_the_account(learner_client):
    response = learner_client.get(reverse("accounts:profile"))

    assert CLOSE in response.text


def test_the_page_explains_before_anything_happens(learner_client, learner):
    with translation.override("en"):
        response = learner_client.get(reverse("privacy:close_account"))

    assert response.status_code == 200
    assert "Keep them verifiable" in response.text
    assert "Revoke them" in response.text
    assert not AccountClosure.objects.exists()


def test_a_wrong_password_closes_nothing(learner_client, learner):
    with translation.override("en"):
        url = reverse("privacy:close_account")
    response = learner_client.post(url, {"certificates": "keep", "password": "nope"})

    assert response.status_code == 200
    with translation.override("en"):
        assert str(ERROR_PASSWORD) in response.text
    assert not AccountClosure.objects.exists()


def test_an_unknown_certificate_choice_is_a_form_error(learner_client):
    response = learner_client.post(CLOSE, {"certificates": "burn", "password": PASSWORD})

    assert response.status_code == 200
    assert not AccountClosure.objects.exists()


def test_confirming_with_the_password_schedules_the_closure(learner_client, learner, settings):
    settings.REPERE_ERASURE_GRACE_DAYS = 30

    response = learner_client.post(CLOSE, {"certificates": "revoke", "password": PASSWORD})

    closure = AccountClosure.objects.get(user=learner)
    assert response.status_code == 302
    assert closure.certificates == "revoke"
    assert (closure.erase_after - timezone.now()).days == 29
    page = learner_client.get(CLOSE)
    with translation.override("fr"):
        day = date_format(erasure.erasure_date(closure=closure), "DATE_FORMAT")
    assert day in page.text
    assert reverse("privacy:keep_account") in page.text


def test_signing_in_during_the_grace_period_says_when_and_keeping_cancels(client, learner):
    erasure.closure_request(user=learner, certificates="keep")

    response = client.post(
        reverse("login"), {"username": learner.email, "password": PASSWORD}, follow=True
    )
    assert "will be closed on" in response.text or "sera fermé le" in response.text

    response = client.post(reverse("privacy:keep_account"), follow=True)
    assert response.status_code == 200
    assert AccountClosure.objects.get().state == AccountClosure.State.CANCELLED


def test_keeping_needs_a_post(learner_client, learner):
    erasure.closure_request(user=learner, certificates="keep")

    assert learner_client.get(reverse("privacy:keep_account")).status_code == 405
    assert AccountClosure.objects.get().state == AccountClosure.State.PENDING


def test_the_pages_need_an_account(client):
    assert client.get(CLOSE).status_code == 302
    assert client.post(reverse("privacy:keep_account")).status_code == 302


def test_the_page_runs_a_fixed_number_of_queries(learner_client, django_assert_num_queries):
    learner_client.get(CLOSE)
    with django_assert_num_queries(5):
        learner_client.get(CLOSE)


def test_an_administrator_closes_an_account_on_a_written_request(admin_client, admin_user):
    person = UserFactory(full_name="Rita Requérante")
    url = reverse("admin:privacy_accountclosure_add")

    refused = admin_client.post(url, {"user": person.pk, "certificates": "keep", "reason": ""})
    assert refused.status_code == 200
    assert not AccountClosure.objects.exists()

    done = admin_client.post(
        url,
        {
            "user": person.pk,
            "certificates": "keep",
            "reason": "Letter of 2026-11-30",
            "immediately": "on",
        },
    )

    assert done.status_code == 302
    closure = AccountClosure.objects.get()
    assert (closure.by_administrator, closure.requested_by, closure.state) == (
        True,
        admin_user,
        AccountClosure.State.DONE,
    )
    assert User.objects.get(pk=person.pk).full_name == ""
