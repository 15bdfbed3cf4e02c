"""The supervisors' pages of a unit with units below it: the list of organizations as a
tree, the staff page's links to its units, the access history over the units; and a
sibling school's supervisor reaches none of the other school's pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organizations import services
from organizations.models import AuditEvent, Invitation, Membership
from tests.organizations.factories import (
    MembershipFactory,
    OrganizationFactory,
    staff_of,
    supervisor_of,
)
from tests.tables import table_rows

pytestmark = pytest.mark.django_db


def page(name, unit, **kwargs):
    return reverse(f"organizations:{name}", kwargs={"organization_id": unit.pk, **kwargs})


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_list_of_a_board_supervisor_shows_each_unit_under_its_parent(client, tree):
    client.force_login(tree["supervisor"])
    response = client.get(reverse("organizations:index"))
    listed = [(unit.name, depth) for unit, depth in response.context["tree"]]
    assert listed == [
        ("Conseil scolaire", 0),
        ("École du Nord", 1),
        ("Équipe de nuit", 2),
        ("École du Sud", 1),
    ]
    text = response.content.decode()
    assert "Autre conseil" not in text
    assert "Part of" in text or "Fait partie de" in text


def test_the_list_takes_one_query_for_its_organizations_whatever_their_number(client, tree):
    client.force_login(tree["supervisor"])
    few = queries(client, reverse("organizations:index"))
    for index in range(30):
        school = OrganizationFactory(name=f"École {index}", parent=tree["south"])
        OrganizationFactory(parent=school)
    assert queries(client, reverse("organizations:index")) == few


def test_the_staff_page_of_a_board_lists_its_own_members_and_links_to_its_units(client, tree):
    staff_of(tree["board"], full_name="Au Conseil")
    staff_of(tree["north"], full_name="Au Nord")
    night = staff_of(tree["team"], full_name="De Nuit")
    MembershipFactory(user=night, organization=tree["north"])  # counted once at North
    staff_of(tree["south"], full_name="Au Sud")
    client.force_login(tree["supervisor"])
    response = client.get(page("member_list", tree["board"]))
    text = response.content.decode()
    assert "Au Conseil" in text
    assert "Au Nord" not in text
    assert [(unit.name, unit.people) for unit in response.context["units"]] == [
        ("École du Nord", 2),
        ("École du Sud", 1),
    ]
    assert page("member_list", tree["north"]) in text
    assert page("member_list", tree["team"]) not in text  # it is on North's page
    assert table_rows(response)[0][:2] == ["École du Nord", "2"]


def test_the_staff_page_takes_as_many_queries_with_many_units(client, tree):
    client.force_login(tree["supervisor"])
    few = queries(client, page("member_list", tree["board"]))
    for index in range(25):
        school = OrganizationFactory(name=f"École {index}", parent=tree["board"])
        staff_of(school)
        staff_of(OrganizationFactory(parent=school))
    response = client.get(page("member_list", tree["board"]))
    assert len(response.context["units"]) == 27
    assert queries(client, page("member_list", tree["board"])) == few


def test_the_access_history_of_a_board_shows_its_units_events_and_where(client, tree):
    services.audit_record(
        kind=AuditEvent.Kind.MEMBER_CREATED,
        actor=None,
        organization=tree["team"],
        subject_label="Personne de nuit",
        before={},
        after={},
    )
    services.audit_record(
        kind=AuditEvent.Kind.MEMBER_CREATED,
        actor=None,
        organization=tree["namesake"],
        subject_label="Personne ailleurs",
        before={},
        after={},
    )
    client.force_login(tree["supervisor"])
    response = client.get(page("audit_log", tree["board"]))
    rows = table_rows(response)
    assert any("Équipe de nuit" in row and "Personne de nuit" in row for row in rows)
    assert "Personne ailleurs" not in response.content.decode()
    south = client.get(page("audit_log", tree["south"])).content.decode()
    assert "Personne de nuit" not in south


def test_the_access_history_takes_as_many_queries_with_many_units(client, tree):
    services.audit_record(
        kind=AuditEvent.Kind.MEMBER_CREATED,
        actor=tree["supervisor"],
        organization=tree["team"],
        subject_label="Personne de nuit",
        before={},
        after={},
    )
    client.force_login(tree["supervisor"])
    few = queries(client, page("audit_log", tree["board"]))
    for index in range(25):
        school = OrganizationFactory(name=f"École {index}", parent=tree["board"])
        services.audit_record(
            kind=AuditEvent.Kind.MEMBER_CREATED,
            actor=tree["supervisor"],
            organization=school,
            subject_label=f"Personne {index}",
            before={},
            after={},
        )
    assert queries(client, page("audit_log", tree["board"])) == few


def test_a_sibling_schools_supervisor_gets_404_on_every_page_of_the_other_school(client, tree):
    north, south = tree["north"], tree["south"]
    supervisor = supervisor_of(north)
    member = MembershipFactory(organization=south)
    invitation = Invitation.objects.create(
        organization=south, email="invitee@example.org", full_name="Invitée", role="staff"
    )
    client.force_login(supervisor)
    gets = ["assign", "member_list", "member_add", "staff_import", "audit_log"]
    for name in gets:
        assert client.get(page(name, south)).status_code == 404, name
        assert client.post(page(name, south), {}).status_code in (404, 405), name
    membership = {"membership_id": member.pk}
    posts = [
        ("member_role", membership, {"role": "supervisor"}),
        ("member_remove", membership, {}),
        ("invitation_cancel", {"invitation_id": invitation.pk}, {}),
        ("invitation_resend", {"invitation_id": invitation.pk}, {}),
    ]
    for name, kwargs, data in posts:
        assert client.post(page(name, south, **kwargs), data).status_code == 404, name
    assert client.get(page("member_remove", south, **membership)).status_code == 404
    # Nor through its own school's address with the other school's member.
    assert (
        client.post(page("member_role", north, **membership), {"role": "supervisor"}).status_code
        == 404
    )
    member.refresh_from_db()
    assert member.role == Membership.Role.STAFF
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.PENDING
    # The board above is not theirs either.
    assert client.get(page("member_list", tree["board"])).status_code == 404
