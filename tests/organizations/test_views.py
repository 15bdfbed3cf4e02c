import csv
import datetime
import io
import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from courses.models import Enrollment, LessonProgress
from organizations.models import Assignment, Membership
from tests.factories import AdminFactory, CourseFactory, EnrollmentFactory, UserFactory
from tests.organizations.factories import (
    AssignmentFactory,
    OrganizationFactory,
    staff_of,
    supervisor_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return CourseFactory(lessons=3, title_fr="Reconnaître", title_en="Recognising")


def url(name, org, **query):
    path = reverse(f"organizations:{name}", kwargs={"organization_id": org.pk})
    if query:
        path += "?" + urlencode(query, doseq=True)
    return path


# --- permissions: every supervisor URL, as each kind of person ------------------------------

PAGES = ["dashboard", "export", "member_list", "member_add", "staff_import", "assign"]
FORMS = ["member_add", "staff_import", "assign"]


def _as(client, who, org):
    if who == "anonymous":
        return client
    if who == "staff":
        user = staff_of(org)
    elif who == "other_supervisor":
        user = supervisor_of(OrganizationFactory())
    elif who == "supervisor":
        user = supervisor_of(org)
    else:
        user = AdminFactory()
    client.force_login(user)
    return client


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("staff", 404),
        ("other_supervisor", 404),
        ("supervisor", 200),
        ("administrator", 200),
    ],
)
def test_who_may_open_each_supervisor_page(client, org, name, who, expected):
    response = _as(client, who, org).get(url(name, org))
    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", FORMS)
@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("staff", 404), ("other_supervisor", 404)],
)
def test_only_the_organizations_supervisors_may_post(client, org, course, name, who, expected):
    member = staff_of(org)
    data = {
        "member_add": {
            "full_name": "X",
            "email": "x@example.org",
            "role": "staff",
            "language": "fr",
        },
        "staff_import": {"file": SimpleUploadedFile("s.csv", b"nom;courriel\nX;x@example.org\n")},
        "assign": {"course": course.pk, "scope": "everyone", "learners": [member.pk]},
    }[name]
    client = _as(client, who, org)
    users, memberships = User.objects.count(), Membership.objects.count()
    response = client.post(url(name, org), data)
    assert response.status_code == expected
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)
    assert not Assignment.objects.exists()
    assert not User.objects.filter(email="x@example.org").exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("staff", 404), ("other_supervisor", 302), ("supervisor", 302)],
)
def test_the_organizations_index(client, org, who, expected):
    response = _as(client, who, org).get(reverse("organizations:index"))
    assert response.status_code == expected
    if who == "supervisor":
        assert response["Location"] == url("dashboard", org)


def test_a_supervisor_of_several_organizations_chooses_one(client, org, supervisor):
    other = OrganizationFactory(name="École des Pins")
    supervisor_of(other)
    other.memberships.create(user=supervisor, role=Membership.Role.SUPERVISOR)
    client.force_login(supervisor)
    page = client.get(reverse("organizations:index")).content.decode()
    assert "Refuge Le Phare" in page
    assert "École des Pins" in page


def test_the_navigation_links_supervisors_to_their_organizations(client, org, supervisor):
    client.force_login(supervisor)
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert f'href="{reverse("organizations:index")}"' in page
    client.force_login(staff_of(org))
    page = client.get(reverse("courses:my_learning")).content.decode()
    assert f'href="{reverse("organizations:index")}"' not in page


# --- dashboard --------------------------------------------------------------------------------


class _TableParser(HTMLParser):
    """The text of each cell of the dashboard's table body, row by row."""

    def __init__(self):
        super().__init__()
        self.rows, self.in_body, self.cell = [], False, None

    def handle_starttag(self, tag, attrs):
        if tag == "tbody":
            self.in_body = True
        elif self.in_body and tag == "tr":
            self.rows.append([])
        elif self.in_body and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "tbody":
            self.in_body = False
        elif self.in_body and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(response):
    parser = _TableParser()
    parser.feed(response.content.decode())
    return parser.rows


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


@pytest.fixture
def staff(org, course):
    """Five people: not started, in progress, completed, overdue, and one without a course."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    people = {}
    for key, name, due in [
        ("not_started", "Alice Arsenault", None),
        ("in_progress", "Bruno Bélanger", None),
        ("completed", "Chloé Côté", None),
        ("overdue", "Dany Dubé", yesterday),
    ]:
        people[key] = staff_of(org, full_name=name, email=f"{key}@example.org")
        AssignmentFactory(organization=org, learner=people[key], course=course, due_on=due)
    lessons = [lesson for module in course.modules.all() for lesson in module.lessons.all()]
    EnrollmentFactory(learner=people["in_progress"], course=course, last_activity_at=timezone.now())
    LessonProgress.objects.create(learner=people["in_progress"], lesson=lessons[0])
    EnrollmentFactory(learner=people["completed"], course=course, completed_at=timezone.now())
    people["unassigned"] = staff_of(org, full_name="Eve Émond")
    return people


def test_dashboard_shows_each_person_and_course_with_their_status(supervisor_client, org, staff):
    response = supervisor_client.get(url("dashboard", org))
    rows = {row[0]: row for row in table_rows(response)}
    assert set(rows) == {"Alice Arsenault", "Bruno Bélanger", "Chloé Côté", "Dany Dubé"}
    assert rows["Alice Arsenault"][3] == "Pas commencé"
    assert rows["Bruno Bélanger"][3:5] == ["En cours", "33"]
    assert rows["Chloé Côté"][3:5] == ["Terminé", "100"]
    assert rows["Dany Dubé"][3] == "En retard"
    page = response.content.decode()
    assert "25 %" in page  # completion rate: one of four
    assert "<meter" in page


def test_dashboard_in_english(client, org, supervisor, staff):
    client.force_login(supervisor)
    response = client.get("/en" + url("dashboard", org)[3:])
    rows = {row[0]: row for row in table_rows(response)}
    assert rows["Dany Dubé"][2:4] == ["Recognising", "Overdue"]


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


# --- export --------------------------------------------------------------------------------------


def test_export_has_exactly_the_dashboards_rows_and_values(supervisor_client, org, staff):
    for query in [{}, {"status": "overdue"}, {"q": "é", "sort": "-progress"}]:
        page = supervisor_client.get(url("dashboard", org, **query))
        export = supervisor_client.get(url("export", org, **query))
        header, *rows = csv_rows(export)
        assert rows == table_rows(page), query
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
    header, *_rows = csv_rows(response)
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


# --- adding people -------------------------------------------------------------------------------


def test_supervisor_adds_a_person_who_gets_an_invitation(
    supervisor_client, org, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = supervisor_client.post(
            url("member_add", org),
            {"full_name": "Nadia", "email": "nadia@example.org", "role": "staff", "language": "fr"},
        )
    assert response.status_code == 302
    assert response["Location"] == url("member_list", org)
    assert Membership.objects.filter(organization=org, user__email="nadia@example.org").exists()
    assert len(mail.outbox) == 1


def test_adding_with_a_bad_email_shows_an_error_and_saves_nothing(supervisor_client, org):
    response = supervisor_client.post(
        url("member_add", org),
        {"full_name": "Nadia", "email": "not-an-address", "role": "staff", "language": "fr"},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not User.objects.filter(full_name="Nadia").exists()


def test_changing_ones_own_role_is_refused_in_the_page(supervisor_client, org, supervisor):
    response = supervisor_client.post(
        url("member_add", org),
        {"full_name": "Me", "email": supervisor.email, "role": "staff", "language": "fr"},
    )
    assert response.status_code == 200
    assert "propre rôle" in response.content.decode()


def test_member_list_shows_members_and_links_to_assign(supervisor_client, org, staff):
    page = supervisor_client.get(url("member_list", org)).content.decode()
    assert "Eve Émond" in page
    assert f'value="{staff["unassigned"].pk}"' in page
    assert url("assign", org) in page


def test_member_list_queries_do_not_grow(supervisor_client, org):
    def count():
        with CaptureQueriesContext(connection) as queries:
            supervisor_client.get(url("member_list", org))
        return len(queries)

    for _ in range(5):
        staff_of(org)
    small = count()
    for _ in range(60):
        staff_of(org)
    assert count() == small


# --- importing -----------------------------------------------------------------------------------


def upload(client, org, content: bytes, **data):
    return client.post(
        url("staff_import", org), {"file": SimpleUploadedFile("staff.csv", content), **data}
    )


def test_importing_a_french_excel_file(supervisor_client, org, django_capture_on_commit_callbacks):
    content = "nom;courriel;rôle\r\nÉloïse Gagné;eloise@example.org;personnel\r\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(supervisor_client, org, b"\xef\xbb\xbf" + content)
    assert response.status_code == 200
    assert "Éloïse Gagné" in response.content.decode()
    assert User.objects.get(email="eloise@example.org").full_name == "Éloïse Gagné"
    assert len(mail.outbox) == 1


def test_a_file_with_bad_rows_imports_nothing_and_lists_each_line(supervisor_client, org):
    content = (
        b"name,email\n"
        b"Good Person,good@example.org\n"
        b",missing-name@example.org\n"
        b"Bad Email,not-an-email\n"
    )
    response = upload(supervisor_client, org, content)
    rows = table_rows(response)
    assert [row[0] for row in rows] == ["3", "4"]
    assert not User.objects.filter(email="good@example.org").exists()


def test_a_row_whose_account_cannot_be_created_imports_nothing_and_says_which(
    supervisor_client, org
):
    too_long = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".org"  # valid, but over 254
    content = f"name,email\nGood Person,good@example.org\nLong Address,{too_long}\n".encode()
    response = upload(supervisor_client, org, content)
    assert [row[0] for row in table_rows(response)] == ["3"]
    assert not User.objects.filter(email="good@example.org").exists()


def test_checking_a_file_without_importing(supervisor_client, org):
    response = upload(supervisor_client, org, b"name,email\nA,a@example.org\n", dry_run="on")
    assert response.status_code == 200
    assert not User.objects.filter(email="a@example.org").exists()


def test_importing_without_a_file_is_a_form_error(supervisor_client, org):
    response = supervisor_client.post(url("staff_import", org), {})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_a_binary_file_gets_an_error_not_a_crash(supervisor_client, org):
    response = upload(supervisor_client, org, bytes(range(256)) * 4)
    assert response.status_code == 200
    assert "UTF-8" in response.content.decode()


# --- assigning -----------------------------------------------------------------------------------


def test_assign_page_lists_the_people_ticked_on_the_staff_page(supervisor_client, org, staff):
    chosen = [staff["unassigned"].pk, staff["overdue"].pk]
    page = supervisor_client.get(url("assign", org, learner=chosen)).content.decode()
    assert "Eve Émond" in page
    assert "Dany Dubé" in page
    assert "Alice Arsenault" not in page


def test_ids_of_strangers_are_not_listed_on_the_assign_page(supervisor_client, org):
    stranger = UserFactory(full_name="Stranger Danger")
    page = supervisor_client.get(url("assign", org, learner=[stranger.pk, "x"])).content.decode()
    assert "Stranger Danger" not in page


def test_assigning_a_course_to_the_people_ticked(supervisor_client, org, course, staff):
    chosen = [staff["unassigned"], staff["not_started"]]
    response = supervisor_client.post(
        url("assign", org),
        {
            "course": course.pk,
            "due_on": "2030-01-31",
            "scope": "selected",
            "learners": [p.pk for p in chosen],
        },
    )
    assert response.status_code == 302
    assert Assignment.objects.get(learner=staff["unassigned"]).due_on == datetime.date(2030, 1, 31)
    assert Assignment.objects.get(learner=staff["not_started"]).due_on == datetime.date(2030, 1, 31)
    assert Assignment.objects.get(learner=staff["overdue"]).due_on != datetime.date(2030, 1, 31)
    assert Enrollment.objects.filter(learner=staff["unassigned"], course=course).exists()


def test_assigning_a_course_to_everyone(supervisor_client, org, supervisor, course, staff):
    response = supervisor_client.post(
        url("assign", org), {"course": course.pk, "due_on": "", "scope": "everyone"}
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(organization=org, course=course).count() == 6


def test_assigning_to_a_stranger_is_refused(supervisor_client, org, course):
    stranger = UserFactory()
    response = supervisor_client.post(
        url("assign", org), {"course": course.pk, "scope": "selected", "learners": [stranger.pk]}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Assignment.objects.exists()


def test_assigning_to_nobody_is_a_form_error(supervisor_client, org, course):
    response = supervisor_client.post(
        url("assign", org), {"course": course.pk, "scope": "selected"}
    )
    assert response.status_code == 200
    assert not Assignment.objects.exists()


def test_an_unpublished_course_is_not_offered(supervisor_client, org, staff):
    draft = CourseFactory(lessons=1, is_published=False, title_fr="Brouillon secret")
    page = supervisor_client.get(url("assign", org)).content.decode()
    assert "Brouillon secret" not in page
    response = supervisor_client.post(url("assign", org), {"course": draft.pk, "scope": "everyone"})
    assert response.status_code == 200
    assert not Assignment.objects.filter(course=draft).exists()


def test_pages_have_no_inline_styles_or_scripts(supervisor_client, org, staff):
    for name in PAGES:
        if name == "export":
            continue
        page = supervisor_client.get(url(name, org)).content.decode()
        assert not re.search(r"\sstyle=", page), name
        assert not re.search(r"<script(?![^>]*\ssrc=)", page), name


def _bulk_staff(org, course, n, prefix):
    users = User.objects.bulk_create(
        UserFactory.build(email=f"{prefix}{i}@example.org", password="x") for i in range(n)
    )
    Membership.objects.bulk_create(Membership(user=u, organization=org) for u in users)
    Assignment.objects.bulk_create(
        Assignment(organization=org, learner=u, course=course) for u in users
    )


def test_export_queries_do_not_grow_with_the_staff(supervisor_client, org, course):
    def count():
        with CaptureQueriesContext(connection) as queries:
            response = supervisor_client.get(url("export", org))
            rows = csv_rows(response)
        return len(queries), len(rows)

    _bulk_staff(org, course, 10, "a")
    small, rows = count()
    assert rows == 11
    _bulk_staff(org, course, 190, "b")
    assert count() == (small, 201)


def test_export_memory_does_not_grow_with_the_rows(supervisor_client, org, course):
    """Fetched 500 rows at a time: past two fetches, four times the rows, the same peak."""
    import tracemalloc

    def peak():
        response = supervisor_client.get(url("export", org))
        tracemalloc.start()
        size = sum(len(chunk) for chunk in response.streaming_content)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return size, peak

    _bulk_staff(org, course, 1500, "a")
    small_size, small_peak = peak()
    _bulk_staff(org, course, 4500, "b")
    big_size, big_peak = peak()
    assert big_size > 3.9 * small_size
    assert big_peak < 1.2 * small_peak, (small_peak, big_peak)
