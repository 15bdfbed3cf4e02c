"""Validators for text that people type and that we print elsewhere (e-mails, PDFs, CSV)."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CONTROL_CHARACTERS_REFUSED = _(
    "This text contains an invisible control character (a line break, a tab or similar): "
    "remove it and try again."
)


def validate_no_control_characters(value: str) -> None:
    """Refuse any Unicode control character (category Cc: NUL, CR, LF, tab…).

    A line break in a name would write extra lines into e-mails sent from our address; a NUL
    byte is refused by PostgreSQL with a 500.
    """
    if any(unicodedata.category(character) == "Cc" for character in str(value)):
        raise ValidationError(CONTROL_CHARACTERS_REFUSED, code="control_characters")
