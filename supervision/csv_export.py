"""The dashboard as a CSV file, streamed: memory stays flat however many rows there are.

UTF-8 with a byte order mark, because Excel otherwise reads the file as Windows-1252 and
garbles accented names; every other program ignores the mark. Comma-separated, the
default of `csv`; Excel in French opens such a file through Data > From Text/CSV.
"""

import csv
from collections.abc import Iterator

from django.utils import translation

from supervision.selectors import header_cells, row_cells

BOM = "\ufeff"
CHUNK_SIZE = 500
# A cell starting with one of these is a formula to a spreadsheet: a name typed as
# "=HYPERLINK(…)" must not run on a supervisor's computer.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    """A file-like object whose write returns the line, for csv.writer to stream."""

    def write(self, value):
        return value


def _safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def dashboard_csv_lines(rows, *, language: str) -> Iterator[str]:
    """The lines of the CSV file for these dashboard rows (see selectors.dashboard_rows).

    Runs while the response is sent, after the view has returned: the language is passed
    in, not taken from the request.
    """
    writer = csv.writer(_Echo())
    with translation.override(language):
        yield BOM + writer.writerow(header_cells())
        for row in rows.iterator(chunk_size=CHUNK_SIZE):
            yield writer.writerow([_safe(cell) for cell in row_cells(row)])
