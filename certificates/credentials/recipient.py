"""The Open Badges recipient: a salted SHA-256 hash of the holder's e-mail address."""

import hashlib
import secrets


def new_salt() -> str:
    return secrets.token_hex(16)


def identity_hash(email: str, salt: str) -> str:
    """`sha256$<hex>` of the address (lower case, as accounts stores it) followed by the salt,
    as Open Badges defines an IdentityHash."""
    digest = hashlib.sha256((email.strip().lower() + salt).encode()).hexdigest()
    return f"sha256${digest}"
