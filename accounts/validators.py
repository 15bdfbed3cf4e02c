"""Validators for text that people type and that we print elsewhere (e-mails, PDFs, CSV)."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CONTROL_CHARACTERS_REFUSED = _(
    "This text contains an invisible control character (a line break, a tab or similar): "
    "remove it and try again."
)


def has_control_characters(value) -> bool:
    """Whether the text holds a Unicode control character (category Cc: NUL, CR, LF, tab…)."""
    return any(unicodedata.category(character) == "Cc" for character in str(value))


def validate_no_control_characters(value: str) -> None:
    """Refuse any Unicode control character.

    A line break in a name would write extra lines into e-mails sent from our address; a NUL
    byte is refused by PostgreSQL with a 500.
    """
    if has_control_characters(value):
        raise ValidationError(CONTROL_CHARACTERS_REFUSED, code="control_characters")
