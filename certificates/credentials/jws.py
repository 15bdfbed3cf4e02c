"""Compact JWS with EdDSA (Ed25519), RFC 7515 and RFC 8037."""

import base64
import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def sign(payload: dict, *, key: Ed25519PrivateKey, kid: str, typ: str = "vc+jwt") -> str:
    """`header.payload.signature`, the signature over the first two parts as sent."""
    header = {"alg": "EdDSA", "kid": kid, "typ": typ}
    signing_input = f"{b64url(_json(header))}.{b64url(_json(payload))}"
    return f"{signing_input}.{b64url(key.sign(signing_input.encode('ascii')))}"
