"""The dashboard's rows for the exports, streamed whatever the number of rows.

Two ways, one order (the dashboard's) and the same rows:

- a server-side cursor (`QuerySet.iterator()`), one query read a chunk at a time: the
  default, on SQLite and on PostgreSQL;
- keyset pagination, when the database's `DISABLE_SERVER_SIDE_CURSORS` is set (behind
  PgBouncer in transaction mode, where a cursor may not outlive its transaction): chunks
  of KEYSET_CHUNK_SIZE rows, each a query of its own that starts after the last row read,
  by the sort key then name (compared as it is sorted: accounts.names) then id (unique),
  so no row is skipped or read twice.

The rows come as dicts (`dashboard_export_rows`, for the workbook) or as tuples of
ROW_FIELDS in that order (`dashboard_export_values`, for the CSV file: at 10,000 rows,
building a dict per row was a tenth of the export).
"""

from collections.abc import Callable, Iterator

from django.db import connections
from django.db.models import Q, QuerySet

from supervision.selectors.dashboard import dashboard_courses, dashboard_rows
from supervision.selectors.statuses import count_requirements
from supervision.selectors.table import DEFAULT_SORT, ROW_FIELDS, SORT_FIELDS

# Rows fetched at a time from the cursor: what memory holds at once (the export's peak
# must not grow past the first chunks; more per fetch saves nothing measurable).
CURSOR_CHUNK_SIZE = 500
# Each keyset chunk evaluates the status of every row not yet read: few large chunks.
KEYSET_CHUNK_SIZE = 2_000


def dashboard_export_rows(*, organization, **filters) -> Iterator[dict]:
    """The rows of `dashboard_rows` under the filters, read lazily, in its order. The
    requirements of the organization's courses are counted first (one small query), not
    once per row."""
    rows = _export_rows(organization=organization, **filters)
    return _streamed(rows, sort=filters.get("sort", DEFAULT_SORT), value=dict.__getitem__)


def dashboard_export_values(*, organization, **filters) -> Iterator[tuple]:
    """The same rows as `dashboard_export_rows`, in the same order, each a tuple of the
    ROW_FIELDS values in that order."""
    rows = _export_rows(organization=organization, **filters).values_list(*ROW_FIELDS)
    index = {field: position for position, field in enumerate(ROW_FIELDS)}
    return _streamed(
        rows,
        sort=filters.get("sort", DEFAULT_SORT),
        value=lambda row, field: row[index[field]],
    )


def _export_rows(*, organization, **filters) -> QuerySet:
    counts = count_requirements(dashboard_courses(organization=organization))
    return dashboard_rows(organization=organization, requirement_counts=counts, **filters)


def _streamed(rows: QuerySet, *, sort: str, value: Callable) -> Iterator:
    if connections[rows.db].settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
        return _keyset_rows(rows, sort=sort, value=value)
    return rows.iterator(chunk_size=CURSOR_CHUNK_SIZE)


def _keyset_rows(rows: QuerySet, *, sort: str, value: Callable) -> Iterator:
    """`value(row, field)` reads a field of a row (a dict or a tuple)."""
    last = None
    while True:
        chunk = list(
            (rows if last is None else rows.filter(_after(last, sort, value)))[:KEYSET_CHUNK_SIZE]
        )
        yield from chunk
        if len(chunk) < KEYSET_CHUNK_SIZE:
            return
        last = chunk[-1]


def _after(row, sort: str, value: Callable) -> Q:
    """The rows after `row` in the dashboard's order: by the sort field (empty values
    last, either way), then name, then id (see dashboard._ordering)."""
    field = SORT_FIELDS.get(sort.lstrip("-"), SORT_FIELDS[DEFAULT_SORT])
    sort_value = value(row, field)
    name, pk = value(row, "learner_sort"), value(row, "pk")
    tie = Q(learner_sort__gt=name) | Q(learner_sort=name, pk__gt=pk)
    if sort_value is None:
        return Q(**{f"{field}__isnull": True}) & tie
    beyond = "lt" if sort.startswith("-") else "gt"
    return (
        Q(**{f"{field}__{beyond}": sort_value})
        | (Q(**{field: sort_value}) & tie)
        | Q(**{f"{field}__isnull": True})
    )
