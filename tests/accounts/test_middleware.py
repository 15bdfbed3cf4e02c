"""Shared computers: signed-in pages are never cached, idle sessions end; uploads are capped."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.middleware import SESSION_REFRESHED_AT

pytestmark = pytest.mark.django_db


def test_signed_in_pages_are_private_and_not_stored(learner_client):
    response = learner_client.get("/fr/accounts/profile/")
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_a_signed_in_download_is_private_and_not_stored(learner_client):
    response = learner_client.get("/fr/certificates/")
    assert "no-store" in response["Cache-Control"]


def test_public_pages_are_not_marked_private(client):
    response = client.get("/fr/courses/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_sessions_end_with_the_browser_and_after_eight_idle_hours():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


def only_session():
    return Session.objects.get()


def test_an_idle_session_older_than_the_timeout_is_signed_out(learner_client):
    learner_client.get("/fr/accounts/profile/")
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = learner_client.get("/fr/accounts/profile/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_active_session_is_renewed_without_a_write_on_every_request(learner_client):
    learner_client.get("/fr/accounts/profile/")
    nearly_expired = timezone.now() + timedelta(minutes=1)
    session = only_session()
    data = session.get_decoded()
    data[SESSION_REFRESHED_AT] -= 120  # last renewed two minutes ago
    Session.objects.filter(pk=session.pk).update(
        session_data=Session.objects.encode(data), expire_date=nearly_expired
    )

    assert learner_client.get("/fr/accounts/profile/").status_code == 200
    renewed = only_session().expire_date
    assert renewed > timezone.now() + timedelta(hours=7)

    # Within the minute, the next request does not write the session again.
    Session.objects.update(expire_date=nearly_expired)
    assert learner_client.get("/fr/accounts/profile/").status_code == 200
    assert only_session().expire_date == nearly_expired


@pytest.mark.parametrize(
    ("language", "title"), [("fr", "Fichier trop volumineux"), ("en", "File too large")]
)
def test_a_request_larger_than_the_cap_gets_our_413_page(learner_client, settings, language, title):
    settings.REPERE_MAX_UPLOAD_BYTES = 1024
    response = learner_client.post(
        f"/{language}/accounts/profile/",
        {"full_name": "x" * 2000, "preferred_language": "fr"},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert title in page
    assert f'lang="{language}"' in page
    assert "quick-exit" in page
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"


def test_the_default_cap_is_three_mebibytes():
    assert settings.REPERE_MAX_UPLOAD_BYTES == 3 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.REPERE_MAX_UPLOAD_BYTES
