"""Assigning a course at a unit: to everyone in it and in the units below it, each
assignment in the unit where the person is a member."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from courses.models import Enrollment
from organizations import services
from organizations.models import Assignment, Invitation
from organizations.tasks import assignment_emails_enqueue
from tests.factories import CourseFactory, UserFactory
from tests.organizations.factories import MembershipFactory, bulk_staff, staff_of

pytestmark = pytest.mark.django_db

DUE = datetime.date(2027, 3, 1)


@pytest.fixture
def course():
    return CourseFactory(lessons=1, title_fr="Reconnaître", title_en="Recognising")


def assign_in_units(unit, course, due_on=DUE, by=None):
    return services.assignments_create_in_units(
        organization=unit, course=course, due_on=due_on, assigned_by=by
    )


def assignments(course):
    return {
        (a.organization.name, a.learner.email)
        for a in Assignment.objects.filter(course=course).select_related("organization", "learner")
    }


def test_each_person_is_assigned_in_the_unit_where_they_are_a_member(tree, course):
    north = staff_of(tree["north"], email="north@example.org")
    night = staff_of(tree["team"], email="night@example.org")
    south = staff_of(tree["south"], email="south@example.org")
    staff_of(tree["namesake"], email="elsewhere@example.org")  # another board
    report = assign_in_units(tree["board"], course)
    assert assignments(course) == {
        ("Conseil scolaire", tree["supervisor"].email),
        ("École du Nord", north.email),
        ("Équipe de nuit", night.email),
        ("École du Sud", south.email),
    }
    assert (report.created, report.updated) == (4, 0)
    assert [(unit.name, unit.count) for unit in report.units] == [
        ("Conseil scolaire", 1),
        ("École du Nord", 1),
        ("École du Sud", 1),
        ("Équipe de nuit", 1),
    ]
    assert Enrollment.objects.filter(course=course).count() == 4
    assert set(Assignment.objects.values_list("due_on", flat=True)) == {DUE}


def test_a_school_assigns_only_to_its_own_tree_not_to_the_board_or_a_sibling(tree, course):
    staff_of(tree["north"], email="north@example.org")
    staff_of(tree["team"], email="night@example.org")
    staff_of(tree["south"], email="south@example.org")
    assign_in_units(tree["north"], course)
    assert assignments(course) == {
        ("École du Nord", "north@example.org"),
        ("Équipe de nuit", "night@example.org"),
    }


def test_a_member_of_two_units_is_assigned_once_in_each(tree, course):
    person = staff_of(tree["north"], email="both@example.org")
    MembershipFactory(user=person, organization=tree["south"])
    report = assign_in_units(tree["board"], course)
    assert {("École du Nord", person.email), ("École du Sud", person.email)} <= assignments(course)
    assert Enrollment.objects.filter(course=course, learner=person).count() == 1
    assert report.total == 3


def test_pending_invitations_are_never_assigned(tree, course):
    invited = UserFactory(email="invited@example.org")
    Invitation.objects.create(
        organization=tree["south"], email=invited.email, full_name="Invitée", role="staff"
    )
    assign_in_units(tree["board"], course)
    assert not Assignment.objects.filter(learner=invited).exists()


def test_assigning_again_emails_only_those_whose_date_changed(tree, course):
    staff_of(tree["north"], email="north@example.org")
    assign_in_units(tree["board"], course)
    assert sorted(message.to[0] for message in mail.outbox) == [
        "north@example.org",
        tree["supervisor"].email,
    ]
    assert all("Conseil scolaire" in message.body for message in mail.outbox)
    assign_in_units(tree["board"], course)
    assert len(mail.outbox) == 2
    staff_of(tree["south"], email="south@example.org")
    report = assign_in_units(tree["board"], course, due_on=datetime.date(2027, 4, 1))
    assert (report.created, report.updated) == (1, 2)
    assert len(mail.outbox) == 5  # the newcomer's assignment, two new dates


def test_a_tree_without_anyone_is_refused(tree, course):
    tree["supervisor"].memberships.all().delete()
    with pytest.raises(ValidationError) as error:
        assign_in_units(tree["board"], course)
    assert error.value.messages == [str(services.ERROR_NOBODY)]


def test_the_emails_of_every_unit_are_enqueued_by_one_task(tree, course, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for unit in ("north", "south", "team"):
        staff_of(tree[unit])
    assign_in_units(tree["board"], course)
    fan_out = DBTaskResult.objects.get(task_path="organizations.tasks.assignment_emails_enqueue")
    assert fan_out.args_kwargs["kwargs"]["with_units"] is True
    assert assignment_emails_enqueue.call(**fan_out.args_kwargs["kwargs"]) == 4


def test_assigning_over_many_units_and_people_takes_as_many_queries_as_over_few(
    tree, course, django_assert_num_queries, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    other_course = CourseFactory(lessons=1)
    bulk_staff(tree["north"], 2, "few")
    with CaptureQueriesContext(connection) as few:
        assign_in_units(tree["board"], other_course)
    from tests.organizations.factories import OrganizationFactory

    schools = [OrganizationFactory(parent=tree["south"]) for _ in range(20)]
    for index, school in enumerate(schools):
        bulk_staff(school, 60, f"s{index}-")
    analyze = 1 if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(len(few) + analyze):
        report = assign_in_units(tree["board"], course)
    assert report.created == 1 + 2 + 20 * 60
    assert len(report.units) == 22


def test_the_assign_page_of_a_board_offers_its_units_by_default(client, tree, course):
    staff_of(tree["north"], email="north@example.org")
    staff_of(tree["south"], email="south@example.org")
    client.force_login(tree["supervisor"])
    with translation.override("en"):
        page = reverse("organizations:assign", kwargs={"organization_id": tree["board"].pk})
    response = client.get(page)
    assert response.context["form"].fields["scope"].initial == "units"
    assert "Everyone in this unit and the units below it" in response.content.decode()
    response = client.post(
        page, {"course": course.pk, "scope": "units", "due_on": "2027-03-01"}, follow=True
    )
    text = response.content.decode()
    assert "is assigned to 3 people" in text
    assert "École du Nord (1 person)" in text
    assert "École du Sud (1 person)" in text
    assert Assignment.objects.filter(organization=tree["south"]).count() == 1


def test_the_assign_page_of_a_board_can_assign_to_its_own_members_only(client, tree, course):
    staff_of(tree["north"])
    client.force_login(tree["supervisor"])
    page = reverse("organizations:assign", kwargs={"organization_id": tree["board"].pk})
    client.post(page, {"course": course.pk, "scope": "everyone"})
    assert list(Assignment.objects.values_list("organization__name", flat=True)) == [
        "Conseil scolaire"
    ]


def test_a_unit_without_units_below_offers_no_unit_choice(client, tree, course):
    supervisor = staff_of(tree["south"])
    supervisor.memberships.update(role="supervisor")
    client.force_login(supervisor)
    page = reverse("organizations:assign", kwargs={"organization_id": tree["south"].pk})
    form = client.get(page).context["form"]
    assert [value for value, _label in form.fields["scope"].choices] == ["everyone"]
    response = client.post(page, {"course": course.pk, "scope": "units"})
    assert response.status_code == 200
    assert "scope" in response.context["form"].errors
    assert not Assignment.objects.exists()
