"""The Ed25519 key that signs credentials, and the public keys that verify them.

REPERE_CREDENTIAL_SIGNING_KEY holds the private key: the 32 raw bytes in base64 (standard or
URL-safe alphabet), or a PKCS#8 PEM. Its key id is its JWK thumbprint (RFC 7638), so it
needs no separate setting and cannot disagree with the key. REPERE_CREDENTIAL_OLD_PUBLIC_KEYS
lists (comma-separated, base64) the raw public keys of earlier signing keys: they stay in the
published key set after a rotation, so that credentials signed with them still verify.

Production refuses to start without a signing key (config/settings.py). In development, a
key is generated for the process when none is set (`make run` writes one to
.credential-key.env so that every worker and restart signs with the same).
"""

import base64
import hashlib
import json
import logging
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.urls import reverse

from certificates.credentials.jws import b64url

logger = logging.getLogger(__name__)


def generate_private_key_text() -> str:
    """A new private key, as REPERE_CREDENTIAL_SIGNING_KEY takes it."""
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return b64url(raw)


def _decode(text: str) -> bytes:
    text = text.strip()
    return base64.b64decode(
        text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4), validate=True
    )


def private_key_from_text(text: str) -> Ed25519PrivateKey:
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("REPERE_CREDENTIAL_SIGNING_KEY is not an Ed25519 key.")
        return key
    return Ed25519PrivateKey.from_private_bytes(_decode(text))


def public_key_from_text(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(_decode(text))


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def thumbprint(key: Ed25519PublicKey) -> str:
    """RFC 7638: SHA-256 of the JWK's required members, in order, without spaces."""
    members = {"crv": "Ed25519", "kty": "OKP", "x": b64url(raw_public(key))}
    return b64url(hashlib.sha256(json.dumps(members, separators=(",", ":")).encode()).digest())


def jwk(key: Ed25519PublicKey) -> dict:
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url(raw_public(key)),
        "kid": thumbprint(key),
        "alg": "EdDSA",
        "use": "sig",
    }


@dataclass(frozen=True)
class SigningKey:
    private: Ed25519PrivateKey
    kid: str  # the address of the key: the key set's URL, the thumbprint as fragment


@lru_cache(maxsize=4)
def _signing_key(text: str, site_url: str) -> SigningKey:
    if text.strip():
        private = private_key_from_text(text)
    else:
        logger.warning(
            "REPERE_CREDENTIAL_SIGNING_KEY is not set: credentials are signed with a key "
            "generated for this process only (development)."
        )
        private = Ed25519PrivateKey.generate()
    kid = f"{site_url}{reverse('credentials:jwks')}#{thumbprint(private.public_key())}"
    return SigningKey(private, kid)


def signing_key() -> SigningKey:
    return _signing_key(settings.CREDENTIAL_SIGNING_KEY, settings.SITE_URL)


def published_keys() -> dict:
    """The JWK Set: the current key first, then the earlier ones (rotation)."""
    keys = [signing_key().private.public_key()]
    keys += [public_key_from_text(text) for text in settings.CREDENTIAL_OLD_PUBLIC_KEYS if text]
    seen, published = set(), []
    for key in keys:
        entry = jwk(key)
        if entry["kid"] not in seen:
            seen.add(entry["kid"])
            published.append(entry)
    return {"keys": published}
