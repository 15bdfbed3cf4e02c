"""Verification codes: random, unique, readable aloud on the phone.

Alphabet: Crockford's base32 — digits and upper-case letters without I, L, O and U.
32 symbols carry 5 bits each, so 16 symbols carry 80 bits from `secrets`. A code is
stored as 16 upper-case symbols and shown in four groups, `7KQ4-M2XD-9WPA-TR3H`.

Because I, L and O never occur, what a person types for them can only mean 1 or 0:
`normalise` maps O to 0 and I, L to 1, and ignores case, spaces and dashes, so a code
read over the phone or copied from a PDF still matches.
"""

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16
GROUP = 4

# Anything longer than this is not a code with separators typed around it: refuse it
# before doing any work on it.
MAX_INPUT_LENGTH = 64

_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CODE = re.compile(rf"[{ALPHABET}]{{{LENGTH}}}")


def generate() -> str:
    """A new code: 16 symbols drawn with the operating system's secure random source."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(raw: object) -> str | None:
    """The stored form of a typed code, or None if it cannot be a code.

    Never raises, whatever it is given.
    """
    if not isinstance(raw, str) or len(raw) > MAX_INPUT_LENGTH:
        return None
    compact = _SEPARATORS.sub("", raw)
    # Only ASCII: str.upper() turns some other letters into ASCII ones ("ı" into "I").
    if not compact.isascii():
        return None
    compact = compact.upper().translate(_LOOKALIKES)
    if not _CODE.fullmatch(compact):
        return None
    return compact


def display(code: str) -> str:
    """`7KQ4M2XD9WPATR3H` → `7KQ4-M2XD-9WPA-TR3H`."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))
