"""Writes of the api app: API clients. The API's own writes (assignments) are the
organizations app's services, called from the views."""

from dataclasses import dataclass

from django.db import transaction
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import Application

from api.models import ApiClient
from organizations.models import Organization


@dataclass
class NewClient:
    client: ApiClient
    # Shown once, to the administrator who created the client: only its hash is stored.
    client_secret: str


@transaction.atomic
def api_client_create(*, organization: Organization, name: str, scopes: str) -> NewClient:
    """A confidential OAuth application for the client credentials grant, bound to the
    organization with these scopes. Its secret is returned once and stored hashed."""
    secret = generate_client_secret()
    application = Application(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
        redirect_uris="",
        user=None,
    )
    application.full_clean()
    application.save()
    client = ApiClient(application=application, organization=organization, scopes=scopes)
    client.full_clean()
    client.save()
    return NewClient(client=client, client_secret=secret)
