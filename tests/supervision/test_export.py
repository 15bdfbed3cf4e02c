"""The CSV export streams the same file through a server-side cursor and, behind PgBouncer
in transaction mode (DISABLE_SERVER_SIDE_CURSORS), by keyset pagination."""

import csv
import datetime
import gc
import io
import tracemalloc

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organizations.models import Invitation
from supervision import xlsx_export
from supervision.selectors import SORT_CHOICES, export
from supervision.views import XLSX
from tests.factories import CourseFactory, EnrollmentFactory, LessonProgressFactory
from tests.organizations.factories import (
    AssignmentFactory,
    OrganizationFactory,
    bulk_staff,
    staff_of,
    supervisor_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return CourseFactory(lessons=3, title_fr="Reconnaître", title_en="Recognising")


@pytest.fixture
def varied(org, course, staff):
    """Besides `staff`: namesakes (ties on the name), a second course, empty and filled
    values in every column, so that each sort has ties and blanks to page through."""
    other = CourseFactory(lessons=2, title_fr="Accueillir")
    lessons = [lesson for module in course.modules.all() for lesson in module.lessons.all()]
    today = timezone.localdate()
    for index in range(7):
        learner = staff_of(org, full_name="Gil Gagnon", email=f"gil{index}@example.org")
        due = today + datetime.timedelta(days=index - 3) if index % 2 else None
        AssignmentFactory(organization=org, learner=learner, course=course, due_on=due)
        AssignmentFactory(organization=org, learner=learner, course=other)
        if index % 3:
            EnrollmentFactory(
                learner=learner,
                course=course,
                last_activity_at=timezone.now() - datetime.timedelta(hours=index),
                completed_at=timezone.now() if index % 3 == 2 else None,
            )
            for lesson in lessons[: index % 3]:
                LessonProgressFactory(learner=learner, lesson=lesson)


def export_body(client, org, **query):
    path = reverse("supervision:export", kwargs={"organization_id": org.pk})
    response = client.get(path, query)
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.fixture
def keyset(monkeypatch):
    """Switch the export to keyset pagination, in chunks of `size` rows."""

    def switch(size):
        monkeypatch.setattr(export, "KEYSET_CHUNK_SIZE", size)
        monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)

    return switch


@pytest.mark.parametrize("sort", [key for key, _label in SORT_CHOICES])
def test_keyset_pagination_gives_the_same_csv_as_the_cursor(
    supervisor_client, org, varied, keyset, sort
):
    """Chunks of three rows, in every sort order, ties and blanks included: no row
    skipped, none twice, the same order."""
    through_cursor = export_body(supervisor_client, org, sort=sort)
    keyset(3)
    with CaptureQueriesContext(connection) as queries:
        by_keyset = export_body(supervisor_client, org, sort=sort)
    rows = list(csv.reader(io.StringIO(by_keyset[1:]), delimiter=";"))
    assert len(rows) == 1 + 4 + 14
    assert by_keyset == through_cursor
    chunks = [q for q in queries if "LIMIT 3" in q["sql"]]
    assert len(chunks) == 18 // 3 + 1


def test_keyset_pagination_follows_the_filters(supervisor_client, org, varied, keyset):
    query = {"q": "gil", "status": "not_started", "sort": "-due"}
    through_cursor = export_body(supervisor_client, org, **query)
    keyset(2)
    assert export_body(supervisor_client, org, **query) == through_cursor
    assert "Alice Arsenault" not in through_cursor
    assert through_cursor.count("Gil Gagnon") > 2


@pytest.mark.parametrize("sort", ["name", "-name", "status"])
def test_keyset_pagination_follows_the_french_name_order(
    supervisor_client, org, course, keyset, sort
):
    """Names that tie once accents and case are folded ("Élise", "elise", "Elise"), and
    others that code points misplace, page through in the dashboard's order."""
    names = ["Thomas Nguyen", "Élise Roy", "elise roy", "Elise Roy", "Éloïse Côté", "Zoé"]
    for index, name in enumerate(names):
        learner = staff_of(org, full_name=name, email=f"p{index}@example.org")
        AssignmentFactory(organization=org, learner=learner, course=course)
    through_cursor = export_body(supervisor_client, org, sort=sort)
    keyset(2)
    by_keyset = export_body(supervisor_client, org, sort=sort)
    assert by_keyset == through_cursor
    body = by_keyset[1:]  # after the BOM; the separator is the language's
    separator = csv.Sniffer().sniff(body.splitlines()[0], delimiters=",;").delimiter
    exported = [row[0] for row in csv.reader(io.StringIO(body), delimiter=separator)][1:]
    assert sorted(exported) == sorted(names)
    ascending = exported if sort != "-name" else exported[::-1]
    assert ascending.index("Éloïse Côté") < ascending.index("Thomas Nguyen")
    assert ascending.index("Zoé") == len(names) - 1
    assert {ascending.index(name) for name in names[1:4]} == {0, 1, 2}


def least(measure, runs=2):
    """(size, lowest peak) of a few runs: when the garbage collector happens to run moves
    a single peak by a fifth, a leak raises every run's."""
    results = [measure() for _ in range(runs)]
    return results[0][0], min(peak for _size, peak in results)


@pytest.mark.parametrize("through", ["cursor", "keyset"])
def test_export_memory_does_not_grow_with_the_rows(supervisor_client, org, course, keyset, through):
    """500 rows at a time (a server-side cursor's fetches, or keyset chunks): past three
    of them, four times the rows, the same peak."""
    if through == "keyset":
        keyset(500)

    def peak():
        path = reverse("supervision:export", kwargs={"organization_id": org.pk})
        response = supervisor_client.get(path)
        gc.collect()  # garbage of earlier tests, freed at a random moment, is not the export's
        tracemalloc.start()
        size = sum(len(chunk) for chunk in response.streaming_content)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return size, peak

    bulk_staff(org, 1500, "a", course=course, enroll_every=2)
    small_size, small_peak = least(peak)
    bulk_staff(org, 4500, "b", course=course, enroll_every=2)
    big_size, big_peak = least(peak)
    assert big_size > 3.9 * small_size
    assert big_peak < 1.2 * small_peak, (small_peak, big_peak)


# --- Excel ---------------------------------------------------------------------------------------


def xlsx_sheet(client, org, **query):
    path = reverse("supervision:export_xlsx", kwargs={"organization_id": org.pk})
    response = client.get(path, query)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook.active


def as_csv_text(cell) -> str:
    """A cell read back from the workbook, written as the CSV writes it."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if cell.number_format == xlsx_export.DATE_FORMAT:
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def csv_of(client, org, **query):
    body = export_body(client, org, **query)
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def english_csv(client, org):
    path = reverse("supervision:export", kwargs={"organization_id": org.pk})
    response = client.get("/en" + path[3:])
    return b"".join(response.streaming_content).decode("utf-8")


@pytest.mark.parametrize("query", [{}, {"status": "not_started", "sort": "-due"}, {"q": "gil"}])
def test_the_workbook_has_the_rows_of_the_csv_in_its_order(
    supervisor_client, org, staff, varied, query
):
    sheet = xlsx_sheet(supervisor_client, org, **query)
    rows = [[as_csv_text(cell) for cell in row] for row in sheet.iter_rows()]
    expected = csv_of(supervisor_client, org, **query)
    assert len(rows) > 2
    assert rows == expected


def test_the_workbooks_dates_are_date_cells_and_its_header_bold_and_frozen(
    supervisor_client, org, staff
):
    sheet = xlsx_sheet(supervisor_client, org, sort="name")
    header, *rows = list(sheet.iter_rows())
    assert [cell.value for cell in header][:4] == ["Nom", "Courriel", "Cours", "Statut"]
    assert all(cell.font.b for cell in header)
    assert sheet.freeze_panes == "A2"
    by_name = {row[0].value: row for row in rows}
    due = by_name["Dany Dubé"][5]
    assert due.is_date
    assert due.value.date() == timezone.localdate() - datetime.timedelta(days=1)
    assert by_name["Chloé Côté"][6].is_date  # completed on
    assert by_name["Bruno Bélanger"][8].is_date  # last activity
    assert by_name["Bruno Bélanger"][4].value == 33  # a number, not text
    assert by_name["Alice Arsenault"][5].value is None


def test_the_workbook_follows_the_language(client, org, supervisor, staff):
    client.force_login(supervisor)
    path = reverse("supervision:export_xlsx", kwargs={"organization_id": org.pk})
    response = client.get("/en" + path[3:])
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in next(sheet.iter_rows())]
    assert header[:4] == ["Name", "E-mail", "Course", "Status"]
    assert "Overdue" in [cell.value for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example")', "#N/A", "+1", "@me"])
def test_a_name_is_text_in_the_workbook_never_a_formula(supervisor_client, org, course, name):
    AssignmentFactory(organization=org, learner=staff_of(org, full_name=name), course=course)
    _header, (cell, *_rest) = list(xlsx_sheet(supervisor_client, org).iter_rows())
    assert (cell.value, cell.data_type) == (name, "s")


def test_the_workbook_queries_do_not_grow_with_the_staff(supervisor_client, org, course):
    def count(name):
        path = reverse(name, kwargs={"organization_id": org.pk})
        with CaptureQueriesContext(connection) as queries:
            response = supervisor_client.get(path)
            b"".join(response.streaming_content)
        return len(queries)

    bulk_staff(org, 10, "a", course=course)
    small = count("supervision:export_xlsx")
    assert small == count("supervision:export")
    bulk_staff(org, 190, "b", course=course)
    assert count("supervision:export_xlsx") == small
    assert len(list(xlsx_sheet(supervisor_client, org).iter_rows())) == 201


@pytest.mark.parametrize("through", ["cursor", "keyset"])
def test_workbook_memory_does_not_grow_with_the_rows(
    supervisor_client, org, course, keyset, through
):
    if through == "keyset":
        keyset(500)

    def peak():
        path = reverse("supervision:export_xlsx", kwargs={"organization_id": org.pk})
        gc.collect()  # garbage of earlier tests, freed at a random moment, is not the export's
        tracemalloc.start()
        response = supervisor_client.get(path)
        size = sum(len(chunk) for chunk in response.streaming_content)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return size, peak

    bulk_staff(org, 1500, "a", course=course, enroll_every=2)
    small_size, small_peak = least(peak)
    bulk_staff(org, 4500, "b", course=course, enroll_every=2)
    big_size, big_peak = least(peak)
    assert big_size > 3 * small_size
    assert big_peak < 1.2 * small_peak, (small_peak, big_peak)


# --- the CSV in each language, and back through the import ----------------------------------------


def test_the_french_csv_uses_semicolons_and_the_english_commas(supervisor_client, org, staff):
    french = export_body(supervisor_client, org)
    english = english_csv(supervisor_client, org)
    assert french.startswith("\ufeffNom;Courriel;Cours;Statut;")
    assert english.startswith("\ufeffName,E-mail,Course,Status,")
    assert "Chloé Côté;completed@example.org;Reconnaître;Terminé;100;" in french
    assert "Chloé Côté,completed@example.org,Recognising,Completed,100," in english


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_export_imports_into_another_organization(
    client, org, supervisor, staff, varied, language
):
    """Each person once, though the export has a line per course, whichever language."""
    client.force_login(supervisor)
    path = reverse("supervision:export", kwargs={"organization_id": org.pk})
    exported = b"".join(client.get(f"/{language}" + path[3:]).streaming_content)
    other = OrganizationFactory()
    client.force_login(supervisor_of(other))
    path = reverse("organizations:staff_import", kwargs={"organization_id": other.pk})
    response = client.post(path, {"file": SimpleUploadedFile("export.csv", exported)})
    assert response.status_code == 200
    invited = set(Invitation.objects.filter(organization=other).values_list("email", flat=True))
    expected = {user.email for key, user in staff.items() if key != "unassigned"}
    expected |= {f"gil{index}@example.org" for index in range(7)}
    assert invited == expected
