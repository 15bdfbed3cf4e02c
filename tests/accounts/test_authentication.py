"""Login and password reset: one spelling of each address, and limits an attacker cannot
step around (other spellings, many accounts, many reset e-mails)."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.emails import normalize_email
from accounts.models import User
from accounts.views import LOGIN_TOO_MANY, PASSWORD_RESET_TOO_MANY
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.7"


def login(client, email, password, address=ADDRESS):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (" Camille@Example.ORG ", "camille@example.org"),
        ("ＣＡＭＩＬＬＥ@example.org", "camille@example.org"),  # full-width letters (NFKC)
        ("STRASSE@example.org", "strasse@example.org"),
        ("Straße@example.org", "strasse@example.org"),  # casefold, not lower
        ("tina.irıs@example.org", "tina.irıs@example.org"),  # a dotless ı stays itself
    ],
)
def test_addresses_are_normalised_with_nfkc_then_casefold(typed, stored):
    assert normalize_email(typed) == stored


def test_accounts_are_stored_with_the_normalised_address():
    user = User.objects.create_user("Straße@Example.org", PASSWORD, full_name="Camille")
    assert user.email == "strasse@example.org"
    assert User.objects.get_by_natural_key("STRASSE@example.org") == user


def test_a_dotless_i_is_another_address_for_login():
    UserFactory(email="tina.iris@example.org")
    with pytest.raises(User.DoesNotExist):
        User.objects.get_by_natural_key("tina.irıs@example.org")


def test_a_dotless_i_does_not_step_around_the_lock_of_the_real_address(client):
    """On PostgreSQL, `__iexact` (UPPER) matched "irıs" to "iris" while the lockout counted
    it as another address: the right password then signed in during the lock."""
    user = UserFactory(email="tina.iris@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, user.email, "wrong-password")
    assert login(client, user.email, PASSWORD).status_code == 429

    response = login(client, "tina.irıs@example.org", PASSWORD)

    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


def test_spraying_many_accounts_from_one_address_is_stopped(settings):
    """Four guesses on each of many accounts never lock one of them: the client's address
    is limited across accounts."""
    settings.REPERE_LOGIN_ADDRESS_FAILURE_LIMIT = 30
    users = UserFactory.create_batch(8)
    client = Client()
    for user in users:
        for _ in range(4):
            login(client, user.email, "wrong-password")

    response = login(client, users[0].email, PASSWORD)

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert str(LOGIN_TOO_MANY) in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not concerned.
    assert login(Client(), users[1].email, PASSWORD, address="198.51.100.20").status_code == 302


def test_the_address_limit_also_holds_on_the_admin_login(settings, admin_user):
    settings.REPERE_LOGIN_ADDRESS_FAILURE_LIMIT = 3
    client = Client()
    for user in UserFactory.create_batch(3):
        login(client, user.email, "wrong-password")

    client.post(
        "/en/admin/login/",
        {"username": admin_user.email, "password": PASSWORD},
        REMOTE_ADDR=ADDRESS,
    )

    assert "_auth_user_id" not in client.session


def test_failures_below_the_address_limit_do_not_stop_anyone(settings):
    settings.REPERE_LOGIN_ADDRESS_FAILURE_LIMIT = 30
    users = UserFactory.create_batch(7)
    client = Client()
    for user in users:
        for _ in range(4):
            login(client, user.email, "wrong-password")
    assert login(client, users[0].email, PASSWORD).status_code == 302


def reset(client, email, address=ADDRESS, language="en"):
    return client.post(
        f"/{language}/accounts/password_reset/", {"email": email}, REMOTE_ADDR=address
    )


def test_twenty_reset_requests_send_at_most_three_emails_to_one_address(client):
    UserFactory(email="camille@example.org")
    statuses = [reset(client, "camille@example.org").status_code for _ in range(20)]

    assert len(mail.outbox) == settings.REPERE_PASSWORD_RESET_ADDRESS_LIMIT == 3
    assert statuses[:3] == [302, 302, 302]
    assert set(statuses[3:]) == {429}


def test_the_reset_limit_counts_every_spelling_of_the_address(client):
    UserFactory(email="camille@example.org")
    for email in ["camille@example.org", "Camille@Example.org", "CAMILLE@EXAMPLE.ORG"] * 3:
        reset(client, email, address="198.51.100.20")
    assert len(mail.outbox) == 3


def test_the_reset_answers_are_the_same_whether_or_not_an_account_exists():
    UserFactory(email="camille@example.org")

    def answers(email, address):
        client = Client()
        responses = [reset(client, email, address=address) for _ in range(5)]
        return [
            (r.status_code, r.get("Location"), r.get("Retry-After") is not None) for r in responses
        ]

    assert answers("camille@example.org", "203.0.113.1") == answers(
        "nobody@example.org", "203.0.113.2"
    )


def test_one_client_address_gets_at_most_ten_reset_requests_an_hour(client):
    for index in range(settings.REPERE_PASSWORD_RESET_CLIENT_LIMIT):
        assert reset(client, f"person{index}@example.org").status_code == 302
    response = reset(client, "someone-else@example.org")
    assert response.status_code == 429
    assert str(PASSWORD_RESET_TOO_MANY) in response.content.decode()


@pytest.mark.parametrize(("language", "title"), [("fr", "Trop de demandes"), ("en", "Too many")])
def test_the_reset_limit_answers_in_the_users_language_with_retry_after(client, language, title):
    for _ in range(4):
        response = reset(client, "camille@example.org", language=language)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert title in response.content.decode()
    assert f'lang="{language}"' in response.content.decode()


def test_the_reset_form_finds_the_account_by_its_normalised_address(client):
    """Django's lookup (`__iexact`) folds only ASCII letters on SQLite."""
    UserFactory(email="camille@exämple.org")
    reset(client, "Camille@EXÄMPLE.org")
    assert len(mail.outbox) == 1
