"""LTI Dynamic Registration (IMS LTI Dynamic Registration 1.0), which django-lti does not
offer: the LMS opens Repère's registration address with its `openid_configuration` and a
`registration_token`; Repère reads the LMS's configuration, posts its own tool
configuration to the LMS's registration endpoint, and keeps the registration the LMS
answers with (client id, deployment id), bound to the invite's organization.
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

import requests
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from lti_tool.models import LtiDeployment, LtiRegistration

from lti.models import Binding, RegistrationInvite

INVITE_DAYS = 7
HTTP_TIMEOUT = 10
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
SCOPES = (
    "https://purl.imsglobal.org/spec/lti-ags/scope/score",
    "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly",
)

ERROR_LMS = _(
    "Repère could not register with your LMS: %(reason)s. Start the registration again "
    "from your LMS; if this keeps happening, ask Repère's administrators for a new address."
)
REASON_UNREACHABLE = _("the LMS did not answer")
REASON_CONFIGURATION = _("the LMS's configuration is not one Repère can use")
REASON_REFUSED = _("the LMS refused Repère's configuration")


class RegistrationFailed(Exception):
    """The LMS could not be registered with; the message is for the reader."""


@dataclass
class NewInvite:
    invite: RegistrationInvite
    token: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_create(*, organization) -> NewInvite:
    """A registration address for the organization, valid for INVITE_DAYS, used once."""
    token = secrets.token_urlsafe(32)
    invite = RegistrationInvite.objects.create(
        organization=organization,
        token_hash=token_hash(token),
        expires_at=timezone.now() + datetime.timedelta(days=INVITE_DAYS),
    )
    return NewInvite(invite=invite, token=token)


def invite_get_usable(*, token: str) -> RegistrationInvite | None:
    return (
        RegistrationInvite.objects.select_related("organization")
        .filter(token_hash=token_hash(token), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )


def _failed(reason) -> RegistrationFailed:
    return RegistrationFailed(ERROR_LMS % {"reason": reason})


def _platform_configuration(url: str, registration_token: str) -> dict:
    headers = {"Accept": "application/json"}
    if registration_token:
        headers["Authorization"] = f"Bearer {registration_token}"
    try:
        response = requests.get(url, headers=headers, timeout=HTTP_TIMEOUT)
        response.raise_for_status()
        configuration = response.json()
    except (requests.RequestException, ValueError):
        raise _failed(REASON_UNREACHABLE) from None
    required = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    if not isinstance(configuration, dict) or not all(
        isinstance(configuration.get(name), str) for name in (*required, "registration_endpoint")
    ):
        raise _failed(REASON_CONFIGURATION)
    # The specification: the configuration's address starts with the issuer it names.
    if not url.startswith(configuration["issuer"].rstrip("/")):
        raise _failed(REASON_CONFIGURATION)
    return configuration


def tool_configuration(*, request, organization_name: str) -> dict:
    """What Repère tells the LMS about itself (OpenID Connect client metadata with the
    LTI tool configuration)."""

    def absolute(name):
        return request.build_absolute_uri(reverse(name))

    launch_url = absolute("lti:launch")
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": absolute("lti:login"),
        "redirect_uris": [launch_url],
        "client_name": f"Repère · {organization_name}",
        "jwks_uri": absolute("lti:jwks"),
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(SCOPES),
        TOOL_CONFIGURATION: {
            "domain": request.get_host(),
            "target_link_uri": launch_url,
            "claims": ["iss", "sub", "name", "given_name", "family_name", "email"],
            "messages": [
                {"type": "LtiResourceLinkRequest", "target_link_uri": launch_url},
                {"type": "LtiDeepLinkingRequest", "target_link_uri": launch_url},
            ],
        },
    }


def registration_complete(
    *, request, invite: RegistrationInvite, openid_configuration: str, registration_token: str
) -> LtiRegistration:
    """Register with the LMS (two HTTP calls to it), then keep the registration, its
    deployment and its organization together, the invite used."""
    platform = _platform_configuration(openid_configuration, registration_token)
    body = tool_configuration(request=request, organization_name=invite.organization.name)
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if registration_token:
        headers["Authorization"] = f"Bearer {registration_token}"
    try:
        response = requests.post(
            platform["registration_endpoint"], json=body, headers=headers, timeout=HTTP_TIMEOUT
        )
        answer = response.json() if response.ok else None
    except (requests.RequestException, ValueError):
        raise _failed(REASON_UNREACHABLE) from None
    if not isinstance(answer, dict) or not isinstance(answer.get("client_id"), str):
        raise _failed(REASON_REFUSED)
    tool = answer.get(TOOL_CONFIGURATION) or {}
    deployment_id = tool.get("deployment_id") if isinstance(tool, dict) else None
    product = (platform.get(PLATFORM_CONFIGURATION) or {}).get("product_family_code") or "LMS"
    return _registration_save(
        invite=invite,
        platform=platform,
        client_id=answer["client_id"],
        deployment_id=deployment_id if isinstance(deployment_id, str) else None,
        name=f"{product} · {invite.organization.name}"[:255],
    )


@transaction.atomic
def _registration_save(*, invite, platform, client_id, deployment_id, name) -> LtiRegistration:
    claimed = RegistrationInvite.objects.filter(pk=invite.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not claimed:  # the same address used twice at once: the other one won
        raise _failed(REASON_REFUSED)
    registration, _created = LtiRegistration.objects.update_or_create(
        issuer=platform["issuer"][:255],
        client_id=client_id[:255],
        defaults={
            "name": name,
            "auth_url": platform["authorization_endpoint"],
            "token_url": platform["token_endpoint"],
            "keyset_url": platform["jwks_uri"],
            "is_active": True,
        },
    )
    if (
        Binding.objects.filter(registration=registration)
        .exclude(organization=invite.organization)
        .exists()
    ):
        raise _failed(REASON_REFUSED)  # never moves people to another organization
    Binding.objects.get_or_create(
        registration=registration, defaults={"organization": invite.organization}
    )
    if deployment_id:
        LtiDeployment.objects.update_or_create(
            registration=registration,
            deployment_id=deployment_id[:255],
            defaults={"is_active": True},
        )
    RegistrationInvite.objects.filter(pk=invite.pk).update(registration=registration)
    return registration
