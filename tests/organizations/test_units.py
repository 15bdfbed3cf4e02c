"""Units: organizations placed under others (a board and its schools), and who sees them."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from organizations import selectors
from organizations.models import Organization
from organizations.models.organizations import ERROR_PARENT_CYCLE
from tests.organizations.factories import (
    MembershipFactory,
    OrganizationFactory,
    SupervisorMembershipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    """A board with two schools, the first with a team; and another board."""
    board = OrganizationFactory(name="Conseil scolaire")
    north = OrganizationFactory(name="École du Nord", parent=board)
    south = OrganizationFactory(name="École du Sud", parent=board)
    team = OrganizationFactory(name="Équipe de nuit", parent=north)
    other = OrganizationFactory(name="Autre conseil")
    return {"board": board, "north": north, "south": south, "team": team, "other": other}


def test_each_unit_has_the_path_of_the_units_above_it(board):
    assert board["board"].path == f"/{board['board'].pk}/"
    assert board["team"].path == f"/{board['board'].pk}/{board['north'].pk}/{board['team'].pk}/"
    assert Organization.objects.get(pk=board["team"].pk).path == board["team"].path
    assert board["team"].depth == 2
    assert selectors.ancestor_ids_of(board["team"]) == [board["board"].pk, board["north"].pk]


def test_a_unit_moved_under_another_takes_its_own_units_along(board):
    north = board["north"]
    north.parent = board["other"]
    north.save()
    team = Organization.objects.get(pk=board["team"].pk)
    assert team.path == f"/{board['other'].pk}/{north.pk}/{team.pk}/"
    assert set(selectors.units_in(board["board"])) == {board["board"], board["south"]}
    assert set(selectors.units_in(board["other"])) == {board["other"], north, team}


def test_a_unit_cannot_be_placed_under_itself_or_one_of_its_units(board):
    top = board["board"]
    for parent in (top, board["team"]):
        top.parent = parent
        with pytest.raises(ValidationError) as error:
            top.full_clean()
        assert "parent" in error.value.message_dict
        with pytest.raises(ValueError, match=re.escape(str(ERROR_PARENT_CYCLE))):
            top.save()
    top.refresh_from_db()
    assert top.parent is None
    assert Organization.objects.get(pk=board["team"].pk).path.startswith(top.path)


def test_units_in_holds_the_organization_and_every_unit_below_it(board):
    assert list(selectors.units_in(board["board"])) == [
        board["board"],
        board["north"],
        board["south"],
        board["team"],
    ]
    assert list(selectors.units_in(board["south"])) == [board["south"]]
    assert selectors.has_units(board["north"])
    assert not selectors.has_units(board["south"])


def test_a_row_without_a_path_is_still_its_own_unit(board):
    """Written by code that predates the column (db_default): still found by its id."""
    Organization.objects.filter(pk=board["other"].pk).update(path="")
    other = Organization.objects.get(pk=board["other"].pk)
    assert list(selectors.units_in(other)) == [other]


@pytest.mark.parametrize(
    ("supervises", "sees"),
    [
        ("board", {"board", "north", "south", "team"}),
        ("north", {"north", "team"}),
        ("south", {"south"}),
        ("team", {"team"}),
    ],
)
def test_a_supervisor_sees_their_unit_and_every_unit_below_it_and_nothing_else(
    board, supervises, sees
):
    membership = SupervisorMembershipFactory(organization=board[supervises])
    MembershipFactory(user=membership.user, organization=board["other"])  # staff there
    seen = set(selectors.organizations_supervised_by(membership.user))
    assert seen == {board[name] for name in sees}
    for name, unit in board.items():
        if name in sees:
            assert selectors.organization_get_manageable(
                user=membership.user, organization_id=unit.pk
            )
        else:
            with pytest.raises(Http404):
                selectors.organization_get_manageable(user=membership.user, organization_id=unit.pk)


def test_a_board_supervisor_lands_on_the_board_dashboard(board):
    """Not on the list of the board's schools: the board's dashboard rolls them up."""
    membership = SupervisorMembershipFactory(organization=board["board"])
    assert selectors.landing_page_for(membership.user) == reverse(
        "supervision:dashboard", kwargs={"organization_id": board["board"].pk}
    )


def test_an_administrator_moving_a_school_is_recorded_in_each_history(board, admin_client):
    """Who sees the school's people changes: the school, the board it left and the one
    it joined each keep the move in their access history."""
    from organizations.models import AuditEvent

    north = board["north"]
    response = admin_client.post(
        reverse("admin:organizations_organization_change", args=[north.pk]),
        {
            "name": north.name,
            "kind": north.kind,
            "province": north.province,
            "privacy_contact": "",
            "parent": board["other"].pk,
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
            "assignments-TOTAL_FORMS": 0,
            "assignments-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Organization.objects.get(pk=board["team"].pk).path.startswith(f"/{board['other'].pk}/")
    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.UNIT_MOVED)
    assert {event.organization for event in events} == {north, board["board"], board["other"]}
    assert {(event.before["parent"], event.after["parent"]) for event in events} == {
        ("Conseil scolaire", "Autre conseil")
    }
    assert all(event.by_administrator and event.subject_label == north.name for event in events)


def test_the_admin_refuses_a_cycle_with_a_form_error(board, admin_client):
    top = board["board"]
    response = admin_client.post(
        reverse("admin:organizations_organization_change", args=[top.pk]),
        {
            "name": top.name,
            "kind": top.kind,
            "province": top.province,
            "privacy_contact": "",
            "parent": board["team"].pk,
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
            "assignments-TOTAL_FORMS": 0,
            "assignments-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    top.refresh_from_db()
    assert top.parent is None


def test_a_board_that_requires_two_factor_requires_it_of_its_schools_principals(board):
    board["board"].require_two_factor = True
    board["board"].save(update_fields=["require_two_factor"])
    principal = SupervisorMembershipFactory(organization=board["team"]).user
    elsewhere = SupervisorMembershipFactory(organization=board["other"]).user
    staff = MembershipFactory(organization=board["north"]).user
    assert selectors.two_factor_required_for(principal)
    assert not selectors.two_factor_required_for(elsewhere)
    assert not selectors.two_factor_required_for(staff)
    board["board"].require_two_factor = False
    board["board"].save(update_fields=["require_two_factor"])
    board["north"].require_two_factor = True
    board["north"].save(update_fields=["require_two_factor"])
    assert selectors.two_factor_required_for(principal)  # the school above the team
    assert not selectors.two_factor_required_for(
        SupervisorMembershipFactory(organization=board["south"]).user
    )
