"""The OpenBadgeCredential of a certificate, drawn from what it froze at issue only.

Nothing here reads the course, the organization or the holder's account: renaming any of
them after issue changes no credential. The same certificate gives the same credential (and,
Ed25519 being deterministic, the same signed JWT) until its name is corrected or the key is
rotated.
"""

import datetime
import uuid

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from certificates.credentials import jws, keys, status

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
SCHEMA_ID = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
BRAND = "Repère"
CREDENTIAL_NAMESPACE = uuid.UUID("8d0f6f0e-4c1b-4b53-9a51-5f3f2a0f7c11")


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def valid_until(certificate) -> datetime.datetime:
    """The first moment it is no longer valid: midnight starting the day after `expires_on`,
    in the site's time zone (the certificate is valid through that whole day)."""
    return datetime.datetime.combine(
        certificate.expired_since, datetime.time.min, tzinfo=timezone.get_default_timezone()
    )


def issuer_url() -> str:
    return settings.SITE_URL + reverse("credentials:issuer")


def issuer_profile() -> dict:
    """The issuer's Profile, published at `issuer_url()`."""
    return {
        "@context": CONTEXTS,
        "id": issuer_url(),
        "type": ["Profile"],
        "name": BRAND,
        "url": settings.SITE_URL + "/",
        "description": " / ".join(
            _each(("fr", "en"), lambda: gettext("Training for frontline workers"))
        ),
    }


def _each(languages, function) -> list[str]:
    values = []
    for language in languages:
        with translation.override(language):
            value = str(function())
        if value and value not in values:
            values.append(value)
    return values


def verification_url(certificate, *, suffix: str = "") -> str:
    with translation.override(
        certificate.language_codes[0] if certificate.language_codes else None
    ):
        path = reverse("verify:detail", kwargs={"code": certificate.display_code})
    return settings.SITE_URL + (path.rstrip("/") + suffix if suffix else path)


def credential_for(certificate) -> dict:
    """The unsigned credential (VC Data Model 2.0, Open Badges 3.0)."""
    languages = certificate.language_codes or (settings.LANGUAGE_CODE,)
    titles = _each(languages, lambda: certificate.course_title(translation.get_language()))
    version = str(certificate.content_version)
    criteria = _each(
        languages,
        lambda: (
            gettext(
                "Complete every lesson and pass every quiz of the course (content version "
                "%(version)s)."
            )
            % {"version": version}
        ),
    )
    description = _each(languages, lambda: gettext("A Repère course for frontline workers."))
    subject = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": certificate.recipient_hash,
                "salt": certificate.recipient_salt,
            },
            {
                "type": "IdentityObject",
                "identityType": "ext:holderName",
                "hashed": False,
                "identityHash": certificate.holder_name,
            },
        ],
        "activityEndDate": _iso(certificate.completed_at),
        "achievement": {
            "id": f"urn:repere:course:{certificate.course_id}:version:{version}",
            "type": ["Achievement"],
            "achievementType": "Certificate",
            "name": " / ".join(titles),
            "description": " / ".join(description),
            "criteria": {"narrative": "\n\n".join(criteria)},
            "inLanguage": languages[0],
            "version": version,
        },
    }
    if certificate.organization_name:
        organization = (
            f"urn:repere:organization:{certificate.organization_id}"
            if certificate.organization_id
            else f"urn:repere:certificate:{certificate.code}:organization"
        )
        subject["source"] = {
            "id": organization,
            "type": ["Profile"],
            "name": certificate.organization_name,
        }
    status_url = status.list_url(status.list_number(certificate.pk))
    index = str(status.list_index(certificate.pk))
    return {
        "@context": CONTEXTS,
        "id": f"urn:uuid:{uuid.uuid5(CREDENTIAL_NAMESPACE, certificate.code)}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": " / ".join(titles),
        "issuer": {"id": issuer_url(), "type": ["Profile"], "name": BRAND},
        "validFrom": _iso(certificate.issued_at),
        "validUntil": _iso(valid_until(certificate)),
        "credentialSubject": subject,
        "credentialStatus": {
            "id": f"{status_url}#{index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": index,
            "statusListCredential": status_url,
        },
        "credentialSchema": [{"id": SCHEMA_ID, "type": "1EdTechJsonSchemaValidator2019"}],
        "evidence": [
            {
                "id": verification_url(certificate),
                "type": ["Evidence"],
                "name": certificate.display_code,
            }
        ],
    }


def jwt_claims(credential: dict) -> dict:
    """The credential as a JWT payload: itself, with the registered claims that repeat it."""
    return {
        **credential,
        "iss": credential["issuer"]["id"],
        "jti": credential["id"],
        "nbf": int(datetime.datetime.fromisoformat(credential["validFrom"]).timestamp()),
        "exp": int(datetime.datetime.fromisoformat(credential["validUntil"]).timestamp()),
    }


def signed(payload: dict) -> str:
    key = keys.signing_key()
    return jws.sign(payload, key=key.private, kid=key.kid)


def credential_jwt(certificate) -> str:
    """The credential secured as a VC-JWT (compact JWS, EdDSA)."""
    return signed(jwt_claims(credential_for(certificate)))
