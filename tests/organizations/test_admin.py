import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses.models import Enrollment
from organizations.models import Assignment, Membership
from tests.factories import CourseFactory, UserFactory
from tests.organizations.factories import (
    AssignmentFactory,
    OrganizationFactory,
    staff_of,
    supervisor_of,
)

pytestmark = pytest.mark.django_db


def change_url(org):
    return reverse("admin:organizations_organization_change", args=[org.pk])


def inline_data(org, memberships=(), assignments=(), new_assignments=()):
    data = {
        "name": org.name,
        "kind": org.kind,
        "province": org.province,
        "memberships-TOTAL_FORMS": len(memberships),
        "memberships-INITIAL_FORMS": len(memberships),
        "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000,
        "assignments-TOTAL_FORMS": len(assignments) + len(new_assignments),
        "assignments-INITIAL_FORMS": len(assignments),
        "assignments-MIN_NUM_FORMS": 0,
        "assignments-MAX_NUM_FORMS": 1000,
    }
    for i, membership in enumerate(memberships):
        data.update(
            {
                f"memberships-{i}-id": membership.pk,
                f"memberships-{i}-organization": org.pk,
                f"memberships-{i}-user": membership.user_id,
                f"memberships-{i}-role": membership.role,
            }
        )
    for i, assignment in enumerate(assignments):
        data.update(
            {
                f"assignments-{i}-id": assignment.pk,
                f"assignments-{i}-organization": org.pk,
                f"assignments-{i}-learner": assignment.learner_id,
                f"assignments-{i}-course": assignment.course_id,
                f"assignments-{i}-due_on": "",
            }
        )
    for j, (learner, course) in enumerate(new_assignments, start=len(assignments)):
        data.update(
            {
                f"assignments-{j}-organization": org.pk,
                f"assignments-{j}-learner": learner.pk,
                f"assignments-{j}-course": course.pk,
                f"assignments-{j}-due_on": "2030-06-30",
            }
        )
    return data


def test_organization_list_searches_and_filters(admin_client):
    OrganizationFactory(name="Refuge Le Phare", kind="shelter", province="QC")
    OrganizationFactory(name="École des Pins", kind="school", province="ON")
    url = reverse("admin:organizations_organization_changelist")
    page = admin_client.get(url, {"kind__exact": "school"}).content.decode()
    assert "École des Pins" in page
    assert "Refuge Le Phare" not in page
    page = admin_client.get(url, {"q": "phare"}).content.decode()
    assert "Refuge Le Phare" in page


def test_organization_page_shows_members_and_assignments(admin_client):
    org = OrganizationFactory()
    member = staff_of(org, full_name="Alice Arsenault")
    AssignmentFactory(
        organization=org, learner=member, course=CourseFactory(title_fr="Reconnaître")
    )
    page = admin_client.get(change_url(org)).content.decode()
    assert "Alice Arsenault" in page
    assert "Reconnaître" in page


def test_organization_page_queries_do_not_grow_with_members(admin_client):
    org = OrganizationFactory()
    course = CourseFactory()

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(change_url(org)).status_code == 200
        return len(queries)

    def add(n):
        for _ in range(n):
            AssignmentFactory(organization=org, learner=staff_of(org), course=course)

    add(3)
    small = count()
    add(30)
    assert count() == small


def test_assigning_in_the_admin_enrolls_the_learner(admin_client):
    org = OrganizationFactory()
    member = staff_of(org)
    course = CourseFactory(lessons=1)
    memberships = list(Membership.objects.filter(organization=org))
    response = admin_client.post(
        change_url(org), inline_data(org, memberships, new_assignments=[(member, course)])
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(learner=member)
    assert str(assignment.due_on) == "2030-06-30"
    assert Enrollment.objects.filter(learner=member, course=course).exists()


def test_assigning_a_non_member_in_the_admin_is_a_form_error(admin_client):
    org = OrganizationFactory()
    supervisor_of(org)
    stranger = UserFactory()
    course = CourseFactory(lessons=1)
    memberships = list(Membership.objects.filter(organization=org))
    response = admin_client.post(
        change_url(org), inline_data(org, memberships, new_assignments=[(stranger, course)])
    )
    assert response.status_code == 200
    assert not Assignment.objects.exists()


def test_admin_assignment_add_page_enrolls_too(admin_client):
    org = OrganizationFactory()
    member = staff_of(org)
    course = CourseFactory(lessons=1)
    response = admin_client.post(
        reverse("admin:organizations_assignment_add"),
        {"organization": org.pk, "learner": member.pk, "course": course.pk, "due_on": ""},
    )
    assert response.status_code == 302
    assert Enrollment.objects.filter(learner=member, course=course).exists()


# --- the audit log of an administrator's changes ----------------------------------------------


def test_an_administrators_role_change_in_the_inline_is_recorded(admin_client, admin_user):
    from organizations.models import AuditEvent

    org = OrganizationFactory()
    member = staff_of(org)
    membership = Membership.objects.get(user=member)
    membership.role = "supervisor"
    data = inline_data(org, memberships=[membership])
    response = admin_client.post(change_url(org), data)
    assert response.status_code == 302
    event = AuditEvent.objects.get()
    assert (event.kind, event.actor, event.subject, event.by_administrator) == (
        "role_changed",
        admin_user,
        member,
        True,
    )
    assert (event.before, event.after) == ({"role": "staff"}, {"role": "supervisor"})


def test_an_administrator_deleting_a_membership_is_recorded(admin_client, admin_user):
    from organizations.models import AuditEvent

    org = OrganizationFactory()
    member = staff_of(org)
    membership = Membership.objects.get(user=member)
    url = reverse("admin:organizations_membership_delete", args=[membership.pk])
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    event = AuditEvent.objects.get()
    assert (event.kind, event.subject, event.by_administrator) == ("member_removed", member, True)


def test_the_audit_log_is_read_only_in_the_admin(admin_client):
    from organizations.models import AuditEvent

    org = OrganizationFactory()
    event = AuditEvent.objects.create(kind="role_changed", organization=org)
    assert admin_client.get(reverse("admin:organizations_auditevent_changelist")).status_code == 200
    change = reverse("admin:organizations_auditevent_change", args=[event.pk])
    assert admin_client.post(change, {"kind": "member_left"}).status_code == 403
    delete = reverse("admin:organizations_auditevent_delete", args=[event.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get().kind == "role_changed"


def test_an_organization_name_with_a_line_break_is_refused_in_the_admin(admin_client):
    data = inline_data(OrganizationFactory(name="Refuge"))
    data["name"] = "Refuge\nhttps://evil.example/"
    org_url = change_url(OrganizationFactory())
    response = admin_client.post(org_url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"]
