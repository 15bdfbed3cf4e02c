import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from courses.models import Enrollment
from organizations import services
from organizations.csv_import import CsvImportError, StaffRow, parse_staff_csv
from organizations.models import Assignment, AuditEvent, Invitation, Membership
from tests.factories import PASSWORD, CourseFactory, UserFactory
from tests.organizations.factories import (
    AssignmentFactory,
    MembershipFactory,
    OrganizationFactory,
    bulk_staff,
    staff_of,
)

pytestmark = pytest.mark.django_db


def add(org, supervisor, **overrides):
    values = {
        "organization": org,
        "email": "Nouvelle@Example.org",
        "full_name": "Nadia Nouvelle",
        "role": None,
        "language": "fr",
        "added_by": supervisor,
    }
    values.update(overrides)
    return services.member_add(**values)


# --- adding one person ----------------------------------------------------------------------


def test_adding_a_new_person_creates_an_account_without_password_and_invites_them(
    org, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = add(org, supervisor)
    user = User.objects.get(email="nouvelle@example.org")
    assert result.outcome == services.Outcome.INVITED
    assert not user.has_usable_password()
    assert user.workplace == "shelter"  # their quizzes show shelter situations
    # A new account is a member from the start: the supervisor typed its name.
    assert Membership.objects.get(user=user, organization=org).role == Membership.Role.STAFF
    event = AuditEvent.objects.get(subject=user)
    assert (event.kind, event.actor, event.organization) == ("member_created", supervisor, org)
    (message,) = mail.outbox
    assert message.to == ["nouvelle@example.org"]
    assert "Refuge Le Phare" in message.subject
    assert "/fr/accounts/reset/" in message.body


def test_the_invitation_link_lets_the_person_choose_a_password_and_log_in(
    client, org, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add(org, supervisor)
    link = re.search(r"http://\S+/accounts/reset/\S+", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    new_password = "un-mot-de-passe-tres-long-42"
    response = client.post(form_url, {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    assert User.objects.get(email="nouvelle@example.org").check_password(new_password)


def test_the_invitation_is_in_the_persons_language(
    org, supervisor, django_capture_on_commit_callbacks
):
    UserFactory(email="existing@example.org", preferred_language="en")
    with django_capture_on_commit_callbacks(execute=True):
        add(org, supervisor, email="existing@example.org", language="fr")
        add(org, supervisor, email="new@example.org", language="en")
    existing, new = mail.outbox
    assert "invites you to join" in existing.subject
    assert "accept or decline" in existing.body.lower()
    assert "/en/organizations/mine/" in existing.body
    assert "/accounts/reset/" not in existing.body  # they have a password already
    assert "You have been added" in new.subject
    assert "/en/accounts/reset/" in new.body


def test_adding_someone_with_an_account_only_invites_them(
    org, supervisor, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="existing@example.org", full_name="Their Own Name")
    with django_capture_on_commit_callbacks(execute=True):
        result = add(org, supervisor, email="EXISTING@example.org", full_name="Other")
    existing.refresh_from_db()
    assert result.outcome == services.Outcome.INVITED  # the same word as for a new account
    assert not Membership.objects.filter(user=existing, organization=org).exists()
    invitation = Invitation.objects.get(organization=org)
    assert (invitation.email, invitation.full_name, invitation.state) == (
        "existing@example.org",
        "Other",
        "pending",
    )
    assert existing.full_name == "Their Own Name"
    assert existing.check_password(PASSWORD)
    assert User.objects.filter(email__iexact="existing@example.org").count() == 1


def test_adding_a_member_again_changes_nothing_and_sends_nothing(
    org, supervisor, django_capture_on_commit_callbacks
):
    member = staff_of(org, email="member@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        result = add(org, supervisor, email="member@example.org")
    assert result.outcome == services.Outcome.UNCHANGED
    assert Membership.objects.filter(user=member).count() == 1
    assert mail.outbox == []


def test_adding_again_someone_who_never_chose_a_password_resends_the_invitation(
    org, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add(org, supervisor)
        result = add(org, supervisor)
    assert result.outcome == services.Outcome.UNCHANGED
    assert result.invitation_sent
    assert len(mail.outbox) == 2


def test_adding_a_member_with_a_role_changes_it(org, supervisor):
    member = staff_of(org, email="member@example.org")
    result = add(org, supervisor, email="member@example.org", role=Membership.Role.SUPERVISOR)
    assert result.outcome == services.Outcome.ROLE_CHANGED
    assert Membership.objects.get(user=member).role == Membership.Role.SUPERVISOR


def test_a_supervisor_cannot_change_their_own_role(org, supervisor):
    with pytest.raises(ValidationError) as error:
        add(org, supervisor, email=supervisor.email, role=Membership.Role.STAFF)
    assert error.value.messages == [str(services.ERROR_OWN_ROLE)]
    assert Membership.objects.get(user=supervisor).role == Membership.Role.SUPERVISOR


def test_a_person_can_belong_to_several_organizations_once_they_accept(org, supervisor):
    other = OrganizationFactory()
    member = staff_of(other, email="member@example.org")
    add(org, supervisor, email="member@example.org")
    assert set(member.memberships.values_list("organization_id", flat=True)) == {other.pk}
    services.invitation_accept(invitation=Invitation.objects.get(organization=org), user=member)
    assert set(member.memberships.values_list("organization_id", flat=True)) == {org.pk, other.pk}


# --- importing a list -------------------------------------------------------------------------


def rows(*people):
    return [
        StaffRow(line=index + 2, full_name=name, email=email, role=role, language=None)
        for index, (name, email, role) in enumerate(people)
    ]


FILE = rows(
    ("Alice Arsenault", "alice@example.org", None),
    ("Bruno Bélanger", "bruno@example.org", "supervisor"),
    ("Chloé Côté", "chloe@example.org", None),
)


def imported(org, supervisor, people=FILE, **kwargs):
    return services.staff_import(
        organization=org, rows=people, language="fr", added_by=supervisor, **kwargs
    )


def test_importing_creates_accounts_and_memberships_and_invites_each_once(
    org, supervisor, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="chloe@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        report = imported(org, supervisor)
    assert (report.invited, report.pending, report.unchanged) == (3, 0, 0)
    roles = dict(Membership.objects.filter(organization=org).values_list("user__email", "role"))
    assert roles == {
        supervisor.email: "supervisor",
        "alice@example.org": "staff",
        "bruno@example.org": "supervisor",
    }
    # The account that existed is invited, not added.
    assert Invitation.objects.get(organization=org).email == "chloe@example.org"
    assert existing.check_password(PASSWORD)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "alice@example.org",
        "bruno@example.org",
        "chloe@example.org",
    ]


def test_importing_the_same_file_again_changes_nothing(
    org, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        imported(org, supervisor)
    users = list(User.objects.order_by("pk").values())
    memberships = list(Membership.objects.order_by("pk").values())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = imported(org, supervisor)
    # Nobody has signed in yet: each is still an unanswered invitation, sent once.
    assert report.pending == 3
    assert list(User.objects.order_by("pk").values()) == users
    assert list(Membership.objects.order_by("pk").values()) == memberships
    assert mail.outbox == []


def test_a_dry_run_reports_and_writes_nothing(org, supervisor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = imported(org, supervisor, dry_run=True)
    assert report.invited == 3
    assert {str(row.outcome_label) for row in report.rows} == {"Une invitation serait envoyée"}
    assert not User.objects.filter(email="alice@example.org").exists()
    assert mail.outbox == []


def test_an_import_that_would_change_the_importers_own_role_imports_nothing(org, supervisor):
    people = FILE + rows(("Me", supervisor.email, "staff"))
    with pytest.raises(CsvImportError) as error:
        imported(org, supervisor, people=people)
    assert [(e.line, e.message) for e in error.value.errors] == [(2, str(services.ERROR_OWN_ROLE))]
    assert not User.objects.filter(email="alice@example.org").exists()


# 308 characters: the e-mail check allows up to 320, the account's field holds 254.
TOO_LONG_FOR_AN_ACCOUNT = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".org"


def test_a_row_whose_new_account_is_invalid_refuses_the_whole_import(org, supervisor):
    people = parse_staff_csv(
        b"name,email\n"
        b"Alice Arsenault,alice@example.org\n"
        b"Long Address," + TOO_LONG_FOR_AN_ACCOUNT.encode() + b"\n"
        b"Chlo\xc3\xa9 C\xc3\xb4t\xc3\xa9,chloe@example.org\n"
    )
    assert len(people) == 3  # the file's own checks let the address through
    with pytest.raises(CsvImportError) as error:
        imported(org, supervisor, people=people)
    assert [e.line for e in error.value.errors] == [3]
    assert not User.objects.exclude(pk=supervisor.pk).exists()
    assert Membership.objects.filter(organization=org).count() == 1


def test_imported_people_get_the_language_of_the_file_or_of_the_importer(org, supervisor):
    people = [
        StaffRow(line=2, full_name="Anglo", email="en@example.org", role=None, language="en"),
        StaffRow(line=3, full_name="Franco", email="fr@example.org", role=None, language=None),
    ]
    imported(org, supervisor, people=people)
    assert dict(User.objects.values_list("email", "preferred_language"))["en@example.org"] == "en"
    assert dict(User.objects.values_list("email", "preferred_language"))["fr@example.org"] == "fr"


def test_import_queries_do_not_grow_with_the_number_of_people(
    org, supervisor, django_assert_max_num_queries, settings
):
    # The invitations are queued for the worker (the database backend, as in production),
    # not sent inside the import as the tests' immediate backend would.
    # Their rows add a few statements: SQLite takes 71 per INSERT; one task row.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    people = rows(*[(f"Person {n}", f"p{n}@example.org", None) for n in range(300)])
    with django_assert_max_num_queries(16 + 5 + 1):
        imported(org, supervisor, people=people)
    assert Membership.objects.filter(organization=org).count() == 301


# --- assigning a course --------------------------------------------------------------------------


def assign(org, learners, course, due_on=None, by=None):
    return services.assignments_create(
        organization=org,
        course=course,
        learners=User.objects.filter(pk__in=[learner.pk for learner in learners]),
        due_on=due_on,
        assigned_by=by,
    )


def test_assigning_a_course_enrolls_each_person(org, supervisor):
    course = CourseFactory(lessons=1)
    people = [staff_of(org) for _ in range(3)]
    report = assign(org, people, course, due_on=datetime.date(2025, 9, 1), by=supervisor)
    assert (report.created, report.updated) == (3, 0)
    assert Enrollment.objects.filter(course=course).count() == 3
    assert set(Assignment.objects.values_list("due_on", flat=True)) == {datetime.date(2025, 9, 1)}


def test_assigning_again_updates_the_due_date_and_keeps_one_assignment(org, supervisor):
    course = CourseFactory(lessons=1)
    person = staff_of(org)
    assign(org, [person], course, due_on=datetime.date(2025, 9, 1))
    report = assign(org, [person], course, due_on=datetime.date(2025, 10, 1), by=supervisor)
    assert (report.created, report.updated) == (0, 1)
    assignment = Assignment.objects.get()
    assert assignment.due_on == datetime.date(2025, 10, 1)
    assert assignment.assigned_by == supervisor
    assert Enrollment.objects.filter(learner=person, course=course).count() == 1


def test_assigning_to_someone_outside_the_organization_saves_nothing(org):
    course = CourseFactory(lessons=1)
    member, stranger = staff_of(org), UserFactory()
    with pytest.raises(ValidationError) as error:
        assign(org, [member, stranger], course)
    assert error.value.messages == [str(services.ERROR_NOT_MEMBERS)]
    assert not Assignment.objects.exists()
    assert not Enrollment.objects.exists()


def test_an_unpublished_course_cannot_be_assigned(org):
    course = CourseFactory(lessons=1, is_published=False)
    with pytest.raises(ValidationError):
        assign(org, [staff_of(org)], course)
    assert not Assignment.objects.exists()


def test_the_same_course_can_be_assigned_by_two_organizations(org):
    course = CourseFactory(lessons=1)
    other = OrganizationFactory()
    person = staff_of(org)
    MembershipFactory(user=person, organization=other)
    assign(org, [person], course)
    assign(other, [person], course)
    assert Assignment.objects.filter(learner=person).count() == 2
    assert Enrollment.objects.filter(learner=person).count() == 1


def test_an_existing_enrollment_is_kept_with_its_progress(org):
    course = CourseFactory(lessons=1)
    person = staff_of(org)
    AssignmentFactory(organization=org, learner=person, course=course)
    enrollment = Enrollment.objects.create(learner=person, course=course, cycle=3)
    assign(org, [person], course)
    assert Enrollment.objects.get(learner=person).pk == enrollment.pk
    assert Enrollment.objects.get(learner=person).cycle == 3


def _many_staff(org, count):
    bulk_staff(org, count, f"bulk{org.pk}-")
    return User.objects.filter(memberships__organization=org, memberships__role="staff")


def test_assigning_ten_thousand_people_takes_as_many_queries_as_ten_and_twice_changes_nothing(
    org, django_assert_num_queries, settings
):
    # The e-mails are queued for the worker (the database backend, as in production), not
    # sent inside the request as the tests' immediate backend would.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    course = CourseFactory(lessons=1)
    few_org = OrganizationFactory()
    few = _many_staff(few_org, 10)
    with CaptureQueriesContext(connection) as ten:
        services.assignments_create(
            organization=few_org, course=course, learners=few, due_on=None, assigned_by=None
        )
    learners = _many_staff(org, 10_000)
    # The same statements for 10,000 people as for ten: none per person; on PostgreSQL one
    # more, the ANALYZE that follows a refresh of the dashboard summary's 1,000 rows or more
    # (supervision.summary.ANALYZE_AFTER_ROWS), once whatever the number past it.
    analyze = 1 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(len(ten) + analyze):
        report = services.assignments_create(
            organization=org, course=course, learners=learners, due_on=None, assigned_by=None
        )
    assert (report.created, report.updated) == (10_000, 0)
    again = services.assignments_create(
        organization=org,
        course=course,
        learners=learners,
        due_on=datetime.date(2027, 1, 15),
        assigned_by=None,
    )
    assert (again.created, again.updated) == (0, 10_000)
    assert Enrollment.objects.filter(course=course).count() == 10_010
    assert Assignment.objects.filter(
        organization=org, due_on=datetime.date(2027, 1, 15)
    ).count() == (10_000)
