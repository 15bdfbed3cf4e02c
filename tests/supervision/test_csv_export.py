"""The CSV writer (supervision.csv_export) against the file as it was written before it
was made faster: each row through `row_cells`, one line at a time. Same bytes, whatever
the data: every status, blanks and values in each column, names that look like formulas
or hold the separator, quotes or a line break, times either side of midnight."""

import csv
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from benchmarks.dashboard import _build
from organizations.csv_import import separator_for
from organizations.models import Assignment, Membership
from supervision import csv_export, summary
from supervision.selectors import (
    dashboard_export_rows,
    dashboard_export_values,
    export,
    header_cells,
    row_cells,
    status_labels,
)
from supervision.selectors.table import ROW_FIELDS
from tests.factories import EnrollmentFactory
from tests.organizations.factories import AssignmentFactory, staff_of

pytestmark = pytest.mark.django_db

NAMES = [
    '=HYPERLINK("http://example.org")',
    "+33 1 23",
    "-Zoé",
    "@SUM(A1)",
    "\tTab",
    "Côté; Éloïse",
    'Nguyen, "Tom"',
    "Line\nbreak",
]


def reference_csv(rows, *, language: str) -> str:
    """The export as it was written before: each row a dict through `row_cells`, one line
    at a time."""
    writer = csv.writer(csv_export._Echo(), delimiter=separator_for(language))
    with translation.override(language):
        lines = [csv_export.BOM + writer.writerow(header_cells())]
        labels = status_labels()
        for row in rows:
            cells = row_cells(row, labels)
            cells[:3] = [csv_export._safe(cell) for cell in cells[:3]]
            lines.append(writer.writerow(cells))
    return "".join(lines)


@pytest.fixture
def organization():
    """An organization with staff at every stage (with certificates expired, expiring and
    valid, quiz scores, an overdue due date) and people whose names are hard to write."""
    organization, _supervisor = _build(24)
    # The benchmark's builder writes in bulk, past the services: summarize its rows as
    # the benchmark does next (what check_summary --repair would).
    summary.summary_refresh(
        assignment_ids=Assignment.objects.filter(organization=organization).values("pk")
    )
    course = Assignment.objects.filter(organization=organization).first().course
    # After joining (only that counts): the next midnight in UTC, the evening in Toronto.
    tomorrow = timezone.now().astimezone(datetime.UTC).date() + datetime.timedelta(days=1)
    midnight = datetime.datetime.combine(tomorrow, datetime.time(), tzinfo=datetime.UTC)
    for index, name in enumerate(NAMES):
        learner = staff_of(organization, full_name=name, email=f"{name[:1]}x{index}@example.org")
        AssignmentFactory(organization=organization, learner=learner, course=course)
        # Dates and times are the local ones.
        EnrollmentFactory(
            learner=learner,
            course=course,
            last_activity_at=midnight + datetime.timedelta(minutes=index * 7 - 20),
            completed_at=midnight if index % 2 else None,
        )
    return organization


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("sort", ["status", "-name", "activity"])
def test_the_csv_is_the_same_bytes_as_written_cell_by_cell(organization, language, sort):
    with translation.override(language):
        rows = list(dashboard_export_rows(organization=organization, sort=sort))
        values = dashboard_export_values(organization=organization, sort=sort)
        written = "".join(csv_export.dashboard_csv_lines(values, language=language))
    assert len(rows) == 24 + len(NAMES)
    assert written == reference_csv(rows, language=language)
    assert "'=HYPERLINK" in written
    assert "\n'=HYPERLINK" in written or "\"'=HYPERLINK" in written


def test_the_csv_is_sent_in_pieces_of_whole_lines(organization, monkeypatch):
    """Large pieces, not a line each, and never a line cut in two."""
    monkeypatch.setattr(csv_export, "CHUNK_BYTES", 400)
    rows = list(dashboard_export_rows(organization=organization))
    values = dashboard_export_values(organization=organization)
    pieces = list(csv_export.dashboard_csv_lines(values, language="fr"))
    assert 1 < len(pieces) < len(rows) / 2
    assert all(piece.endswith("\r\n") for piece in pieces)
    assert "".join(pieces) == reference_csv(rows, language="fr")


@pytest.mark.parametrize("sort", ["status", "-due", "name", "-score"])
@pytest.mark.parametrize("server_side_cursors", [True, False])
def test_the_values_are_the_rows_in_the_same_order(
    organization, monkeypatch, sort, server_side_cursors
):
    """The CSV file's tuples and the workbook's dicts: the same rows, the same order,
    through a cursor or by keyset pagination (here in chunks of 5 rows)."""
    if not server_side_cursors:
        monkeypatch.setattr(export, "KEYSET_CHUNK_SIZE", 5)
        monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    rows = dashboard_export_rows(organization=organization, sort=sort)
    values = list(dashboard_export_values(organization=organization, sort=sort))
    assert values == [tuple(row[field] for field in ROW_FIELDS) for row in rows]
    assert len(values) == 24 + len(NAMES)


@pytest.mark.postgres
@pytest.mark.parametrize("server_side_cursors", [True, False])
def test_on_postgresql_the_csv_streams_with_or_without_server_side_cursors(
    client, organization, monkeypatch, server_side_cursors
):
    """Behind PgBouncer in transaction mode (DISABLE_SERVER_SIDE_CURSORS) no cursor stays
    open while the file is sent: the rows come by keyset chunks, each its own query.
    Otherwise one server-side cursor is open until the last row. The same file either way."""
    monkeypatch.setitem(
        connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", not server_side_cursors
    )
    monkeypatch.setattr(export, "KEYSET_CHUNK_SIZE", 5)
    monkeypatch.setattr(export, "CURSOR_CHUNK_SIZE", 5)
    monkeypatch.setattr(csv_export, "CHUNK_BYTES", 200)
    supervisor = Membership.objects.get(organization=organization, role="supervisor").user
    client.force_login(supervisor)
    path = reverse("supervision:export", kwargs={"organization_id": organization.pk})
    with CaptureQueriesContext(connection) as queries:
        pieces = iter(client.get(path).streaming_content)
        first = next(pieces)
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_cursors")
            (open_cursors,) = cursor.fetchone()
        body = (first + b"".join(pieces)).decode("utf-8")
    assert open_cursors == (1 if server_side_cursors else 0)
    chunks = [query for query in queries if query["sql"].endswith("LIMIT 5")]
    assert len(chunks) == (0 if server_side_cursors else (24 + len(NAMES)) // 5 + 1)
    with translation.override("fr"):
        rows = dashboard_export_rows(organization=organization)
        assert body == reference_csv(rows, language="fr")
