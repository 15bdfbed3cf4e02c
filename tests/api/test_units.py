"""The API client of a school board: its members are the board's and its schools', each
once, with the school ("unit") they are a member of; a school's client sees its own only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import api
from tests.api.factories import api_client_of, token_of
from tests.organizations.factories import MembershipFactory, OrganizationFactory, staff_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def board(db):
    board = OrganizationFactory(name="Conseil scolaire")
    board.school_a = OrganizationFactory(name="École A", parent=board)
    board.school_b = OrganizationFactory(name="École B", parent=board)
    board.team = OrganizationFactory(name="Équipe de nuit", parent=board.school_a)
    board.advisor = staff_of(board, full_name="Ana Conseil")
    board.teacher_a = staff_of(board.school_a, full_name="Béa Érables")
    board.teacher_b = staff_of(board.school_b, full_name="Cléo Bouleaux")
    board.night = staff_of(board.team, full_name="Dan Nuit")
    MembershipFactory(user=board.night, organization=board.school_b)  # in two schools
    board.elsewhere = staff_of(OrganizationFactory(parent=OrganizationFactory()))
    return board


def members(token, query=""):
    response = api(token).get(f"/api/v1/members/{query}")
    assert response.status_code == 200
    return {row["email"]: row["unit"] for row in response.json()["results"]}


def test_a_boards_client_sees_its_units_members_once_with_their_unit(board):
    token = token_of(api_client_of(board).client)
    found = members(token)
    assert found == {
        board.advisor.email: None,
        board.teacher_a.email: {"id": board.school_a.pk, "name": "École A"},
        board.teacher_b.email: {"id": board.school_b.pk, "name": "École B"},
        # The highest of their units (École B), as on the board's dashboard.
        board.night.email: {"id": board.school_b.pk, "name": "École B"},
    }
    assert members(token, "?search=BOULEAUX") == {
        board.teacher_b.email: {"id": board.school_b.pk, "name": "École B"}
    }
    detail = api(token).get(f"/api/v1/members/{board.teacher_a.pk}/").json()
    assert detail["unit"] == {"id": board.school_a.pk, "name": "École A"}
    assert api(token).get(f"/api/v1/members/{board.elsewhere.pk}/").status_code == 404


def test_a_schools_client_sees_neither_the_board_nor_the_other_school(board):
    token = token_of(api_client_of(board.school_a).client)
    assert members(token) == {
        board.teacher_a.email: None,
        board.night.email: {"id": board.team.pk, "name": "Équipe de nuit"},
    }
    client = api(token)
    assert client.get(f"/api/v1/members/{board.teacher_b.pk}/").status_code == 404
    assert client.get(f"/api/v1/members/{board.advisor.pk}/").status_code == 404


def test_the_member_list_runs_as_many_queries_with_more_units(board):
    token = token_of(api_client_of(board).client)

    def count():
        with CaptureQueriesContext(connection) as captured:
            api(token).get("/api/v1/members/")
        return len(captured)

    few = count()
    for index in range(5):
        staff_of(OrganizationFactory(name=f"École {index}", parent=board))
    assert count() == few
