"""Repère's signing keys: rotated by a command or an admin action; the JWKS serves the
current key and, for REPERE_LTI_KEY_GRACE_DAYS, the one it replaced."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from lti_tool.models import Key

from lti import services

pytestmark = pytest.mark.django_db


def _kids(client):
    return [key["kid"] for key in client.get("/lti/jwks/").json()["keys"]]


def test_the_jwks_has_a_key_from_the_first_request(client):
    kids = _kids(client)
    assert len(kids) == 1
    assert Key.objects.get().as_jwk()["kid"] == kids[0]


def test_the_jwks_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    services.key_current()
    for _ in range(3):
        services.key_rotate()
    with django_assert_num_queries(3):
        client.get("/lti/jwks/")


def test_a_rotated_key_stays_published_for_the_grace_period_then_goes(client, settings):
    settings.REPERE_LTI_KEY_GRACE_DAYS = 7
    old = services.key_current()
    Key.objects.filter(pk=old.pk).update(
        datetime_created=timezone.now() - datetime.timedelta(days=90)
    )
    old.refresh_from_db()
    old_kid = old.as_jwk()["kid"]
    new, retired = services.key_rotate()
    new.refresh_from_db()
    assert retired == 0
    assert services.key_current() == new  # launches and tokens are signed with the new one
    assert set(_kids(client)) == {old_kid, new.as_jwk()["kid"]}
    # Eight days later the old key is no longer published, then retired at the next rotation.
    for key in (old, new):
        Key.objects.filter(pk=key.pk).update(
            datetime_created=key.datetime_created - datetime.timedelta(days=8)
        )
    assert _kids(client) == [new.as_jwk()["kid"]]
    newest, retired = services.key_rotate()
    assert retired == 1
    assert not Key.objects.get(pk=old.pk).is_active
    assert set(_kids(client)) == {new.as_jwk()["kid"], newest.as_jwk()["kid"]}


def test_the_rotation_command_makes_a_new_key(client):
    services.key_current()
    out = StringIO()
    call_command("lti_rotate_key", stdout=out)
    assert Key.objects.count() == 2
    assert "New key" in out.getvalue()
    assert len(_kids(client)) == 2


def test_an_administrator_rotates_the_key_from_the_admin(admin_client):
    key = services.key_current()
    response = admin_client.post(
        "/en/admin/lti_tool/key/",
        {"action": "rotate", "_selected_action": [key.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert Key.objects.count() == 2
    assert "stays published for 7 days" in response.content.decode()
