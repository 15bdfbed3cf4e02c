"""Importing a list at a board: a unit column places each person in their unit, all or
nothing, with the same consent rules as everywhere (an existing account is invited)."""

import html

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from organizations.csv_import import CsvImportError, parse_staff_csv
from organizations.models import AuditEvent, Invitation, Membership
from organizations.services import staff_import
from organizations.services.imports import ERROR_UNIT_AMBIGUOUS, ERROR_UNIT_UNKNOWN
from tests.factories import UserFactory
from tests.organizations.factories import OrganizationFactory
from tests.tables import table_rows

pytestmark = pytest.mark.django_db


def imported(tree, content: str, dry_run=False, unit="board"):
    return staff_import(
        organization=tree[unit],
        rows=parse_staff_csv(content.encode()),
        language="fr",
        added_by=tree["supervisor"],
        dry_run=dry_run,
    )


def errors_of(tree, content: str, unit="board"):
    with pytest.raises(CsvImportError) as error:
        imported(tree, content, unit=unit)
    return [(item.line, item.message) for item in error.value.errors]


def members(unit):
    return set(Membership.objects.filter(organization=unit).values_list("user__email", flat=True))


def test_each_person_joins_the_unit_the_file_names(tree, django_capture_on_commit_callbacks):
    content = (
        "nom;courriel;unité\n"
        "Éloïse Gagné;eloise@example.org;École du Nord\n"
        "Thomas Nguyen;thomas@example.org;ecole du sud\n"  # case and accents do not matter
        "Sam Roy;sam@example.org;\n"  # none: the board
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = imported(tree, content)
    assert members(tree["north"]) == {"eloise@example.org"}
    assert members(tree["south"]) == {"thomas@example.org"}
    assert "sam@example.org" in members(tree["board"])
    assert not Membership.objects.filter(organization=tree["namesake"]).exists()
    assert [item.unit for item in report.rows] == [tree["north"], tree["south"], tree["board"]]
    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.MEMBER_CREATED)
    assert {(event.organization, event.subject.email) for event in events} == {
        (tree["north"], "eloise@example.org"),
        (tree["south"], "thomas@example.org"),
        (tree["board"], "sam@example.org"),
    }
    by_address = {message.to[0]: message.body for message in mail.outbox}
    assert "École du Nord" in by_address["eloise@example.org"]
    assert "École du Sud" in by_address["thomas@example.org"]


def test_an_existing_account_is_invited_to_its_unit_not_made_a_member(
    tree, django_capture_on_commit_callbacks
):
    UserFactory(email="known@example.org", full_name="Compte existant")
    with django_capture_on_commit_callbacks(execute=True):
        imported(tree, "name,email,unit\nKnown,known@example.org,École du Sud\n")
    assert not Membership.objects.filter(user__email="known@example.org").exists()
    invitation = Invitation.objects.get(email="known@example.org")
    assert invitation.organization == tree["south"]
    assert (
        AuditEvent.objects.get(kind=AuditEvent.Kind.INVITATION_SENT).organization == (tree["south"])
    )
    assert [message.to for message in mail.outbox] == [["known@example.org"]]


def test_importing_the_same_file_again_changes_nothing(tree):
    content = "name,email,unit\nA,a@example.org,École du Nord\n"
    imported(tree, content)
    report = imported(tree, content)
    assert report.invited == 0
    assert Membership.objects.filter(user__email="a@example.org").count() == 1


def test_an_unknown_unit_is_an_error_naming_the_line_and_nothing_is_imported(tree):
    content = "name,email,unit\nA,a@example.org,École du Nord\nB,b@example.org,École de l'Est\n"
    assert errors_of(tree, content) == [(3, str(ERROR_UNIT_UNKNOWN % {"value": "École de l'Est"}))]
    assert not User.objects.filter(email__in=["a@example.org", "b@example.org"]).exists()


def test_a_unit_of_another_board_is_unknown_even_with_the_same_name(tree):
    """The other board's "École du Sud" is not the first board's: a school supervisor
    importing at École du Nord cannot place someone there, nor in its sibling."""
    content = "name,email,unit\nA,a@example.org,École du Sud\n"
    assert errors_of(tree, content, unit="north") == [
        (2, str(ERROR_UNIT_UNKNOWN % {"value": "École du Sud"}))
    ]
    assert not Membership.objects.filter(organization=tree["south"]).exists()
    imported(tree, content, unit="other")  # the other board's own school: no error
    assert members(tree["namesake"]) == {"a@example.org"}
    assert not Membership.objects.filter(organization=tree["south"]).exists()


def test_two_units_of_the_same_name_are_an_error(tree):
    OrganizationFactory(name="École du Nord", parent=tree["south"])
    content = "name,email,unit\nA,a@example.org,École du Nord\n"
    assert errors_of(tree, content) == [(2, str(ERROR_UNIT_AMBIGUOUS % {"value": "École du Nord"}))]


def test_a_dry_run_says_where_each_person_would_go_and_writes_nothing(tree):
    content = "name,email,unit\nA,a@example.org,École du Nord\nB,b@example.org,Équipe de nuit\n"
    report = imported(tree, content, dry_run=True)
    assert report.invited == 2
    assert [item.unit for item in report.rows] == [tree["north"], tree["team"]]
    assert not User.objects.filter(email="a@example.org").exists()


def test_the_same_person_in_two_units_of_one_file_is_an_error(tree):
    content = "name,email,unit\nA,a@example.org,École du Nord\nA,a@example.org,École du Sud\n"
    assert [line for line, _message in errors_of(tree, content)] == [3]


def test_the_board_import_page_explains_and_shows_a_unit_column_that_imports(client, tree):
    client.force_login(tree["supervisor"])
    with translation.override("en"):
        page = reverse("organizations:staff_import", kwargs={"organization_id": tree["board"].pk})
    response = client.get(page)
    assert "A unit column (unité)" in response.content.decode()
    example = response.context["example"]
    assert example.splitlines()[0] == "name,e-mail,role,unit"
    assert example.splitlines()[1].endswith(",École du Nord")
    response = client.post(
        page,
        {"file": SimpleUploadedFile("staff.csv", example.encode()), "dry_run": "on"},
    )
    rows = table_rows(response)
    assert [row[3] for row in rows] == ["École du Nord", "École du Sud"]
    response = client.post(page, {"file": SimpleUploadedFile("staff.csv", example.encode())})
    assert members(tree["north"]) == {"camille@example.org"}
    assert members(tree["south"]) == {"sam@example.org"}
    assert Membership.objects.get(user__email="sam@example.org").role == "supervisor"


def test_the_french_example_of_a_board_imports_too(client, tree):
    client.force_login(tree["supervisor"])
    page = reverse("organizations:staff_import", kwargs={"organization_id": tree["board"].pk})
    example = client.get(page).context["example"]
    assert example.splitlines()[0] == "nom;courriel;rôle;unité"
    response = client.post(page, {"file": SimpleUploadedFile("staff.csv", example.encode())})
    assert response.status_code == 200
    assert members(tree["north"]) == {"camille@example.org"}


def test_an_unknown_unit_on_the_page_lists_the_line_in_the_persons_language(client, tree):
    client.force_login(tree["supervisor"])
    page = reverse("organizations:staff_import", kwargs={"organization_id": tree["board"].pk})
    content = b"nom;courriel;unite\nA;a@example.org;Nulle part\n"
    response = client.post(page, {"file": SimpleUploadedFile("staff.csv", content)})
    assert response.status_code == 200
    assert table_rows(response)[0][0] == "2"
    assert "Nulle part" in html.unescape(table_rows(response)[0][1])
    assert not User.objects.filter(email="a@example.org").exists()


def test_a_school_without_units_shows_no_unit_column(client, tree):
    supervisor = UserFactory()
    Membership.objects.create(user=supervisor, organization=tree["south"], role="supervisor")
    client.force_login(supervisor)
    page = reverse("organizations:staff_import", kwargs={"organization_id": tree["south"].pk})
    response = client.get(page)
    assert response.context["example"].splitlines()[0] == "nom;courriel;rôle"
