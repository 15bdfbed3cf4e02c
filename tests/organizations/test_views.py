import datetime
import re
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from courses.models import Enrollment
from organizations.models import Assignment, Membership
from tests.factories import AdminFactory, CourseFactory, UserFactory
from tests.organizations.factories import (
    OrganizationFactory,
    staff_of,
    supervisor_of,
)
from tests.tables import table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return CourseFactory(lessons=3, title_fr="Reconnaître", title_en="Recognising")


def url(name, org, **query):
    path = reverse(
        name if ":" in name else f"organizations:{name}", kwargs={"organization_id": org.pk}
    )
    if query:
        path += "?" + urlencode(query, doseq=True)
    return path


# --- who reaches which page (the authorization matrix checks every URL and role) ----------

PAGES = ["supervision:dashboard", "member_list", "member_add", "staff_import", "assign"]


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


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 302), ("staff", 404), ("other_supervisor", 302), ("supervisor", 302)],
)
def test_the_organizations_index(client, org, who, expected):
    response = _as(client, who, org).get(reverse("organizations:index"))
    assert response.status_code == expected
    if who == "supervisor":
        assert response["Location"] == url("supervision:dashboard", org)


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


def test_the_import_page_shows_the_example_of_its_own_language(client, org, supervisor):
    client.force_login(supervisor)
    french = client.get(url("staff_import", org)).content.decode()
    english = client.get("/en" + url("staff_import", org)[3:]).content.decode()
    assert "nom;courriel;rôle\nCamille Tremblay;camille@example.org;personnel\n" in french
    assert "name,e-mail,role\nCamille Tremblay,camille@example.org,staff\n" in english
    assert "courriel" not in english.split('<pre class="example">')[1].split("</pre>")[0]


@pytest.mark.parametrize(
    ("language", "would", "did"),
    [
        (
            "fr",
            ["1 invitation serait envoyée", "1 rôle changerait", "Une invitation serait envoyée"],
            ["invitation envoyée", "rôle changé"],
        ),
        (
            "en",
            ["1 invitation would be sent", "1 role would change", "An invitation would be sent"],
            ["invitation sent", "role changed"],
        ),
    ],
)
def test_a_dry_run_says_what_would_happen_and_the_import_what_happened(
    client, org, supervisor, language, would, did
):
    """A new address and a member whose role changes: checked first, then imported."""
    staff_of(org, email="member@example.org")
    client.force_login(supervisor)
    content = (
        b"name,email,role\nNew Person,new@example.org,staff\nM,member@example.org,supervisor\n"
    )
    path = url("staff_import", org).replace("/fr/", f"/{language}/", 1)

    def page(**data):
        response = client.post(path, {"file": SimpleUploadedFile("s.csv", content), **data})
        return " ".join(response.content.decode().split())

    checked = page(dry_run="on")
    assert all(text in checked for text in would), checked
    assert not any(text in checked.lower() for text in did)
    assert not mail.outbox
    imported = page()
    assert all(text in imported.lower() for text in did), imported
    assert not any(text in imported for text in would)
    assert Membership.objects.get(user__email="member@example.org").role == "supervisor"


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


def test_the_assign_page_opened_on_its_own_offers_everyone_not_an_empty_list(
    supervisor_client, org, staff
):
    page = supervisor_client.get(url("assign", org)).content.decode()
    assert re.search(r"value=\"everyone\"[^>]* checked", page)
    assert 'value="selected"' not in page
    assert "Les personnes cochées ci-dessous" not in page
    assert 'name="learners"' not in page
    assert url("member_list", org) in page  # where to tick some people instead


def test_ticking_nobody_then_posting_the_selection_is_a_form_error(supervisor_client, org):
    course = CourseFactory(lessons=1)
    response = supervisor_client.post(
        url("assign", org), {"course": course.pk, "scope": "selected"}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Assignment.objects.exists()


def test_with_one_published_course_the_assign_page_starts_on_it(supervisor_client, org, course):
    CourseFactory(lessons=1, is_published=False)
    page = supervisor_client.get(url("assign", org)).content.decode()
    assert f'<option value="{course.pk}" selected>' in page


def test_with_several_courses_the_assign_page_lets_the_supervisor_choose(
    supervisor_client, org, course
):
    CourseFactory(lessons=1)
    page = supervisor_client.get(url("assign", org)).content.decode()
    assert '<option value="" selected>' in page


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
        page = supervisor_client.get(url(name, org)).content.decode()
        assert not re.search(r"\sstyle=", page), name
        assert not re.search(r"<script(?![^>]*\ssrc=)", page), name
