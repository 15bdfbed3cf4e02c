"""The OAuth 2.0 scopes of the REST API, and which of them each client may ask for.

An administrator grants a client some of SCOPES (ApiClient.scopes); a token request may
ask for any of those (none: all of them), never for another."""

from django.utils.translation import gettext_lazy as _
from oauth2_provider.scopes import BaseScopes

SCOPES = {
    "organizations:read": _("Read the organization"),
    "members:read": _("Read the members: name, e-mail address, role, date joined"),
    "assignments:read": _("Read the assignments"),
    "assignments:write": _("Assign courses, change due dates and unassign"),
    "progress:read": _("Read the progress of each assignment"),
    "certificates:read": _("Read the certificates and their verification status"),
}


def granted_to(application) -> list[str]:
    """The scopes the administrator granted the application's client (none if unbound)."""
    client = getattr(application, "api_client", None)
    if client is None:
        return []
    return [scope for scope in client.scope_list if scope in SCOPES]


class ClientScopes(BaseScopes):
    """django-oauth-toolkit's scopes backend (OAUTH2_PROVIDER["SCOPES_BACKEND_CLASS"])."""

    def get_all_scopes(self):
        return {name: str(label) for name, label in SCOPES.items()}

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        if application is None:
            return list(SCOPES)
        return granted_to(application)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        if application is None:
            return []
        return granted_to(application)
