"""The gain report as rows of figures, and those rows as a CSV file or an Excel workbook.

`gain_rows` is the one place the figures are rounded: the page (through the gain_tags
filters, which use the same `rounded`), the CSV file and the workbook show the same
numbers. One line per course (its whole check), then one per module; a group below the
minimum has no figure, only the note saying why.

The CSV file is written for the spreadsheet of the reader's language, as the dashboard's
is: semicolons and decimal commas in French, commas and points in English, UTF-8 with a
byte order mark. Course and module titles are typed by people: a title starting like a
formula is written as text in both files.
"""

import csv
import dataclasses
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext, pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from assessments.selectors import CourseGain, GainFigures, minimum_group
from organizations.csv_import import separator_for

PERCENT_PLACES = 1
GAIN_PLACES = 2
BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
WIDTHS = (36, 36, 12, 16, 16, 20, 20, 60)


@dataclasses.dataclass(frozen=True)
class Rounded:
    people: int | None
    before: float | None
    after: float | None
    gain: float | None
    gain_people: int | None


def rounded(figures: GainFigures) -> Rounded:
    def places(value, digits):
        return None if value is None else round(value, digits)

    return Rounded(
        people=figures.people,
        before=places(figures.before, PERCENT_PLACES),
        after=places(figures.after, PERCENT_PLACES),
        gain=places(figures.gain, GAIN_PLACES),
        gain_people=figures.gain_people,
    )


def hidden_note(minimum: int) -> str:
    return ngettext(
        "Fewer than %(minimum)s person took both checks: no figure is shown so that nobody"
        " can be recognised.",
        "Fewer than %(minimum)s people took both checks: no figure is shown so that nobody"
        " can be recognised.",
        minimum,
    ) % {"minimum": minimum}


def header_cells() -> list[str]:
    return [
        gettext("Course"),
        gettext("Part"),
        gettext("People"),
        gettext("Mean score before, in %"),
        gettext("Mean score after, in %"),
        gettext("Mean normalised gain"),
        gettext("People in the mean gain"),
        gettext("Note"),
    ]


def gain_rows(reports: Iterable[CourseGain]) -> Iterator[tuple]:
    """(course, part, people, before, after, gain, people in the gain, note) per course and
    per module, rounded as the page shows them; None where there is no figure."""
    note = hidden_note(minimum_group())
    for report in reports:
        title = str(report.course.title)
        parts = [(gettext("Whole check"), report.figures)]
        parts += [(str(row.module.title), row.figures) for row in report.modules]
        for part, figures in parts:
            if not figures.shown:
                yield (title, part, None, None, None, None, None, note)
                continue
            figures = rounded(figures)
            yield (
                title,
                part,
                figures.people,
                figures.before,
                figures.after,
                figures.gain,
                figures.gain_people,
                "",
            )


# --- CSV -------------------------------------------------------------------------------------


class _Echo:
    def write(self, value):
        return value


def _safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _safe(value)
    if isinstance(value, float):
        return number_format(value, use_l10n=True, force_grouping=False)
    return str(value)


def gain_csv_lines(reports: list[CourseGain], *, language: str) -> Iterator[str]:
    """The report as CSV lines in the reader's language (run while the response is sent:
    the language is passed in)."""
    writer = csv.writer(_Echo(), delimiter=separator_for(language))
    with translation.override(language):
        yield BOM + writer.writerow(header_cells())
        for row in gain_rows(reports):
            yield writer.writerow([_text(value) for value in row])


# --- Excel -----------------------------------------------------------------------------------


def _cell(sheet, value):
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith("=") and value not in ERROR_CODES:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def gain_xlsx(reports: list[CourseGain], *, language: str) -> IO[bytes]:
    """The report as a workbook with number cells, in a temporary file open at its start
    (deleted when closed)."""
    workbook = Workbook(write_only=True)
    with translation.override(language):
        # At most 31 characters: Excel refuses longer sheet names.
        sheet = workbook.create_sheet(pgettext("spreadsheet tab", "Knowledge check gain"))
        sheet.freeze_panes = "A2"
        for index, width in enumerate(WIDTHS, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        bold = Font(bold=True)
        header = []
        for label in header_cells():
            cell = WriteOnlyCell(sheet, value=label)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in gain_rows(reports):
            sheet.append([_cell(sheet, value) for value in row])
    file = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
    try:
        workbook.save(file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file
