"""The dashboard as a CSV file, streamed: memory stays flat however many rows there are.

Written for the spreadsheet of the supervisor's language: Excel in French (Canada as
France) splits lines on semicolons, since the comma is its decimal mark, and in English on
commas (`separator_for`, which the staff import reads back either way). UTF-8 with a byte
order mark, because Excel otherwise reads the file as Windows-1252 and garbles accented
names; every other program ignores the mark.
"""

import csv
from collections.abc import Iterable, Iterator

from django.utils import translation

from organizations.csv_import import separator_for
from supervision.selectors import header_cells, row_cells, status_labels

BOM = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet: a name typed as
# "=HYPERLINK(…)" must not run on a supervisor's computer.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write returns the line, for csv.writer to stream."""

    def write(self, value):
        return value


def _safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def dashboard_csv_lines(rows: Iterable[dict], *, language: str) -> Iterator[str]:
    """The lines of the CSV file for these dashboard rows, read lazily (see
    selectors.dashboard_export_rows).

    Runs while the response is sent, after the view has returned: the language is passed
    in, not taken from the request.
    """
    writer = csv.writer(_Echo(), delimiter=separator_for(language))
    with translation.override(language):
        yield BOM + writer.writerow(header_cells())
        labels = status_labels()
        for row in rows:
            cells = row_cells(row, labels)
            # Only the name, the e-mail and the course title are typed by people: the
            # other cells are dates, numbers and our own labels.
            cells[:3] = [_safe(cell) for cell in cells[:3]]
            yield writer.writerow(cells)
