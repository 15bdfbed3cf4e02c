"""Dates written the same way everywhere, in the reader's language.

The formats are config/formats/<language>/formats.py ("1er décembre 2026", "December 1,
2026"). French writes the first of the month "1er" (OQLF), which no format character
gives: `date_format` adds it. Templates get it through the `date` filter, which
accounts.templatetags.dates replaces for every template (settings: TEMPLATES builtins);
e-mails and certificates render through templates or call `date_format` directly.
"""

import datetime

from django.utils import dateformat, formats, timezone, translation

FIRST_OF_MONTH = {"fr": "\\1\\e\\r"}  # the literal "1er", escaped for dateformat


def _with_first_of_month(format_string: str, first: str) -> str:
    """`format_string` with every day-of-month `j` (not an escaped one) written `first`."""
    out = []
    escaped = False
    for char in format_string:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            out.append(char)
            escaped = True
        elif char == "j":
            out.append(first)
        else:
            out.append(char)
    return "".join(out)


def date_format(value: datetime.date, format: str | None = None) -> str:
    """`value` in the current language's `format` (a name such as "SHORT_DATE_FORMAT", or a
    format string; DATE_FORMAT by default). Aware datetimes are shown in local time."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    format_string = formats.get_format(format or "DATE_FORMAT")
    first = FIRST_OF_MONTH.get((translation.get_language() or "")[:2])
    if first and value.day == 1:
        format_string = _with_first_of_month(format_string, first)
    return dateformat.format(value, format_string)
