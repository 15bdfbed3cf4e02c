"""The dashboard, its exports and the person page of an organization with units (a board
and its schools): everything rolls up over the units below, nothing reaches another tree."""

import csv
import datetime
import io
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from courses import hooks
from organizations.models import Assignment
from supervision import selectors
from supervision.models import ReminderLog
from supervision.selectors import (
    organizations_needing_attention,
    reminder_people,
    reminders_due,
)
from tests.factories import CourseFactory
from tests.organizations.factories import (
    AssignmentFactory,
    OrganizationFactory,
    bulk_staff,
    staff_of,
    supervisor_of,
)
from tests.tables import table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return CourseFactory(lessons=3, title_fr="Reconnaître", title_en="Recognising")


@pytest.fixture
def tree(course):
    """A board with two schools, the first with a team; one person assigned the course in
    each; and another board with its own school and person."""
    board = OrganizationFactory(name="Conseil scolaire")
    north = OrganizationFactory(name="École du Nord", parent=board)
    south = OrganizationFactory(name="École du Sud", parent=board)
    team = OrganizationFactory(name="Équipe de nuit", parent=north)
    other = OrganizationFactory(name="Autre conseil")
    elsewhere = OrganizationFactory(name="École d'ailleurs", parent=other)
    people = {}
    for key, unit, name in [
        ("north", north, "Noémie Nord"),
        ("south", south, "Samuel Sud"),
        ("team", team, "Thérèse Équipe"),
        ("elsewhere", elsewhere, "Alex Ailleurs"),
    ]:
        people[key] = staff_of(unit, full_name=name)
        AssignmentFactory(organization=unit, learner=people[key], course=course)
    return {
        "board": board,
        "north": north,
        "south": south,
        "team": team,
        "other": other,
        "elsewhere": elsewhere,
        "people": people,
    }


def url(name, org, **query):
    path = reverse(f"supervision:{name}", kwargs={"organization_id": org.pk})
    if query:
        path += "?" + urlencode(query)
    return path


def signed_in(client, org):
    client.force_login(supervisor_of(org))
    return client


def names(response):
    return {row[0] for row in table_rows(response)}


def csv_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def test_a_boards_dashboard_shows_every_unit_below_it_with_each_rows_unit(client, tree):
    response = signed_in(client, tree["board"]).get(url("dashboard", tree["board"]))
    assert response.status_code == 200
    rows = {row[0]: row for row in table_rows(response)}
    assert set(rows) == {"Noémie Nord", "Samuel Sud", "Thérèse Équipe"}
    assert rows["Thérèse Équipe"][2] == "Équipe de nuit"
    assert rows["Samuel Sud"][2] == "École du Sud"
    assert response.context["totals"].total == 3
    with translation.override("fr"):
        assert str(selectors.columns(units=True)[2].label) in response.text


def test_a_unit_without_units_shows_only_its_own_rows_and_no_unit_column(client, tree):
    response = signed_in(client, tree["south"]).get(url("dashboard", tree["south"]))
    assert names(response) == {"Samuel Sud"}
    assert len(table_rows(response)[0]) == len(selectors.COLUMNS)
    assert 'name="unit"' not in response.text


def test_a_schools_supervisor_cannot_open_the_board_or_a_sibling_school(client, tree):
    signed_in(client, tree["north"])
    for org in (tree["board"], tree["south"], tree["other"]):
        assert client.get(url("dashboard", org)).status_code == 404
    # The school's own team rolls up into its dashboard.
    assert names(client.get(url("dashboard", tree["north"]))) == {"Noémie Nord", "Thérèse Équipe"}


def test_the_unit_filter_shows_the_units_rows_and_those_below_it(client, tree):
    signed_in(client, tree["board"])
    response = client.get(url("dashboard", tree["board"], unit=tree["north"].pk))
    assert names(response) == {"Noémie Nord", "Thérèse Équipe"}
    assert response.context["totals"].total == 2
    assert names(client.get(url("dashboard", tree["board"], unit=tree["south"].pk))) == {
        "Samuel Sud"
    }


def test_a_unit_of_another_tree_in_the_filter_is_an_error_and_shows_nothing_of_it(client, tree):
    signed_in(client, tree["board"])
    for unit in (tree["elsewhere"].pk, tree["other"].pk, "abc"):
        response = client.get(url("dashboard", tree["board"], unit=unit))
        assert response.status_code == 200
        assert "errorlist" in response.text
        assert "Alex Ailleurs" not in response.text
        assert names(response) == {"Noémie Nord", "Samuel Sud", "Thérèse Équipe"}
        export = client.get(url("export", tree["board"], unit=unit))
        assert "Alex Ailleurs" not in b"".join(export.streaming_content).decode()


def test_the_scope_selector_never_reaches_outside_the_organization(tree):
    """Called with a unit of another tree (no form in between), it selects nothing."""
    rows = selectors.dashboard_rows(organization=tree["board"], unit=tree["elsewhere"])
    assert list(rows) == []


def test_the_course_filter_offers_courses_assigned_in_the_units(client, tree):
    only_in_team = CourseFactory(title_fr="Cours de l'équipe")
    AssignmentFactory(
        organization=tree["team"], learner=tree["people"]["team"], course=only_in_team
    )
    response = signed_in(client, tree["board"]).get(
        url("dashboard", tree["board"], course=only_in_team.pk)
    )
    assert "errorlist" not in response.text
    assert names(response) == {"Thérèse Équipe"}


def test_the_csv_export_rolls_up_and_names_each_rows_unit(client, tree):
    signed_in(client, tree["board"])
    with translation.override("fr"):
        header = selectors.header_cells(units=True)
    rows = csv_rows(client.get(url("export", tree["board"], unit=tree["north"].pk)))
    assert rows[0] == header
    assert header[2] == "Unité"
    assert sorted((row[0], row[2]) for row in rows[1:]) == [
        ("Noémie Nord", "École du Nord"),
        ("Thérèse Équipe", "Équipe de nuit"),
    ]


def test_the_csv_export_of_a_unit_without_units_has_no_unit_column(client, tree):
    rows = csv_rows(signed_in(client, tree["south"]).get(url("export", tree["south"])))
    assert len(rows[0]) == len(selectors.COLUMNS)
    assert [row[0] for row in rows[1:]] == ["Samuel Sud"]


def test_the_workbook_rolls_up_with_the_unit_column(client, tree):
    response = signed_in(client, tree["board"]).get(url("export_xlsx", tree["board"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0][2] == "Unité"
    assert sorted((row[0], row[2]) for row in values[1:]) == [
        ("Noémie Nord", "École du Nord"),
        ("Samuel Sud", "École du Sud"),
        ("Thérèse Équipe", "Équipe de nuit"),
    ]


def test_the_boards_dashboard_runs_the_same_queries_for_two_schools_or_many(client, tree, course):
    signed_in(client, tree["board"])

    def count(**query):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url("dashboard", tree["board"], **query))
        assert response.status_code == 200
        return len(queries)

    queries = [{}, {"unit": tree["north"].pk}, {"status": "not_started", "sort": "unit"}]
    small = [count(**query) for query in queries]
    for index in range(6):
        school = OrganizationFactory(name=f"École {index}", parent=tree["board"])
        bulk_staff(school, 30, f"school{index}-", course=course)
    assert [count(**query) for query in queries] == small
    assert client.get(url("dashboard", tree["board"])).context["totals"].total == 183


def test_the_person_page_of_a_units_member_opens_from_the_boards_dashboard(client, tree):
    signed_in(client, tree["board"])
    team_person = tree["people"]["team"]
    page = client.get(url("dashboard", tree["board"]))
    link = reverse(
        "supervision:person",
        kwargs={"organization_id": tree["team"].pk, "user_id": team_person.pk},
    )
    assert link in page.text
    for org in (tree["board"], tree["team"]):
        person = reverse(
            "supervision:person", kwargs={"organization_id": org.pk, "user_id": team_person.pk}
        )
        response = client.get(person)
        assert response.status_code == 200
        assert "Thérèse Équipe" in response.text


def test_a_person_of_another_tree_or_a_sibling_unit_is_404(client, tree):
    elsewhere = tree["people"]["elsewhere"]
    signed_in(client, tree["board"])
    for org in (tree["board"], tree["elsewhere"]):
        person = reverse(
            "supervision:person", kwargs={"organization_id": org.pk, "user_id": elsewhere.pk}
        )
        assert client.get(person).status_code == 404
    signed_in(client, tree["south"])
    north_person = reverse(
        "supervision:person",
        kwargs={"organization_id": tree["south"].pk, "user_id": tree["people"]["north"].pk},
    )
    assert client.get(north_person).status_code == 404


def test_a_board_supervisor_reminds_a_schools_member_from_the_board(client, tree):
    signed_in(client, tree["board"])
    person = tree["people"]["north"]
    assignment = Assignment.objects.get(learner=person)
    remind = reverse(
        "supervision:person_remind",
        kwargs={
            "organization_id": tree["board"].pk,
            "user_id": person.pk,
            "assignment_id": assignment.pk,
        },
    )
    assert client.post(remind).status_code == 302
    assert [message.to for message in mail.outbox] == [[person.email]]
    assert ReminderLog.objects.get().user == person
    # Another tree's assignment, through the board: 404, nothing sent.
    other = Assignment.objects.get(learner=tree["people"]["elsewhere"])
    remind_other = reverse(
        "supervision:person_remind",
        kwargs={
            "organization_id": tree["board"].pk,
            "user_id": other.learner_id,
            "assignment_id": other.pk,
        },
    )
    assert client.post(remind_other).status_code == 404
    assert len(mail.outbox) == 1


def test_the_daily_summary_of_a_board_supervisor_counts_every_unit_below_it(tree):
    today = timezone.localdate()
    Assignment.objects.filter(learner=tree["people"]["team"]).update(
        due_on=today - datetime.timedelta(days=3)
    )
    hooks.progress_changed_for(assignment_ids=Assignment.objects.values("pk"))
    board_supervisor = supervisor_of(tree["board"])
    south_supervisor = supervisor_of(tree["south"])
    other_supervisor = supervisor_of(tree["other"])
    needing = organizations_needing_attention(today=today)
    assert set(needing) == {tree["board"].pk, tree["north"].pk, tree["team"].pk}
    people = reminder_people(today=today, organization_ids=needing)
    assert board_supervisor.pk in people
    assert south_supervisor.pk not in people
    assert other_supervisor.pk not in people
    (reminder,) = [
        r
        for r in reminders_due(today=today, user_ids=[board_supervisor.pk, south_supervisor.pk])
        if r.user == board_supervisor
    ]
    (summary,) = reminder.organizations
    assert summary.organization == tree["board"]
    assert (summary.total, summary.overdue) == (3, 1)


def test_the_daily_summary_email_counts_every_school_for_the_board_and_one_for_a_principal(
    tree,
):
    """South's person and North's team's are overdue: the board's supervisor reads the
    three people of its schools, two overdue; South's principal one, theirs; North's two
    (its team's included); the other board's, nothing of this board."""
    from supervision.services import reminders_send

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Assignment.objects.filter(learner__in=[tree["people"]["south"], tree["people"]["team"]]).update(
        due_on=yesterday
    )
    hooks.progress_changed_for(assignment_ids=Assignment.objects.values("pk"))
    emails = {}
    for key in ("board", "north", "south", "other"):
        emails[key] = f"{key}@example.org"
        supervisor_of(tree[key], email=emails[key], preferred_language="en")
    reminders_send()
    bodies = {message.to[0]: message.body for message in mail.outbox}
    board = bodies[emails["board"]]
    assert "Conseil scolaire" in board
    assert "2 courses overdue" in board
    assert "0 of 3 assigned courses completed with a valid certificate" in board
    south = bodies[emails["south"]]
    assert "École du Sud" in south
    assert "1 course overdue" in south
    assert "0 of 1 assigned course completed with a valid certificate" in south
    assert "Conseil scolaire" not in south
    assert "École du Nord" not in south
    north = bodies[emails["north"]]
    assert "1 course overdue" in north
    assert "0 of 2 assigned courses completed" in north
    # Nothing is overdue in the other board: its supervisor gets no summary.
    assert emails["other"] not in bodies
