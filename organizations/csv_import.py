"""Reading a staff list from a CSV file: decoding, columns, and each row's checks.

The file must start with a header row naming its columns, in French or English, in any
order: name (`nom`), e-mail (`courriel`), and optionally role (`rôle`), language
(`langue`) and unit (`unité`: the name of the organization importing or of one of its
units, that the person joins; `services.imports` finds it). The separator is a comma or
a semicolon (Excel in French writes semicolons), read from the header row; the encoding
is UTF-8, with or without the byte order mark that Excel adds. So a file written with
`separator_for(language)` (the dashboard's export, the example on the import page) reads
back in either language; the export's other columns are ignored, and a person on several
of its lines (one per course) counts once. Every row is checked before anything is
imported, and every problem is reported with its line number: `parse_staff_csv` returns
rows only when all are good.
"""

import csv
import functools
import io
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext

from accounts.emails import normalize_email
from accounts.validators import CONTROL_CHARACTERS_REFUSED, has_control_characters
from organizations.models import Membership

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_NAME_LENGTH = 150

ERROR_NOT_UTF8 = _(
    "The file is not in UTF-8. In Excel, save it as “CSV UTF-8 (comma delimited)”, then try again."
)
ERROR_EMPTY = _("The file is empty.")
ERROR_TOO_BIG = _("The file is too big (2 MB at most).")
ERROR_TOO_MANY_ROWS = ngettext_lazy(
    "The file has more than %(max)d person. Split it into several files.",
    "The file has more than %(max)d people. Split it into several files.",
    "max",
)
ERROR_NO_ROWS = _("The file has a header row but nobody under it.")
ERROR_UNKNOWN_COLUMN = _(
    "Unknown column “%(column)s”. The columns are: name (nom), e-mail (courriel), "
    "and optionally role (rôle), language (langue) and unit (unité)."
)
ERROR_DUPLICATE_COLUMN = _("The column “%(column)s” appears twice.")
ERROR_MISSING_COLUMN = _(
    "The header row has no “%(column)s” column. The first line must name the columns: "
    "name (nom), e-mail (courriel), and optionally role (rôle), language (langue) and "
    "unit (unité)."
)
ERROR_NOT_CSV = _("The file could not be read as CSV: %(problem)s")
ERROR_TOO_MANY_FIELDS = _("This line has more fields than the header row.")
ERROR_NAME_MISSING = _("The name is missing.")
ERROR_NAME_TOO_LONG = ngettext_lazy(
    "The name is longer than %(max)d character.",
    "The name is longer than %(max)d characters.",
    "max",
)
ERROR_EMAIL_MISSING = _("The e-mail address is missing.")
ERROR_EMAIL_INVALID = _("“%(value)s” is not a valid e-mail address.")
ERROR_EMAIL_DUPLICATE = _("The e-mail address %(email)s is already on line %(line)d.")
ERROR_ROLE_INVALID = _("Unknown role “%(value)s”: write staff (personnel) or supervisor.")
ERROR_LANGUAGE_INVALID = _("Unknown language “%(value)s”: write fr or en.")

NAME, EMAIL, ROLE, LANGUAGE, UNIT = "name", "email", "role", "language", "unit"
REQUIRED_COLUMNS = {NAME: _("name"), EMAIL: _("e-mail")}


# The other columns of the supervisors' dashboard export (supervision.selectors.table
# COLUMNS, the same msgids), so that a file exported from one organization imports into
# another; read in every language, and ignored. tests/supervision/test_export.py checks
# the round trip.
EXPORT_COLUMNS = (
    _("Course"),
    _("Status"),
    _("Progress (%)"),
    _("Due on"),
    _("Completed on"),
    _("Certificate expires on"),
    _("Last activity"),
    _("Best quiz score (%)"),
)


def _simplify(text: str) -> str:
    """Lower case, without accents or extra spaces: "  Rôle " and "role" are the same."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.replace("_", " ").lower().split())


COLUMN_NAMES = {
    NAME: {"nom", "name", "nom complet", "full name", "prenom et nom"},
    EMAIL: {
        "courriel",
        "adresse courriel",
        "e-mail",
        "email",
        "e-mail address",
        "email address",
        "adresse e-mail",
        "adresse electronique",
        "mail",
    },
    ROLE: {"role", "fonction"},
    LANGUAGE: {"langue", "language", "langue preferee", "preferred language"},
    UNIT: {"unite", "unit", "ecole", "school", "site", "etablissement", "equipe", "team"},
}
ROLE_VALUES = {
    Membership.Role.STAFF: {"staff", "personnel", "employe", "employee", "intervenant", "membre"},
    Membership.Role.SUPERVISOR: {
        "supervisor",
        "superviseur",
        "superviseure",
        "gestionnaire",
        "manager",
    },
}
LANGUAGE_VALUES = {
    "fr": {"fr", "francais", "french"},
    "en": {"en", "anglais", "english"},
}


def separator_for(language: str | None) -> str:
    """The separator Excel expects in that language: in French (Canada as France) the
    comma is the decimal mark, so lists are separated by semicolons."""
    return ";" if (language or "")[:2] == "fr" else ","


def example_csv(language: str, units: list[str] = ()) -> str:
    """A small file in that language, as the import page shows it: its own column names,
    role names and separator (each of them is accepted in either language). With the
    names of `units`, a unit column placing each person in one of them."""
    with translation.override(language):
        lines = [
            [
                pgettext("CSV column", "name"),
                pgettext("CSV column", "e-mail"),
                pgettext("CSV column", "role"),
            ],
            ["Camille Tremblay", "camille@example.org", pgettext("CSV role", "staff")],
            ["Sam Roy", "sam@example.org", pgettext("CSV role", "supervisor")],
        ]
        if units:
            lines[0].append(pgettext("CSV column", "unit"))
            for index, line in enumerate(lines[1:]):
                line.append(units[index % len(units)])
    separator = separator_for(language)
    return "\n".join(separator.join(_quoted(value, separator) for value in line) for line in lines)


def _quoted(value: str, separator: str) -> str:
    """A unit's name as a CSV cell: quoted if it holds the separator or a quote."""
    if separator in value or '"' in value:
        return '"' + value.replace('"', '""') + '"'
    return value


def unit_key(name: str) -> str:
    """A unit's name as the file's unit column is compared with it: without case,
    accents or extra spaces."""
    return _simplify(name)


@functools.cache
def _ignored_columns() -> frozenset[str]:
    names = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names |= {_simplify(str(label)) for label in EXPORT_COLUMNS}
    return frozenset(names)


def _lookup(table: dict[str, set[str]], value: str) -> str | None:
    simple = _simplify(value)
    return next((key for key, names in table.items() if simple in names), None)


@dataclass(frozen=True)
class StaffRow:
    line: int
    full_name: str
    email: str
    role: str | None  # None: not given (new members are staff, existing ones keep theirs)
    language: str | None  # None: not given
    unit: str = ""  # The unit's name as written; "": the organization importing


@dataclass(frozen=True)
class RowError:
    line: int | None  # None: the file as a whole
    message: str


class CsvImportError(Exception):
    """The file cannot be imported; `errors` lists every problem found."""

    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(f"{error.line}: {error.message}" for error in errors))
        self.errors = errors


def _decode(data: bytes) -> str:
    if not data.strip():
        raise CsvImportError([RowError(None, str(ERROR_EMPTY))])
    if len(data) > MAX_BYTES:
        raise CsvImportError([RowError(None, str(ERROR_TOO_BIG))])
    try:
        # utf-8-sig drops Excel's byte order mark if there is one.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvImportError([RowError(None, str(ERROR_NOT_UTF8))]) from exc


def _delimiter(text: str) -> str:
    """The header row holds only column names, so its separator is unambiguous."""
    header = text.lstrip().splitlines()[0] if text.strip() else ""
    return ";" if header.count(";") > header.count(",") else ","


def _columns(header: list[str], line: int) -> dict[str, int]:
    columns: dict[str, int] = {}
    errors = []
    for index, raw in enumerate(header):
        if not raw.strip() or _simplify(raw) in _ignored_columns():
            continue  # a trailing separator, as spreadsheets write; or an export's column
        key = _lookup(COLUMN_NAMES, raw)
        if key is None:
            errors.append(RowError(line, str(ERROR_UNKNOWN_COLUMN % {"column": raw.strip()})))
        elif key in columns:
            errors.append(RowError(line, str(ERROR_DUPLICATE_COLUMN % {"column": raw.strip()})))
        else:
            columns[key] = index
    for key, label in REQUIRED_COLUMNS.items():
        if key not in columns:
            errors.append(RowError(line, str(ERROR_MISSING_COLUMN % {"column": label})))
    if errors:
        raise CsvImportError(errors)
    return columns


def _check_row(values: list[str], columns: dict[str, int], width: int, line: int, seen):
    """Returns (row, errors) for one line of the file; (None, []) for a repeat of an
    earlier line's person."""
    errors = []
    first = None

    def cell(key):
        index = columns.get(key)
        return values[index].strip() if index is not None and index < len(values) else ""

    if any(value.strip() for value in values[width:]):
        errors.append(ERROR_TOO_MANY_FIELDS)
    full_name = " ".join(cell(NAME).split())
    if has_control_characters(cell(NAME)):
        errors.append(CONTROL_CHARACTERS_REFUSED)
    elif not full_name:
        errors.append(ERROR_NAME_MISSING)
    elif len(full_name) > MAX_NAME_LENGTH:
        errors.append(ERROR_NAME_TOO_LONG % {"max": MAX_NAME_LENGTH})
    email = normalize_email(cell(EMAIL))
    if not email:
        errors.append(ERROR_EMAIL_MISSING)
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(ERROR_EMAIL_INVALID % {"value": cell(EMAIL)})
        else:
            if email in seen:
                errors.append(ERROR_EMAIL_DUPLICATE % {"email": email, "line": seen[email].line})
                first = seen[email]
    role = None
    if cell(ROLE):
        role = _lookup(ROLE_VALUES, cell(ROLE))
        if role is None:
            errors.append(ERROR_ROLE_INVALID % {"value": cell(ROLE)})
    language = None
    if cell(LANGUAGE):
        language = _lookup(LANGUAGE_VALUES, cell(LANGUAGE))
        if language is None:
            errors.append(ERROR_LANGUAGE_INVALID % {"value": cell(LANGUAGE)})
    row = StaffRow(
        line=line,
        full_name=full_name,
        email=email,
        role=role,
        language=language,
        unit=" ".join(cell(UNIT).split()),
    )
    if first is None:
        seen.setdefault(email, row)
    elif len(errors) == 1 and _same_person(first, row):
        # The same person again, nothing else wrong (the dashboard's export has a line per
        # course): one person, not an error.
        return None, []
    return row, [RowError(line, str(message)) for message in errors]


def _same_person(first: StaffRow, again: StaffRow) -> bool:
    fields = ("full_name", "email", "role", "language", "unit")
    return all(getattr(first, name) == getattr(again, name) for name in fields)


def parse_staff_csv(data: bytes) -> list[StaffRow]:
    """Every row of the file, checked. Raises CsvImportError listing every bad row (with
    its line number in the file, the header being line 1) if there is any."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows: list[StaffRow] = []
    errors: list[RowError] = []
    seen: dict[str, StaffRow] = {}
    columns = None
    width = 0
    count = 0
    try:
        for values in reader:
            if not any(value.strip() for value in values):
                continue  # blank lines, or a line of separators only
            if columns is None:
                columns = _columns(values, reader.line_num)
                width = len(values)
                continue
            count += 1
            if count > MAX_ROWS:
                raise CsvImportError([RowError(None, str(ERROR_TOO_MANY_ROWS % {"max": MAX_ROWS}))])
            row, row_errors = _check_row(values, columns, width, reader.line_num, seen)
            if row_errors:
                errors.extend(row_errors)
            elif row is not None:
                rows.append(row)
    except csv.Error as exc:
        errors.append(RowError(reader.line_num, str(ERROR_NOT_CSV % {"problem": exc})))
    if columns is None:
        raise CsvImportError([RowError(None, str(ERROR_EMPTY))])
    if errors:
        raise CsvImportError(errors)
    if not rows:
        raise CsvImportError([RowError(None, str(ERROR_NO_ROWS))])
    return rows
