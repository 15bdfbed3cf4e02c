"""Validators shared by every app that stores what people type."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ERROR_CONTROL_CHARACTERS = _(
    "Remove the invisible characters (line breaks, tabs…) from this text: only letters, "
    "digits, spaces and punctuation are allowed."
)


def has_control_characters(value: str) -> bool:
    """Whether the text holds a control character (NUL, CR, LF, tab, …: category Cc)."""
    return any(unicodedata.category(char) == "Cc" for char in value)


def validate_no_control_characters(value) -> None:
    """Refuse names with control characters: a CR/LF in a name would write extra lines
    into the e-mails that quote it, and PostgreSQL refuses a NUL byte outright."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(ERROR_CONTROL_CHARACTERS, code="control_characters")
