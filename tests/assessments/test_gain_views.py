"""The gain report's pages: the supervisors' (their members only, 404 for another
organization), the admin's (every organization or one, by dates), and their CSV and
Excel files, which hold the page's figures."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Attempt
from tests.assessments.factories import item_bank, scored
from tests.factories import CourseFactory, UserFactory
from tests.organizations.factories import OrganizationFactory, staff_of, supervisor_of
from tests.tables import table_rows

pytestmark = pytest.mark.django_db

HIDDEN = (
    "Fewer than 5 people took both checks: no figure is shown so that nobody can be recognised."
)
# Before/after per person, out of 10: before 20, 30, 40, 50, 100 → mean 48; after 60, 70,
# 80, 100, 100 → mean 82; gains 0.5, 0.5714, 0.6667, 1.0 (the last person is at 100 %
# before) → mean 0.6845 over 4.
SCORES = [(2, 6), (3, 7), (4, 8), (5, 10), (10, 10)]


@pytest.fixture
def course():
    course = CourseFactory(lessons=6, title_en="Recognising trafficking")
    item_bank(course=course, per_form=1)
    return course


@pytest.fixture
def org_and_client(client):
    org = OrganizationFactory()
    client.force_login(supervisor_of(org))
    return org, client


def _checks(course, people, scores=SCORES):
    for person, (before, after) in zip(people, scores, strict=False):
        scored(learner=person, course=course, pre=(before, 10), post=(after, 10))


def _page_url(org, language="en"):
    return f"/{language}/organizations/{org.pk}/gain/"


def _figure_rows(response) -> list[list[str]]:
    """The gain table's rows with figures (six cells; the chart's table has two)."""
    return [row for row in table_rows(response) if len(row) == 6]


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=","))


def _xlsx_rows(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.active.iter_rows(values_only=True))


def _number(text: str) -> float:
    return float(text.rstrip("%").replace("\u202f", "").replace(",", "."))


# --- supervisors ----------------------------------------------------------------------------


def test_five_members_give_the_figures_and_the_chart(org_and_client, course):
    org, client = org_and_client
    _checks(course, [staff_of(org) for _ in range(5)])
    response = client.get(_page_url(org))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Recognising trafficking" in page
    assert "<svg" in page
    whole = _figure_rows(response)[0]
    assert whole == ["Whole check", "5", "48.0%", "82.0%", "0.68", "4"]
    # One row per module, titled, with the module's own figures.
    module_titles = [row[0] for row in _figure_rows(response)[1:]]
    assert module_titles == [str(module.title) for module in course.modules.order_by("position")]


def test_four_members_give_no_figure_and_say_why(org_and_client, course):
    org, client = org_and_client
    _checks(course, [staff_of(org) for _ in range(4)])
    page = client.get(_page_url(org)).content.decode()
    assert HIDDEN in page
    assert "<svg" not in page
    assert "Whole check" not in page


def test_the_minimum_is_the_setting_on_the_page(org_and_client, course, settings):
    org, client = org_and_client
    settings.REPERE_MIN_REPORT_GROUP = 3
    _checks(course, [staff_of(org) for _ in range(3)])
    page = client.get(_page_url(org)).content.decode()
    assert "Whole check" in page
    _checks(CourseFactory(), [staff_of(org) for _ in range(2)])
    page = client.get(_page_url(org)).content.decode()
    assert "Fewer than 3 people took both checks" in page


def test_another_organizations_page_is_a_404_and_its_people_are_not_counted(org_and_client, course):
    org, client = org_and_client
    other = OrganizationFactory()
    _checks(course, [staff_of(org) for _ in range(5)])
    _checks(course, [staff_of(other) for _ in range(5)], scores=[(0, 0)] * 5)
    for suffix in ("", "../gain.csv", "../gain.xlsx"):
        assert client.get(_page_url(other) + suffix).status_code == 404
    whole = _figure_rows(client.get(_page_url(org)))[0]
    assert whole[1:4] == ["5", "48.0%", "82.0%"]
    client.force_login(staff_of(org))
    assert client.get(_page_url(org)).status_code == 404


def test_the_page_never_names_anyone(org_and_client, course):
    org, client = org_and_client
    _checks(course, [staff_of(org, full_name=f"Zoé Nommée{index}") for index in range(6)])
    for language in ("en", "fr"):
        assert "Nommée" not in client.get(_page_url(org, language)).content.decode()


def test_the_csv_and_the_workbook_hold_the_pages_figures(org_and_client, course):
    org, client = org_and_client
    _checks(course, [staff_of(org) for _ in range(5)])
    _checks(CourseFactory(title_en="Zz hidden"), [staff_of(org) for _ in range(2)])
    page = _figure_rows(client.get(_page_url(org)))
    csv_rows = _csv_rows(client.get(f"/en/organizations/{org.pk}/gain.csv"))
    xlsx_rows = _xlsx_rows(client.get(f"/en/organizations/{org.pk}/gain.xlsx"))
    assert csv_rows[0] == [str(cell) for cell in xlsx_rows[0]]
    shown_csv = [row for row in csv_rows[1:] if row[2]]
    shown_xlsx = [row for row in xlsx_rows[1:] if row[2] is not None]
    assert len(page) == len(shown_csv) == len(shown_xlsx) == 3  # whole check, two modules
    for html, text, cells in zip(page, shown_csv, shown_xlsx, strict=True):
        assert html[0] == text[1] == cells[1]
        for column in range(1, 6):
            assert _number(html[column]) == _number(text[column + 1]) == cells[column + 1]
    assert ["Zz hidden", "Whole check", "", "", "", "", "", HIDDEN] in csv_rows


def test_the_french_csv_is_for_the_french_excel(org_and_client, course):
    org, client = org_and_client
    _checks(course, [staff_of(org) for _ in range(5)])
    response = client.get(f"/fr/organizations/{org.pk}/gain.csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    whole = next(csv.reader(io.StringIO(text), delimiter=";"))
    assert whole[0] == "Cours"
    assert ";48,0;82,0;0,68;4;" in text


def test_a_title_typed_as_a_formula_stays_text(org_and_client):
    org, client = org_and_client
    course = CourseFactory(title_en="=HYPERLINK(1)")
    _checks(course, [staff_of(org) for _ in range(5)])
    rows = _csv_rows(client.get(f"/en/organizations/{org.pk}/gain.csv"))
    assert rows[1][0] == "'=HYPERLINK(1)"
    response = client.get(f"/en/organizations/{org.pk}/gain.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cell = workbook.active["A2"]
    assert cell.value == "=HYPERLINK(1)"
    assert cell.data_type == "s"


def test_the_page_runs_the_same_queries_whatever_the_number_of_people(org_and_client, course):
    org, client = org_and_client
    _checks(course, [staff_of(org) for _ in range(5)])
    with CaptureQueriesContext(connection) as few:
        assert client.get(_page_url(org)).status_code == 200
    _checks(course, [staff_of(org) for _ in range(5)])
    other_course = CourseFactory(lessons=3)
    item_bank(course=other_course, per_form=2)
    _checks(other_course, [staff_of(org) for _ in range(5)])
    with CaptureQueriesContext(connection) as more:
        assert client.get(_page_url(org)).status_code == 200
    assert len(more) == len(few)


def test_supervisors_reach_the_page_from_their_navigation(org_and_client):
    org, client = org_and_client
    page = client.get(f"/en/organizations/{org.pk}/survey/").content.decode()
    assert _page_url(org) in page
    assert "No one in your organization has taken" in client.get(_page_url(org)).content.decode()


# --- administrators --------------------------------------------------------------------------


def _admin_url(course, suffix=""):
    return f"/en/admin/assessments/attempt/course/{course.pk}/{suffix}"


def test_administrators_read_every_organization_or_one(admin_client, course):
    home, other = OrganizationFactory(name="Refuge A"), OrganizationFactory(name="Refuge B")
    _checks(course, [staff_of(home) for _ in range(5)])
    _checks(course, [staff_of(other) for _ in range(5)], scores=[(0, 10)] * 5)
    response = admin_client.get(_admin_url(course))
    assert response.status_code == 200
    assert _figure_rows(response)[0][:4] == ["Whole check", "10", "24.0%", "91.0%"]
    response = admin_client.get(_admin_url(course), {"organization": home.pk})
    assert _figure_rows(response)[0][:4] == ["Whole check", "5", "48.0%", "82.0%"]
    csv_rows = _csv_rows(
        admin_client.get(_admin_url(course, "gain.csv"), {"organization": home.pk})
    )
    assert csv_rows[1][2:5] == ["5", "48.0", "82.0"]
    xlsx_rows = _xlsx_rows(admin_client.get(_admin_url(course, "gain.xlsx")))
    assert xlsx_rows[1][2:5] == (10, 24.0, 91.0)


def test_the_admin_report_keeps_the_minimum_group(admin_client, course):
    _checks(course, [UserFactory() for _ in range(4)])
    page = admin_client.get(_admin_url(course)).content.decode()
    assert HIDDEN in page
    assert "Whole check" not in page


def test_the_admin_report_filters_by_the_date_of_the_check_after(admin_client, course):
    _checks(course, [UserFactory() for _ in range(5)])
    Attempt.objects.update(submitted_at=timezone.now() - datetime.timedelta(days=60))
    _checks(course, [UserFactory() for _ in range(5)], scores=[(0, 10)] * 5)
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    response = admin_client.get(_admin_url(course), {"since": since})
    assert _figure_rows(response)[0][:4] == ["Whole check", "5", "0.0%", "100.0%"]


@pytest.mark.parametrize(
    "query",
    [{"since": "nonsense"}, {"organization": "999999"}, {"organization": "x"},
     {"since": "2030-01-02", "until": "2030-01-01"}],
)  # fmt: skip
def test_bad_filters_are_a_form_error_not_a_500(admin_client, course, query):
    response = admin_client.get(_admin_url(course), query)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or "errornote" in response.content.decode()
    for suffix in ("gain.csv", "gain.xlsx"):
        assert admin_client.get(_admin_url(course, suffix), query).status_code == 400


def test_the_admin_lists_courses_never_a_persons_row(admin_client, course):
    person = UserFactory(full_name="Zoé Nommée")
    scored(learner=person, course=course, pre=(1, 10), post=(2, 10))
    listing = admin_client.get("/en/admin/assessments/attempt/").content.decode()
    assert _admin_url(course) in listing
    assert "Nommée" not in listing
    attempt = Attempt.objects.first()
    assert (
        admin_client.get(f"/en/admin/assessments/attempt/{attempt.pk}/change/").status_code == 404
    )
    course_page = admin_client.get(f"/en/admin/courses/course/{course.pk}/change/")
    assert _admin_url(course) in course_page.content.decode()
    assert admin_client.get("/en/admin/assessments/attempt/course/999999/").status_code == 404


def test_people_without_the_permission_get_no_report(client, course):
    editor = UserFactory(is_staff=True)
    client.force_login(editor)
    assert client.get(_admin_url(course)).status_code == 403
    assert client.get(_admin_url(course, "gain.csv")).status_code == 403


def test_the_french_workbook_opens_with_its_sheet_named(org_and_client, course):
    org, client = org_and_client
    _checks(course, [staff_of(org) for _ in range(5)])
    response = client.get(f"/fr/organizations/{org.pk}/gain.xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.active.title == "Progrès au test"
    assert workbook.active["A1"].value == "Cours"
    assert workbook.active["A1"].font.bold


def test_the_course_admin_page_links_the_report_only_for_those_who_may_read_it(client, course):
    from django.contrib.auth.models import Permission

    editor = UserFactory(is_staff=True)
    editor.user_permissions.add(
        Permission.objects.get(codename="change_course"),
        Permission.objects.get(codename="view_course"),
    )
    client.force_login(editor)
    response = client.get(f"/en/admin/courses/course/{course.pk}/change/")
    assert response.status_code == 200
    assert _admin_url(course) not in response.content.decode()


# --- a board's supervisors: the unit filter ---------------------------------------------------


@pytest.fixture
def board_and_client(client):
    """A board of two schools, five people each (North as SCORES, South 10 % before and
    after), read by the board's supervisor; a school of another board has five too."""
    board = OrganizationFactory(name="Conseil")
    north = OrganizationFactory(name="Nord", parent=board)
    south = OrganizationFactory(name="Sud", parent=board)
    elsewhere = OrganizationFactory(name="Ailleurs", parent=OrganizationFactory())
    return board, north, south, elsewhere, client


def _board_checks(course, board, north, south, elsewhere, client):
    _checks(course, [staff_of(north) for _ in range(5)])
    _checks(course, [staff_of(south) for _ in range(5)], scores=[(1, 1)] * 5)
    _checks(course, [staff_of(elsewhere) for _ in range(5)], scores=[(0, 0)] * 5)
    client.force_login(supervisor_of(board))


def test_a_boards_supervisor_filters_the_gain_report_and_its_files_by_school(
    board_and_client, course
):
    board, north, south, elsewhere, client = board_and_client
    _board_checks(course, board, north, south, elsewhere, client)
    page = client.get(_page_url(board))
    assert _figure_rows(page)[0][1:4] == ["10", "29.0%", "46.0%"]
    # The choices are the board and its schools, not another board's school.
    html = page.content.decode()
    assert f'<option value="{north.pk}">Nord</option>' in html
    assert f'value="{elsewhere.pk}"' not in html
    filtered = client.get(_page_url(board), {"unit": north.pk})
    assert _figure_rows(filtered)[0][1:4] == ["5", "48.0%", "82.0%"]
    assert "The figures are those of the people of Nord" in filtered.content.decode()
    assert f"gain.csv?unit={north.pk}" in filtered.content.decode()
    csv_rows = _csv_rows(client.get(f"/en/organizations/{board.pk}/gain.csv?unit={south.pk}"))
    assert [_number(cell) for cell in csv_rows[1][2:4]] == [5, 10.0]
    xlsx_rows = _xlsx_rows(client.get(f"/en/organizations/{board.pk}/gain.xlsx?unit={north.pk}"))
    assert xlsx_rows[1][2:5] == (5, 48.0, 82.0)


def test_the_minimum_group_applies_to_the_school_filtered(board_and_client, course):
    """Five people on the board, three of them in North: the board has figures, North
    none, although its three are counted in the board's."""
    board, north, south, elsewhere, client = board_and_client
    _checks(course, [staff_of(north) for _ in range(3)])
    _checks(course, [staff_of(south) for _ in range(2)])
    client.force_login(supervisor_of(board))
    assert _figure_rows(client.get(_page_url(board)))[0][1] == "5"
    page = client.get(_page_url(board), {"unit": north.pk}).content.decode()
    assert HIDDEN in page
    assert "Whole check" not in page


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_unit_of_another_tree_is_a_form_error_never_its_figures(
    board_and_client, course, language
):
    board, north, south, elsewhere, client = board_and_client
    _board_checks(course, board, north, south, elsewhere, client)
    for unit in (elsewhere.pk, "abc", "99999999"):
        response = client.get(_page_url(board, language), {"unit": unit})
        assert response.status_code == 200
        page = response.content.decode()
        error = "Select a valid choice" if language == "en" else "Sélectionnez un choix valide"
        assert error in page
        # The whole board's figures, as without the filter; the other board's never.
        assert _figure_rows(response)[0][1] == "10"
        for suffix in ("gain.csv", "gain.xlsx"):
            url = f"/{language}/organizations/{board.pk}/{suffix}"
            assert client.get(url, {"unit": unit}).status_code == 404


def test_a_school_principal_has_no_unit_filter_and_sees_only_their_school(board_and_client, course):
    board, north, south, elsewhere, client = board_and_client
    _board_checks(course, board, north, south, elsewhere, client)
    client.force_login(supervisor_of(north))
    response = client.get(_page_url(north))
    assert 'name="unit"' not in response.content.decode()
    assert _figure_rows(response)[0][1] == "5"
    # The board's page, or a sibling school through the filter, are not theirs.
    assert client.get(_page_url(board)).status_code == 404
    filtered = client.get(_page_url(north), {"unit": south.pk})
    assert _figure_rows(filtered)[0][1:4] == ["5", "48.0%", "82.0%"]


def test_the_filtered_page_runs_the_same_queries_whatever_the_schools_and_people(
    board_and_client, course
):
    board, north, south, elsewhere, client = board_and_client
    _board_checks(course, board, north, south, elsewhere, client)
    with CaptureQueriesContext(connection) as few:
        assert client.get(_page_url(board), {"unit": north.pk}).status_code == 200
    for index in range(3):
        school = OrganizationFactory(name=f"École {index}", parent=board)
        _checks(course, [staff_of(school) for _ in range(5)])
    _checks(course, [staff_of(north) for _ in range(5)])
    with CaptureQueriesContext(connection) as more:
        assert client.get(_page_url(board), {"unit": north.pk}).status_code == 200
    assert len(more) == len(few)
