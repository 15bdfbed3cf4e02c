"""Reads of the api app. Everything a client reads of an organization comes from the
other apps' selectors (the same rules as the supervisors' pages); this only finds the
client behind a token."""

from api.models import ApiClient


def client_for_application(*, application_id: int) -> ApiClient | None:
    """The API client of the OAuth application, with its organization; None if the
    application is bound to no organization (it then reaches nothing)."""
    return (
        ApiClient.objects.select_related("organization", "application")
        .filter(application_id=application_id)
        .first()
    )
