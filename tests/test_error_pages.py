"""Every error status, reached by a real request, is our page in the reader's language with
the quick exit and the hotline: never the browser's own empty error page."""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# What the reader sees of the safety of every page, in each language.
SAFETY = {
    "fr": ["Sortie rapide", "En cas de danger immédiat, composez le 911."],
    "en": ["Quick exit", "In immediate danger, call 911."],
}
SIGNED_IN = {"fr": "Se déconnecter", "en": "Log out"}


def bad_request(client, language):
    # More fields than DATA_UPLOAD_MAX_NUMBER_FIELDS: Django refuses the body with a 400.
    fields = {f"field{n}": "x" for n in range(1100)}
    return client.post(f"/{language}/accounts/profile/", fields)


def forbidden(client, language):
    # A form posted without its CSRF token (a page left open, cookies blocked).
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.cookies = client.cookies
    return csrf_client.post(f"/{language}/accounts/profile/", {"full_name": "x"})


def not_found(client, language):
    return client.get(f"/{language}/no-such-page/")


def method_not_allowed(client, language):
    # Signing out is a POST (a form on every page): typing the address is a GET.
    return client.get(f"/{language}/accounts/logout/")


def too_large(client, language, settings):
    settings.REPERE_MAX_UPLOAD_BYTES = 1024
    return client.post(f"/{language}/accounts/profile/", {"full_name": "x" * 2000})


def too_many(client, language, settings):
    settings.CERTIFICATES_VERIFY_RATE_LIMIT = 1
    client.get(f"/{language}/verify/ABCD-EFGH-JKLM/")
    return client.get(f"/{language}/verify/ABCD-EFGH-JKLM/")


def server_error(client, language, monkeypatch):
    from courses import views

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(views.selectors, "my_learning", broken)
    client.raise_request_exception = False
    return client.get(f"/{language}/learning/")


CASES = [
    (400, bad_request),
    (403, forbidden),
    (404, not_found),
    (405, method_not_allowed),
    (413, too_large),
    (429, too_many),
    (500, server_error),
]


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory())
    return client


def request_for(make, client, language, settings, monkeypatch):
    arguments = make.__code__.co_varnames[: make.__code__.co_argcount]
    extra = {"settings": settings, "monkeypatch": monkeypatch}
    return make(client, language, **{name: extra[name] for name in arguments[2:]})


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("status", "make"), CASES, ids=[str(status) for status, _ in CASES])
def test_every_error_status_is_our_page_with_the_quick_exit_and_the_hotline(
    signed_in, settings, monkeypatch, language, status, make
):
    response = request_for(make, signed_in, language, settings, monkeypatch)

    assert response.status_code == status
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    for text in SAFETY[language]:
        assert text in page
    assert 'href="tel:+18339001010"' in page
    assert "data-quick-exit" in page
    other = "en" if language == "fr" else "fr"
    assert SAFETY[other][0] not in page  # one language, the reader's


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(
    ("status", "make"),
    [case for case in CASES if case[0] != 500],  # rendered without the request, on purpose
    ids=[str(status) for status, _ in CASES if status != 500],
)
def test_an_error_page_keeps_the_reader_signed_in(
    signed_in, settings, monkeypatch, language, status, make
):
    response = request_for(make, signed_in, language, settings, monkeypatch)
    assert response.status_code == status
    assert SIGNED_IN[language] in response.content.decode()


def test_a_405_keeps_its_allow_header(client):
    response = client.get("/en/accounts/logout/")
    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
    assert "This address is not a page" in response.content.decode()
