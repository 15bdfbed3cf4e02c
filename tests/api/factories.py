"""Factories of the api app: API clients and their access tokens."""

import datetime
import secrets

from django.utils import timezone
from oauth2_provider.models import AccessToken

from api import services
from api.scopes import SCOPES

ALL_SCOPES = " ".join(SCOPES)


def api_client_of(organization, *, scopes: str = ALL_SCOPES, name: str = "HR system"):
    """A new API client of the organization (see services.api_client_create)."""
    return services.api_client_create(organization=organization, name=name, scopes=scopes)


def token_of(client, *, scopes: str | None = None, expires_in: int = 3600) -> str:
    """An access token of the client, as the token endpoint issues one."""
    token = AccessToken.objects.create(
        application=client.application,
        user=None,
        token=secrets.token_urlsafe(30),
        scope=client.scopes if scopes is None else scopes,
        expires=timezone.now() + datetime.timedelta(seconds=expires_in),
    )
    return token.token
