"""Open Badges 3.0 credentials, checked as a third party would: the JSON schema shipped with
the project, the proof with code that is not the signing code (joserfc, and `cryptography`
on the JWS signing input), the published keys and status list fetched over HTTP."""

import base64
import copy
import datetime
import gzip
import hashlib
import io
import json
from pathlib import Path

import jsonschema
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from joserfc import jws as jose_jws
from joserfc.jwk import KeySet
from PIL import Image

from certificates import services
from certificates.credentials import baking, build, keys, status, verify
from tests.certificates.factories import CertificateFactory
from tests.factories import AdminFactory, CourseFactory, UserFactory
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (
        Path(settings.BASE_DIR) / "certificates/credentials/schema/openbadgecredential.schema.json"
    ).read_text()
)
KEY_A = keys.generate_private_key_text()
KEY_B = keys.generate_private_key_text()


@pytest.fixture(autouse=True)
def _signing_key(settings):
    settings.SITE_URL = "https://repere.example.org"
    settings.CREDENTIAL_SIGNING_KEY = KEY_A
    settings.CREDENTIAL_OLD_PUBLIC_KEYS = []


@pytest.fixture
def certificate():
    holder = UserFactory(full_name="Émilie Côté-Nguyễn", email="emilie@example.org")
    course = CourseFactory(
        title_fr="Reconnaître la traite et y répondre",
        title_en="Recognising and responding to trafficking",
    )
    return CertificateFactory(
        enrollment__learner=holder,
        enrollment__course=course,
        organization=OrganizationFactory(name="Refuge du Quartier"),
        completed_at=datetime.datetime(2025, 1, 31, 15, tzinfo=datetime.UTC),
        issued_at=datetime.datetime(2025, 1, 31, 15, 5, tzinfo=datetime.UTC),
        expires_on=timezone.localdate() + datetime.timedelta(days=200),
    )


def _path(url: str) -> str:
    return url.removeprefix(settings.SITE_URL)


def _published_keys(client) -> dict:
    return json.loads(client.get(reverse("credentials:jwks")).content)


def _verify(client, token, *, now=None):
    def fetch(url):
        response = client.get(_path(url))
        return response.content.decode() if response.status_code == 200 else None

    return verify.verify_credential(
        token, jwks=_published_keys(client), fetch_status_list=fetch, now=now or timezone.now()
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_the_credential_validates_against_the_shipped_open_badges_schema(certificate):
    credential = build.credential_for(certificate)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.Draft202012Validator(SCHEMA).validate(credential)
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]


def test_the_schema_rejects_a_credential_without_its_achievement(certificate):
    credential = build.credential_for(certificate)
    del credential["credentialSubject"]["achievement"]["criteria"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(credential, SCHEMA, cls=jsonschema.Draft202012Validator)


def test_the_credential_says_what_the_certificate_prints(certificate):
    credential = build.credential_for(certificate)
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["name"] == (
        "Reconnaître la traite et y répondre / Recognising and responding to trafficking"
    )
    assert "version 1" in achievement["criteria"]["narrative"]
    assert "Complete every lesson" in achievement["criteria"]["narrative"]
    assert credential["credentialSubject"]["source"]["name"] == "Refuge du Quartier"
    names = [i["identityHash"] for i in credential["credentialSubject"]["identifier"]]
    assert "Émilie Côté-Nguyễn" in names
    assert credential["validFrom"] == "2025-01-31T15:05:00Z"
    # Valid through the whole of its last day, in the site's time zone.
    until = datetime.datetime.fromisoformat(credential["validUntil"])
    local = until.astimezone(timezone.get_default_timezone())
    assert local.date() == certificate.expires_on + datetime.timedelta(days=1)
    assert (local.hour, local.minute) == (0, 0)
    assert credential["issuer"]["id"] == "https://repere.example.org/credentials/issuer.json"


def test_the_recipient_is_a_salted_sha256_of_the_email_address(certificate):
    identity = build.credential_for(certificate)["credentialSubject"]["identifier"][0]
    assert identity["identityType"] == "emailAddress"
    assert identity["hashed"] is True
    assert len(identity["salt"]) == 32
    expected = hashlib.sha256(("emilie@example.org" + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == f"sha256${expected}"
    assert "emilie@example.org" not in json.dumps(build.credential_for(certificate))


# RFC 9864 deprecates "EdDSA" for the fully-specified "Ed25519"; wallets and Open Badges
# 3.0 verifiers still expect "EdDSA".
@pytest.mark.filterwarnings("ignore:EdDSA is deprecated")
def test_the_proof_verifies_with_joserfc_and_the_published_keys(client, certificate):
    token = build.credential_jwt(certificate)
    key_set = KeySet.import_key_set(_published_keys(client))
    header_part = json.loads(_unb64(token.split(".")[0]))
    assert header_part["alg"] == "EdDSA"
    assert header_part["kid"].startswith("https://repere.example.org/credentials/jwks.json#")
    key = key_set.get_by_kid(header_part["kid"].rpartition("#")[2])
    obj = jose_jws.deserialize_compact(token, key, algorithms=["EdDSA"])
    payload = json.loads(obj.payload)
    assert {k: v for k, v in payload.items() if k not in ("iss", "jti", "nbf", "exp")} == (
        build.credential_for(certificate)
    )
    assert payload["iss"] == payload["issuer"]["id"]
    assert payload["exp"] == int(datetime.datetime.fromisoformat(payload["validUntil"]).timestamp())


def test_the_proof_verifies_with_cryptography_on_the_signing_input(client, certificate):
    token = build.credential_jwt(certificate)
    header, payload, signature = token.split(".")
    entry = _published_keys(client)["keys"][0]
    public = Ed25519PublicKey.from_public_bytes(_unb64(entry["x"]))
    public.verify(_unb64(signature), f"{header}.{payload}".encode())  # raises if not


def test_a_valid_certificate_verifies(client, certificate):
    result = _verify(client, build.credential_jwt(certificate))
    assert result.reason == verify.VALID
    assert result.valid


def _leaves(value, path=()):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaves(inner, (*path, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _leaves(inner, (*path, index))
    else:
        yield path


def _tampered(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    return f"{value}x"


def test_tampering_with_any_field_breaks_the_signature(client, certificate):
    token = build.credential_jwt(certificate)
    header, payload_part, signature = token.split(".")
    payload = json.loads(_unb64(payload_part))
    paths = list(_leaves(payload))
    assert len(paths) > 30
    for path in paths:
        changed = copy.deepcopy(payload)
        target = changed
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = _tampered(target[path[-1]])
        forged = f"{header}.{_b64(json.dumps(changed).encode())}.{signature}"
        assert _verify(client, forged).reason == verify.BAD_SIGNATURE, path


def test_a_signature_from_another_key_is_refused(client, certificate):
    token = build.credential_jwt(certificate)
    header, payload, _signature = token.split(".")
    other = keys.private_key_from_text(KEY_B)
    forged = f"{header}.{payload}.{_b64(other.sign(f'{header}.{payload}'.encode()))}"
    assert _verify(client, forged).reason == verify.BAD_SIGNATURE


def test_a_revoked_certificate_fails_as_revoked(client, certificate):
    token = build.credential_jwt(certificate)
    services.certificate_revoke(certificate=certificate, by=AdminFactory(), reason="Fraude.")
    assert _verify(client, token).reason == verify.REVOKED
    # The credential downloaded again says the same thing.
    certificate.refresh_from_db()
    assert _verify(client, build.credential_jwt(certificate)).reason == verify.REVOKED


def test_an_expired_certificate_fails_as_expired(client, certificate):
    certificate.expires_on = timezone.localdate() - datetime.timedelta(days=1)
    certificate.save()
    assert _verify(client, build.credential_jwt(certificate)).reason == verify.EXPIRED


def test_a_certificate_is_expired_from_the_day_after_its_last_valid_day(client, certificate):
    token = build.credential_jwt(certificate)
    last_day = build.valid_until(certificate) - datetime.timedelta(seconds=1)
    assert _verify(client, token, now=last_day).reason == verify.VALID
    assert _verify(client, token, now=build.valid_until(certificate)).reason == verify.EXPIRED


def test_the_status_list_is_signed_gzipped_base64url_with_the_revoked_bit_set(client):
    kept, revoked = CertificateFactory(), CertificateFactory()
    services.certificate_revoke(certificate=revoked, by=AdminFactory(), reason="Erreur.")
    response = client.get(reverse("credentials:status_list", kwargs={"number": 0}))
    assert response["Content-Type"] == "application/vc+jwt"
    token = response.content.decode()
    reason, _header, credential = verify.signature_valid(token, _published_keys(client))
    assert reason == verify.VALID
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = credential["credentialSubject"]
    assert subject["statusPurpose"] == "revocation"
    assert subject["encodedList"].startswith("u")
    bits = gzip.decompress(_unb64(subject["encodedList"][1:]))
    assert len(bits) * 8 == status.LIST_SIZE == 131_072
    assert status.is_set(bits, revoked.pk)
    assert not status.is_set(bits, kept.pk)
    assert sum(bin(byte).count("1") for byte in bits) == 1


def test_credentials_signed_before_a_rotation_still_verify(client, certificate, settings):
    old_token = build.credential_jwt(certificate)
    old_public = _published_keys(client)["keys"][0]["x"]
    settings.CREDENTIAL_SIGNING_KEY = KEY_B
    settings.CREDENTIAL_OLD_PUBLIC_KEYS = [old_public]
    published = _published_keys(client)["keys"]
    assert len(published) == 2
    assert _verify(client, old_token).reason == verify.VALID
    assert _verify(client, build.credential_jwt(certificate)).reason == verify.VALID
    settings.CREDENTIAL_OLD_PUBLIC_KEYS = []
    assert _verify(client, old_token).reason == verify.UNKNOWN_KEY


def test_the_holder_downloads_the_json_the_jwt_and_a_baked_png(client, certificate):
    client.force_login(certificate.holder)
    as_json = client.get(reverse("certificates:credential_json", kwargs={"pk": certificate.pk}))
    assert json.loads(as_json.content) == build.credential_for(certificate)
    as_jwt = client.get(reverse("certificates:credential_jwt", kwargs={"pk": certificate.pk}))
    assert as_jwt["Content-Type"] == "application/vc+jwt"
    assert _verify(client, as_jwt.content.decode()).valid
    badge = client.get(reverse("certificates:badge", kwargs={"pk": certificate.pk}))
    assert badge["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(badge.content))
    image.load()
    assert image.info["openbadgecredential"] == as_jwt.content.decode()
    assert baking.unbake(badge.content) == as_jwt.content.decode()


def test_the_issuer_profile_is_an_https_page_under_the_site_address(client):
    profile = json.loads(client.get(reverse("credentials:issuer")).content)
    assert profile["id"] == "https://repere.example.org/credentials/issuer.json"
    assert profile["type"] == ["Profile"]
    assert profile["name"] == "Repère"


def test_the_verification_page_offers_the_credential_to_machines(client, certificate):
    url = reverse("verify:detail", kwargs={"code": certificate.display_code})
    page = client.get(url)
    assert page["Content-Type"].startswith("text/html")
    assert "Accept" in page["Vary"]
    as_json = client.get(url, headers={"accept": "application/json"})
    assert json.loads(as_json.content) == build.credential_for(certificate)
    as_jwt = client.get(url, headers={"accept": "application/vc+jwt"})
    assert _verify(client, as_jwt.content.decode()).valid
    address = reverse("verify:detail_json", kwargs={"code": certificate.display_code.lower()})
    assert json.loads(client.get(address).content) == build.credential_for(certificate)
    unknown = reverse("verify:detail_json", kwargs={"code": "AAAA-BBBB-CCCC-DDDD"})
    assert client.get(unknown).status_code == 404


def test_the_credential_for_machines_has_the_pages_rate_limit(client, certificate, settings):
    settings.CERTIFICATES_VERIFY_RATE_LIMIT = 2
    address = reverse("verify:detail_json", kwargs={"code": certificate.display_code})
    page = reverse("verify:detail", kwargs={"code": certificate.display_code})
    assert client.get(address).status_code == 200
    assert client.get(page, headers={"accept": "application/json"}).status_code == 200
    assert client.get(address).status_code == 429
    assert client.get(page, headers={"accept": "application/json"}).status_code == 429
