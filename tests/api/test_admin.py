"""Administrators create API clients in the admin; the secret is shown once."""

import re

import pytest
from oauth2_provider.models import Application

from api.models import ApiClient
from tests.api.conftest import api

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_a_client_whose_secret_is_shown_once_and_works(admin_client, org):
    response = admin_client.post(
        "/en/admin/api/apiclient/add/",
        {"name": "Payroll HR", "organization": org.pk, "scopes": "members:read"},
        follow=True,
    )
    assert response.status_code == 200
    client = ApiClient.objects.get()
    assert client.organization == org
    application = client.application
    assert application.authorization_grant_type == Application.GRANT_CLIENT_CREDENTIALS
    assert application.user is None  # no person behind a client: nothing personal
    page = response.content.decode()
    secret = re.search(r"client secret: (\S+?)\.", page).group(1)
    assert application.client_secret != secret  # stored hashed
    token = api().post(
        "/api/oauth/token/",
        {"grant_type": "client_credentials"},
        secure=True,
        HTTP_AUTHORIZATION=_basic(application.client_id, secret),
    )
    assert token.status_code == 200
    assert token.json()["scope"] == "members:read"
    again = admin_client.get(f"/en/admin/api/apiclient/{client.pk}/change/")
    assert secret not in again.content.decode()


def test_an_unknown_scope_is_refused_in_the_admin(admin_client, org):
    response = admin_client.post(
        "/en/admin/api/apiclient/add/",
        {"name": "Payroll HR", "organization": org.pk, "scopes": "members:read everything"},
    )
    assert response.status_code == 200
    assert "Unknown scope: everything." in response.content.decode()
    assert not ApiClient.objects.exists()
    assert not Application.objects.exists()


def _basic(client_id: str, secret: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()
