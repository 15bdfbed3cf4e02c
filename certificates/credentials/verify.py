"""Verifying a credential as a third party would: from the JWT, the published key set and
the published status list only, never the database. Written apart from the signing code
(it shares nothing with `jws.sign` or `build`), so that a test passing through both checks
the format rather than agreeing with itself.
"""

import base64
import datetime
import gzip
import json
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

VALID = "valid"
MALFORMED = "malformed"
UNKNOWN_KEY = "unknown_key"
BAD_SIGNATURE = "bad_signature"
NOT_YET_VALID = "not_yet_valid"
EXPIRED = "expired"
REVOKED = "revoked"
STATUS_UNAVAILABLE = "status_unavailable"


@dataclass
class Verification:
    reason: str
    credential: dict = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return self.reason == VALID


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _parse(token: str):
    header_part, payload_part, signature_part = token.split(".")
    header = json.loads(_b64(header_part))
    payload = json.loads(_b64(payload_part))
    signature = _b64(signature_part)
    return header, payload, signature, f"{header_part}.{payload_part}".encode("ascii")


def _key(jwks: dict, kid: str) -> Ed25519PublicKey | None:
    fragment = kid.rpartition("#")[2]
    for entry in jwks.get("keys", []):
        if entry.get("kid") == fragment and entry.get("kty") == "OKP":
            return Ed25519PublicKey.from_public_bytes(_b64(entry["x"]))
    return None


def signature_valid(token: str, jwks: dict) -> tuple[str, dict, dict]:
    """(reason, header, payload) for the signature alone."""
    try:
        header, payload, signature, signing_input = _parse(token)
    except (ValueError, UnicodeDecodeError):
        return MALFORMED, {}, {}
    if header.get("alg") != "EdDSA" or not isinstance(header.get("kid"), str):
        return MALFORMED, header, payload
    key = _key(jwks, header["kid"])
    if key is None:
        return UNKNOWN_KEY, header, payload
    try:
        key.verify(signature, signing_input)
    except InvalidSignature:
        return BAD_SIGNATURE, header, payload
    return VALID, header, payload


def _moment(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def verify_credential(
    token: str, *, jwks: dict, fetch_status_list, now: datetime.datetime
) -> Verification:
    """Signature, then dates, then revocation. `fetch_status_list(url) -> str | None`
    returns the status list credential's JWT published at `url`."""
    reason, _header, credential = signature_valid(token, jwks)
    if reason != VALID:
        return Verification(reason, credential)
    try:
        if now < _moment(credential["validFrom"]):
            return Verification(NOT_YET_VALID, credential)
        if "validUntil" in credential and now >= _moment(credential["validUntil"]):
            return Verification(EXPIRED, credential)
        entry = credential["credentialStatus"]
        url, index = entry["statusListCredential"], int(entry["statusListIndex"])
    except (KeyError, TypeError, ValueError):
        return Verification(MALFORMED, credential)
    status_token = fetch_status_list(url)
    if status_token is None:
        return Verification(STATUS_UNAVAILABLE, credential)
    status_reason, _status_header, status_list = signature_valid(status_token, jwks)
    if status_reason != VALID or status_list.get("id") != url:
        return Verification(STATUS_UNAVAILABLE, credential)
    subject = status_list["credentialSubject"]
    if subject.get("statusPurpose") != entry.get("statusPurpose"):
        return Verification(STATUS_UNAVAILABLE, credential)
    bits = gzip.decompress(_b64(subject["encodedList"][1:]))
    if bits[index // 8] & (0x80 >> (index % 8)):
        return Verification(REVOKED, credential)
    return Verification(VALID, credential)
