"""One way to write an e-mail address, for storing it, finding its account and counting
failed logins: NFKC, stripped, then case-folded.

Matching with the database's case-insensitive lookups (`__iexact`) is not the same thing:
PostgreSQL's UPPER() maps the dotless "ı" to "I", so "tina.irıs@…" matched the account
"tina.iris@…" while the lockout, keyed on Python's lower(), counted it as another address.
Comparing normalised strings exactly gives the same answer on every database.
"""

import unicodedata


def normalize_email(address: str) -> str:
    """The address as Repère stores and matches it."""
    return unicodedata.normalize("NFKC", address).strip().casefold()
