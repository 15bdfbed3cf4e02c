import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from organizations import selectors
from tests.factories import AdminFactory, CourseFactory, UserFactory
from tests.organizations.factories import (
    AssignmentFactory,
    MembershipFactory,
    OrganizationFactory,
    staff_of,
    supervisor_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return CourseFactory(lessons=4)


# --- who supervises what -------------------------------------------------------------------


def test_organizations_supervised_by_lists_only_supervised_ones(org):
    supervisor = supervisor_of(org)
    MembershipFactory(user=supervisor)  # staff elsewhere
    assert list(selectors.organizations_supervised_by(supervisor)) == [org]
    assert list(selectors.organizations_supervised_by(AnonymousUser())) == []


def test_administrators_may_manage_every_organization_without_supervising(org):
    admin = AdminFactory()
    assert list(selectors.organizations_supervised_by(admin)) == []
    assert selectors.organization_get_manageable(user=admin, organization_id=org.pk) == org


def test_staff_and_other_supervisors_get_404(org):
    staff = staff_of(org)
    other = supervisor_of(OrganizationFactory())
    for user in (staff, other):
        with pytest.raises(Http404):
            selectors.organization_get_manageable(user=user, organization_id=org.pk)


def test_issuing_organization_is_the_one_that_assigned_the_course(course):
    first, second = OrganizationFactory(), OrganizationFactory()
    learner = staff_of(first)
    MembershipFactory(user=learner, organization=second)
    AssignmentFactory(organization=second, learner=learner, course=course)
    assert selectors.issuing_organization_for(user=learner, course=course) == second


def test_issuing_organization_falls_back_to_the_first_membership(course):
    first, second = OrganizationFactory(), OrganizationFactory()
    learner = UserFactory()
    MembershipFactory(user=learner, organization=first)
    MembershipFactory(user=learner, organization=second)
    assert selectors.issuing_organization_for(user=learner, course=course) == first
    assert selectors.issuing_organization_for(user=UserFactory(), course=course) is None


def test_an_assignment_from_an_organization_one_left_is_not_the_issuer(course):
    left, current = OrganizationFactory(), OrganizationFactory()
    learner = staff_of(current)
    AssignmentFactory(organization=left, learner=learner, course=course)
    assert selectors.issuing_organization_for(user=learner, course=course) == current


def test_members_are_listed_as_a_french_reader_sorts_names(org):
    """ "Éloïse Côté" before "Thomas Nguyen", "élodie" beside "Emma" (accounts.names)."""
    expected = ["Aubé, Éric", "élodie Martin", "Éloïse Côté", "Emma Roy", "Thomas Nguyen"]
    for name in reversed(expected):
        staff_of(org, full_name=name)
    members = selectors.members_of(organization=org)
    assert [m.user.full_name for m in members] == expected


def test_members_of_counts_assigned_courses_and_searches(org, course):
    alice = staff_of(org, full_name="Alice")
    staff_of(org, full_name="Bruno")
    AssignmentFactory(organization=org, learner=alice, course=course)
    AssignmentFactory(organization=OrganizationFactory(), learner=alice, course=course)
    members = list(selectors.members_of(organization=org))
    assert [(m.user.full_name, m.assigned_count) for m in members] == [("Alice", 1), ("Bruno", 0)]
    assert [m.user.full_name for m in selectors.members_of(organization=org, search="bru")] == [
        "Bruno"
    ]


# --- the navigation's link to the supervisors' pages ----------------------------------------


def _with_permission(user, *, through_group: bool):
    from django.contrib.auth.models import Group, Permission

    permission = Permission.objects.get(
        codename="view_every_organization", content_type__app_label="organizations"
    )
    if through_group:
        group = Group.objects.create(name="Overseers")
        group.permissions.add(permission)
        user.groups.add(group)
    else:
        user.user_permissions.add(permission)
    return user


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("learner", False),
        ("staff_member", False),
        ("supervisor", True),
        ("permission", True),
        ("group_permission", True),
        ("other_permission_only", False),
        ("superuser", True),
        ("anonymous", False),
    ],
)
def test_the_supervision_link_is_shown_to_supervisors_and_to_those_who_see_every_organization(
    org, who, expected, django_assert_num_queries
):
    """One query answers what `can_see_every_organization or user_supervises_any` answers
    (three queries), for each way of being one or the other."""
    from django.contrib.auth.models import Permission

    user = {
        "learner": lambda: UserFactory(),
        "staff_member": lambda: staff_of(org),
        "supervisor": lambda: supervisor_of(org),
        "permission": lambda: _with_permission(UserFactory(), through_group=False),
        "group_permission": lambda: _with_permission(UserFactory(), through_group=True),
        "other_permission_only": lambda: UserFactory(),
        "superuser": lambda: AdminFactory(),
        "anonymous": lambda: AnonymousUser(),
    }[who]()
    if who == "other_permission_only":
        user.user_permissions.add(Permission.objects.get(codename="view_organization"))
    fresh = user if who == "anonymous" else type(user).objects.get(pk=user.pk)
    queries = 0 if who in ("anonymous", "superuser") else 1
    with django_assert_num_queries(queries):
        assert selectors.sees_supervision_pages(fresh) is expected
    assert (
        bool(selectors.can_see_every_organization(user) or selectors.user_supervises_any(user))
        is expected
    )
