"""The dashboard as a CSV file, streamed: memory stays flat however many rows there are.

Written for the spreadsheet of the supervisor's language: Excel in French (Canada as
France) splits lines on semicolons, since the comma is its decimal mark, and in English on
commas (`separator_for`, which the staff import reads back either way). UTF-8 with a byte
order mark, because Excel otherwise reads the file as Windows-1252 and garbles accented
names; every other program ignores the mark.

The cells are those of `selectors.row_cells` (the page's and the workbook's values, as
text), but written by `_row_text` below, which does per row only what differs from row to
row: the labels, the time zone and the writer are looked up once per file, and the lines
are sent in pieces of about CHUNK_BYTES rather than one by one (at 10,000 rows, formatting
each cell through `row_cells` and handing each line to the response on its own cost more
than the query). tests/supervision/test_csv_export.py holds it to `row_cells`, byte for
byte.
"""

import csv
from collections.abc import Iterable, Iterator

from django.utils import timezone, translation

from organizations.csv_import import separator_for
from supervision.selectors import header_cells, status_labels
from supervision.selectors.table import ROW_FIELDS

BOM = "\ufeff"
# A cell starting with one of these is a formula to a spreadsheet: a name typed as
# "=HYPERLINK(…)" must not run on a supervisor's computer.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What is sent at once: past a few KiB the response's per-piece work (encoding, the
# server's write) no longer shows; 64 KiB pieces added a third to the export's peak
# memory (the piece held as lines, joined, then encoded) for no time measured.
CHUNK_BYTES = 16 * 1024


class _Echo:
    """A file-like object whose write returns the line, for csv.writer to stream."""

    def write(self, value):
        return value


def _safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _row_text(labels: tuple[str, ...], zone, *, units: bool = False):
    """A function of one dashboard row (a tuple of ROW_FIELDS, see
    selectors.dashboard_export_values) to its cells as text: the same as
    `row_cells(row, labels)` (with the people's own words neutralised, `_safe`) in the
    time zone `zone`, without its per-cell dispatch on types; with the unit's name after
    the e-mail when `units`."""
    at = {field: position for position, field in enumerate(ROW_FIELDS)}
    name, email, title, rank = (
        at["learner_name"],
        at["learner_email"],
        at["course_title"],
        at["status_rank"],
    )
    progress_at, due_at, completed_at_at = at["progress"], at["due_on"], at["completed_at"]
    expires_at, activity_at, score_at = (
        at["certificate_expires_on"],
        at["last_activity_at"],
        at["best_score"],
    )
    unit_at = at["unit_name"]

    def cells(row: tuple) -> tuple:
        completed_at = row[completed_at_at]
        activity = row[activity_at]
        due_on = row[due_at]
        expires_on = row[expires_at]
        progress = row[progress_at]
        score = row[score_at]
        # Only the name, the e-mail, the unit and the course title are typed by people:
        # the other cells are dates, numbers and our own labels.
        return (
            _safe(row[name]),
            _safe(row[email]),
            *((_safe(row[unit_at]),) if units else ()),
            _safe(row[title]),
            labels[row[rank]],
            "" if progress is None else str(progress),
            "" if due_on is None else due_on.isoformat(),
            "" if not completed_at else completed_at.astimezone(zone).date().isoformat(),
            "" if expires_on is None else expires_on.isoformat(),
            "" if not activity else activity.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            "" if score is None else str(score),
        )

    return cells


def dashboard_csv_lines(
    rows: Iterable[tuple], *, language: str, units: bool = False
) -> Iterator[str]:
    """The CSV file of these dashboard rows (tuples of ROW_FIELDS, read lazily: see
    selectors.dashboard_export_values), in pieces of whole lines of about CHUNK_BYTES.

    Runs while the response is sent, after the view has returned: the language is passed
    in, not taken from the request. With the unit column when `units`.
    """
    writer = csv.writer(_Echo(), delimiter=separator_for(language))
    with translation.override(language):
        lines = [BOM + writer.writerow(header_cells(units=units))]
        size = 0
        cells = _row_text(status_labels(), timezone.get_current_timezone(), units=units)
        writerow = writer.writerow
        for row in rows:
            line = writerow(cells(row))
            lines.append(line)
            size += len(line)
            if size >= CHUNK_BYTES:
                yield "".join(lines)
                lines = []
                size = 0
        if lines:
            yield "".join(lines)
