"""The dashboard as an Excel workbook: the CSV's columns, rows and order, with typed cells.

Dates are date cells (a spreadsheet sorts and filters them as dates), numbers are numbers,
the header row is bold and stays in view. openpyxl's write-only mode writes each row to a
temporary file as it comes, with its text inline (no table of shared strings growing in
memory), so memory stays flat however many rows there are; the workbook is then streamed
from that file.
"""

import datetime
import tempfile
from collections.abc import Iterable
from typing import IO

from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from supervision.selectors import columns, header_cells, row_values, status_labels

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# Characters wide, by column key; the others get DEFAULT_WIDTH.
WIDTHS = {"name": 28, "email": 32, "unit": 28, "course": 36, "status": 22}
DEFAULT_WIDTH = 16


def _text_cell(sheet, value: str):
    """Text as text: a name typed as "=HYPERLINK(…)" or "#N/A" is not a formula or an
    error to Excel, whatever it starts with. Control characters, which a workbook cannot
    hold, are dropped."""
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value.startswith("=") and value not in ERROR_CODES:
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def _cell(sheet, value):
    if isinstance(value, str):
        return _text_cell(sheet, value)
    if isinstance(value, datetime.datetime):
        # Excel has no time zones: the local time, as the page shows it.
        cell = WriteOnlyCell(sheet, value=timezone.make_naive(value))
        cell.number_format = DATETIME_FORMAT
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    return value


def dashboard_xlsx(rows: Iterable[dict], *, language: str, units: bool = False) -> IO[bytes]:
    """The workbook of these dashboard rows (see selectors.dashboard_export_rows), as a
    temporary file open at its start; it is deleted when closed. With the unit column
    when `units`."""
    workbook = Workbook(write_only=True)
    with translation.override(language):
        sheet = workbook.create_sheet(gettext("Dashboard"))
        sheet.freeze_panes = "A2"
        for index, column in enumerate(columns(units=units), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = WIDTHS.get(
                column.key, DEFAULT_WIDTH
            )
        bold = Font(bold=True)
        header = []
        for label in header_cells(units=units):
            cell = WriteOnlyCell(sheet, value=label)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        labels = status_labels()
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row_values(row, labels, units=units)])
    file = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
    try:
        workbook.save(file)
    except BaseException:
        file.close()
        raise
    file.seek(0)
    return file
