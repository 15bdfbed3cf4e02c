"""The name a certificate carries, as it is written on it: one rule for issuing, correcting
and asking for a correction, so that My certificates offers a request only when the
service would accept it."""

import unicodedata


def clean_name(name: str) -> str:
    # NFC: a name typed with combining accents draws with the font's composed glyphs.
    return unicodedata.normalize("NFC", " ".join(name.split()))
