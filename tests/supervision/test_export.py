"""The CSV export streams the same file through a server-side cursor and, behind PgBouncer
in transaction mode (DISABLE_SERVER_SIDE_CURSORS), by keyset pagination."""

import csv
import datetime
import io
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.models import LessonProgress
from supervision.selectors import SORT_CHOICES, export
from tests.factories import CourseFactory, EnrollmentFactory
from tests.organizations.factories import AssignmentFactory, bulk_staff, staff_of

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
                LessonProgress.objects.create(learner=learner, lesson=lesson)


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
    rows = list(csv.reader(io.StringIO(by_keyset[1:])))
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


@pytest.mark.parametrize("through", ["cursor", "keyset"])
def test_export_memory_does_not_grow_with_the_rows(supervisor_client, org, course, keyset, through):
    """500 rows at a time (a server-side cursor's fetches, or keyset chunks): past three
    of them, four times the rows, the same peak."""
    if through == "keyset":
        keyset(500)

    def peak():
        path = reverse("supervision:export", kwargs={"organization_id": org.pk})
        response = supervisor_client.get(path)
        tracemalloc.start()
        size = sum(len(chunk) for chunk in response.streaming_content)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return size, peak

    bulk_staff(org, 1500, "a", course=course, enroll_every=2)
    small_size, small_peak = peak()
    bulk_staff(org, 4500, "b", course=course, enroll_every=2)
    big_size, big_peak = peak()
    assert big_size > 3.9 * small_size
    assert big_peak < 1.2 * small_peak, (small_peak, big_peak)
