"""Revocation through a Bitstring Status List (W3C Bitstring Status List v1.0).

Each certificate's index is its primary key: unique, never reused, known at issue. List
`n` covers indexes n × LIST_SIZE to (n + 1) × LIST_SIZE − 1; bit i of a list (the
left-most bit of the first byte is bit 0) is set when that certificate is revoked. The list
is gzip-compressed, then base64url-encoded with the multibase prefix "u", as the
specification says, and published as a credential signed like the certificates'.
Expiry needs no list: each credential states its `validUntil`, under its signature.
"""

import base64
import datetime
import gzip

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

# The specification's minimum (16 KiB), so that one revocation cannot be singled out.
LIST_SIZE = 131_072
# How long a verifier may keep a list before fetching it again, in milliseconds.
TTL_MS = 5 * 60 * 1000


def list_number(index: int) -> int:
    return index // LIST_SIZE


def list_index(index: int) -> int:
    return index % LIST_SIZE


def list_url(number: int) -> str:
    return settings.SITE_URL + reverse("credentials:status_list", kwargs={"number": number})


def encode(revoked_positions) -> str:
    bits = bytearray(LIST_SIZE // 8)
    for position in revoked_positions:
        bits[position // 8] |= 0x80 >> (position % 8)
    # mtime=0: the same list gives the same bytes.
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("Not a base64url multibase string.")
    text = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def is_set(bits: bytes, position: int) -> bool:
    return bool(bits[position // 8] & (0x80 >> (position % 8)))


def status_list_credential(number: int, revoked_positions, *, issuer: str, contexts) -> dict:
    url = list_url(number)
    now = timezone.now().replace(microsecond=0)
    return {
        "@context": [contexts[0]],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": now.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode(revoked_positions),
            "ttl": TTL_MS,
        },
    }
