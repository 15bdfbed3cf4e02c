"""The dashboard's rows for the CSV export, streamed whatever the number of rows.

Two ways, one order (the dashboard's) and the same rows:

- a server-side cursor (`QuerySet.iterator()`), one query read a chunk at a time: the
  default, on SQLite and on PostgreSQL;
- keyset pagination, when the database's `DISABLE_SERVER_SIDE_CURSORS` is set (behind
  PgBouncer in transaction mode, where a cursor may not outlive its transaction): chunks
  of KEYSET_CHUNK_SIZE rows, each a query of its own that starts after the last row read,
  by the sort key then name (compared as it is sorted: accounts.names) then id (unique),
  so no row is skipped or read twice.
"""

from collections.abc import Iterator

from django.db import connections
from django.db.models import Q, QuerySet

from supervision.selectors.dashboard import dashboard_courses, dashboard_rows
from supervision.selectors.statuses import count_requirements
from supervision.selectors.table import DEFAULT_SORT, SORT_FIELDS

CURSOR_CHUNK_SIZE = 500
# Each keyset chunk evaluates the status of every row not yet read: few large chunks.
KEYSET_CHUNK_SIZE = 2_000


def dashboard_export_rows(*, organization, **filters) -> Iterator[dict]:
    """The rows of `dashboard_rows` under the filters, read lazily, in its order. The
    requirements of the organization's courses are counted first (one small query), not
    once per row."""
    counts = count_requirements(dashboard_courses(organization=organization))
    rows = dashboard_rows(organization=organization, requirement_counts=counts, **filters)
    if connections[rows.db].settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
        return _keyset_rows(rows, sort=filters.get("sort", DEFAULT_SORT))
    return rows.iterator(chunk_size=CURSOR_CHUNK_SIZE)


def _keyset_rows(rows: QuerySet, *, sort: str) -> Iterator[dict]:
    last = None
    while True:
        chunk = list(
            (rows if last is None else rows.filter(_after(last, sort)))[:KEYSET_CHUNK_SIZE]
        )
        yield from chunk
        if len(chunk) < KEYSET_CHUNK_SIZE:
            return
        last = chunk[-1]


def _after(row: dict, sort: str) -> Q:
    """The rows after `row` in the dashboard's order: by the sort field (empty values
    last, either way), then name, then id (see dashboard._ordering)."""
    field = SORT_FIELDS.get(sort.lstrip("-"), SORT_FIELDS[DEFAULT_SORT])
    value = row[field]
    tie = Q(learner_sort__gt=row["learner_sort"]) | Q(
        learner_sort=row["learner_sort"], pk__gt=row["pk"]
    )
    if value is None:
        return Q(**{f"{field}__isnull": True}) & tie
    beyond = "lt" if sort.startswith("-") else "gt"
    return (
        Q(**{f"{field}__{beyond}": value})
        | (Q(**{field: value}) & tie)
        | Q(**{f"{field}__isnull": True})
    )
