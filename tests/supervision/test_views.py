import csv
import datetime
import io
import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.dates import date_format
from accounts.models import User
from courses import hooks
from courses.models import Enrollment
from organizations.models import Assignment, Membership
from tests.factories import CourseFactory, UserFactory
from tests.organizations.factories import (
    AssignmentFactory,
    bulk_staff,
    staff_of,
)
from tests.tables import table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return CourseFactory(lessons=3, title_fr="Reconnaître", title_en="Recognising")


def url(name, org, **query):
    path = reverse(f"supervision:{name}", kwargs={"organization_id": org.pk})
    if query:
        path += "?" + urlencode(query, doseq=True)
    return path


# --- dashboard --------------------------------------------------------------------------------


def csv_rows(response, delimiter=";"):
    """The rows of a CSV export: French by default, hence semicolons."""
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=delimiter))


DATE_COLUMNS = range(5, 9)  # due, completed, certificate expiry, last activity


def as_the_page_shows(row: list[str]) -> list[str]:
    """A CSV row (ISO 8601 dates) with its dates as the page writes them, through the date
    filter in the current language ("1 décembre 2026")."""
    return [
        date_format(datetime.date.fromisoformat(cell[:10]))
        if index in DATE_COLUMNS and cell
        else cell
        for index, cell in enumerate(row)
    ]


def test_dashboard_shows_each_person_and_course_with_their_status(supervisor_client, org, staff):
    response = supervisor_client.get(url("dashboard", org))
    rows = {row[0]: row for row in table_rows(response)}
    assert set(rows) == {"Alice Arsenault", "Bruno Bélanger", "Chloé Côté", "Dany Dubé"}
    assert rows["Alice Arsenault"][3] == "Pas commencé"
    assert rows["Bruno Bélanger"][3:5] == ["En cours", "33"]
    assert rows["Chloé Côté"][3:5] == ["Terminé", "100"]
    assert rows["Dany Dubé"][3] == "En retard"
    page = response.content.decode()
    assert "25\u202f%" in page  # completion rate: one of four
    assert "<meter" in page


def test_dashboard_in_english(client, org, supervisor, staff):
    client.force_login(supervisor)
    response = client.get("/en" + url("dashboard", org)[3:])
    rows = {row[0]: row for row in table_rows(response)}
    assert rows["Dany Dubé"][2:4] == ["Recognising", "Overdue"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_dashboard_dates_are_written_for_a_reader_not_in_iso(
    client, org, supervisor, staff, language
):
    client.force_login(supervisor)
    response = client.get(f"/{language}" + url("dashboard", org)[3:])
    rows = {row[0]: row for row in table_rows(response)}
    yesterday = staff["overdue"].assignments.get().due_on
    with translation.override(language):
        assert rows["Dany Dubé"][5] == date_format(yesterday)
    assert yesterday.isoformat() not in response.content.decode()
    assert str(yesterday.year) in rows["Dany Dubé"][5]


def test_each_status_bar_has_its_status_colour_and_label(supervisor_client, org, staff):
    page = supervisor_client.get(url("dashboard", org)).content.decode()
    bars = re.findall(r'<meter class="meter meter--(\w+)"[^>]*aria-label="([^"]+)"', page)
    assert ("danger", "En retard") in bars
    assert ("done", "Terminé") in bars
    assert len(bars) == 6


def test_dashboard_filters_by_status_and_searches(supervisor_client, org, staff):
    response = supervisor_client.get(url("dashboard", org, status="overdue"))
    assert [row[0] for row in table_rows(response)] == ["Dany Dubé"]
    response = supervisor_client.get(url("dashboard", org, q="chloé"))
    assert [row[0] for row in table_rows(response)] == ["Chloé Côté"]


def test_dashboard_sorts_by_a_column_and_marks_it(supervisor_client, org, staff):
    response = supervisor_client.get(url("dashboard", org, sort="-name"))
    assert [row[0] for row in table_rows(response)] == [
        "Dany Dubé",
        "Chloé Côté",
        "Bruno Bélanger",
        "Alice Arsenault",
    ]
    assert 'aria-sort="descending"' in response.content.decode()


def test_bad_filter_values_are_reported_not_crashing(supervisor_client, org, staff):
    response = supervisor_client.get(
        url("dashboard", org, course="abc", status="nope", sort="password", page="x")
    )
    assert response.status_code == 200
    assert len(table_rows(response)) == 4  # the bad filters are ignored
    assert "errorlist" in response.content.decode()


def test_dashboard_paginates(supervisor_client, org, course):
    for n in range(55):
        AssignmentFactory(
            organization=org, learner=staff_of(org, full_name=f"P{n:02d}"), course=course
        )
    first = table_rows(supervisor_client.get(url("dashboard", org, sort="name")))
    second = table_rows(supervisor_client.get(url("dashboard", org, sort="name", page=2)))
    assert len(first) == 50
    assert len(second) == 5
    assert {row[0] for row in first}.isdisjoint({row[0] for row in second})


def test_dashboard_queries_do_not_grow_with_the_staff(
    supervisor_client, org, course, django_assert_num_queries
):
    def populate(n):
        users = User.objects.bulk_create(
            UserFactory.build(email=f"bulk{n}-{i}@example.org", password="x") for i in range(n)
        )
        Membership.objects.bulk_create(Membership(user=u, organization=org) for u in users)
        Assignment.objects.bulk_create(
            Assignment(organization=org, learner=u, course=course) for u in users
        )
        Enrollment.objects.bulk_create(Enrollment(learner=u, course=course) for u in users[::2])
        # Written in bulk for speed: summarized as the bulk assignment service does.
        hooks.progress_changed_for(
            assignment_ids=Assignment.objects.filter(organization=org, course=course).values("pk")
        )

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = supervisor_client.get(url("dashboard", org, course=course.pk, q="bulk"))
        assert response.status_code == 200
        return len(queries)

    populate(10)
    small = count()
    populate(190)
    assert count() == small
    with django_assert_num_queries(small):
        supervisor_client.get(url("dashboard", org, course=course.pk, q="bulk"))


@pytest.mark.parametrize("query", [{}, {"status": "not_started"}, {"q": "bulk", "sort": "-score"}])
def test_dashboard_runs_the_same_queries_for_10_or_10000_staff(
    supervisor_client, org, course, query
):
    """The totals, the count and the page are a fixed number of statements: the count
    comes from the totals unless a search asks for its own."""

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = supervisor_client.get(url("dashboard", org, **query))
        assert response.status_code == 200
        return len(queries)

    bulk_staff(org, 10, "bulk-a", course=course)
    small = count()
    bulk_staff(org, 9_990, "bulk-b", course=course)
    assert count() == small


# --- export --------------------------------------------------------------------------------------


def test_export_has_exactly_the_dashboards_rows_and_values(supervisor_client, org, staff):
    for query in [{}, {"status": "overdue"}, {"q": "é", "sort": "-progress"}]:
        page = supervisor_client.get(url("dashboard", org, **query))
        export = supervisor_client.get(url("export", org, **query))
        header, *rows = csv_rows(export)
        assert [as_the_page_shows(row) for row in rows] == table_rows(page), query
        assert header[:4] == ["Nom", "Courriel", "Cours", "Statut"]


def test_export_is_streamed_as_utf8_csv_with_a_bom(supervisor_client, org, staff):
    response = supervisor_client.get(url("export", org))
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    header, *rows = csv_rows(response)
    assert any(row[0] == "Chloé Côté" for row in rows)


def test_export_header_follows_the_language(client, org, supervisor, staff):
    client.force_login(supervisor)
    response = client.get("/en" + url("export", org)[3:])
    header, *_rows = csv_rows(response, delimiter=",")
    assert header[:4] == ["Name", "E-mail", "Course", "Status"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_export_neutralises_formulas_in_names(supervisor_client, org, course, start):
    """Each of these starts a formula in Excel, LibreOffice or Google Sheets."""
    name = start + 'HYPERLINK("http://evil.example")'
    learner = staff_of(org, full_name=name)
    AssignmentFactory(organization=org, learner=learner, course=course)
    _header, row = csv_rows(supervisor_client.get(url("export", org)))
    assert row[0] == "'" + name


def test_export_includes_every_page(supervisor_client, org, course):
    for _n in range(60):
        AssignmentFactory(organization=org, learner=staff_of(org), course=course)
    _header, *rows = csv_rows(supervisor_client.get(url("export", org)))
    assert len(rows) == 60


def test_export_queries_do_not_grow_with_the_staff(supervisor_client, org, course):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = supervisor_client.get(url("export", org))
            rows = csv_rows(response)
        return len(queries), len(rows)

    bulk_staff(org, 10, "a", course=course)
    small, rows = count()
    assert rows == 11
    bulk_staff(org, 190, "b", course=course)
    assert count() == (small, 201)
