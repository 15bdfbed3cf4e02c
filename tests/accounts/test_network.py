"""The client's address behind trusted proxies: one function, used by django-axes and the
certificate verification throttle."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from accounts.network import client_ip
from tests.factories import PASSWORD, UserFactory

ATTACKER = "203.0.113.7"
VICTIM = "198.51.100.20"
PROXY = "10.0.0.2"


def request_from(remote_addr, forwarded_for=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.REPERE_TRUSTED_PROXIES = 0
    assert client_ip(request_from(ATTACKER, VICTIM)) == ATTACKER


def test_with_one_trusted_proxy_the_right_most_entry_is_the_client(settings):
    settings.REPERE_TRUSTED_PROXIES = 1
    # The client wrote the first entry itself; our proxy appended the address it saw.
    assert client_ip(request_from(PROXY, f"{VICTIM}, {ATTACKER}")) == ATTACKER


def test_with_two_trusted_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.REPERE_TRUSTED_PROXIES = 2
    assert client_ip(request_from(PROXY, f"{VICTIM}, {ATTACKER}, 10.0.0.1")) == ATTACKER


@pytest.mark.parametrize("header", ["", "not-an-address", "203.0.113.7; drop", ","])
def test_a_malformed_forwarded_header_falls_back_to_the_peer_address(settings, header):
    settings.REPERE_TRUSTED_PROXIES = 1
    assert client_ip(request_from(PROXY, header)) == PROXY


def test_fewer_entries_than_trusted_proxies_fall_back_to_the_peer_address(settings):
    settings.REPERE_TRUSTED_PROXIES = 2
    assert client_ip(request_from(PROXY, ATTACKER)) == PROXY


def test_django_axes_and_the_verification_throttle_use_it():
    assert settings.AXES_CLIENT_IP_CALLABLE == "accounts.network.client_ip"


def login(client, email, password, remote_addr, forwarded_for):
    return client.post(
        reverse("login"),
        {"username": email, "password": password},
        REMOTE_ADDR=remote_addr,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


@pytest.mark.django_db
def test_a_spoofed_forwarded_header_does_not_move_the_lockout_without_trusted_proxies(
    client, settings
):
    """The attacker claims to be the victim: the lock still falls on the attacker's address,
    and the victim, from their own address, signs in."""
    settings.REPERE_TRUSTED_PROXIES = 0
    user = UserFactory(email="camille@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, user.email, "wrong-password", ATTACKER, VICTIM)

    assert login(client, user.email, PASSWORD, ATTACKER, VICTIM).status_code == 429
    assert login(client, user.email, PASSWORD, VICTIM, "").status_code == 302


@pytest.mark.django_db
def test_behind_one_trusted_proxy_the_lockout_falls_on_the_forwarded_client(client, settings):
    """Every request comes from the proxy: locking its address would lock everybody out."""
    settings.REPERE_TRUSTED_PROXIES = 1
    user = UserFactory(email="camille@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, user.email, "wrong-password", PROXY, f"{VICTIM}, {ATTACKER}")

    assert login(client, user.email, PASSWORD, PROXY, ATTACKER).status_code == 429
    assert login(client, user.email, PASSWORD, PROXY, VICTIM).status_code == 302


@pytest.mark.django_db
def test_behind_one_trusted_proxy_the_verification_limit_is_per_client(client, settings):
    settings.REPERE_TRUSTED_PROXIES = 1
    settings.CERTIFICATES_VERIFY_RATE_LIMIT = 2

    def verify(forwarded_for):
        url = "/en/verify/ABCD-EFGH-JKMN-PQRS/"
        return client.get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)

    assert [verify(ATTACKER).status_code for _ in range(3)] == [404, 404, 429]
    assert verify(VICTIM).status_code == 404
