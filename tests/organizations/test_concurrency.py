"""Two supervisors doing the same thing at the same moment (PostgreSQL only: SQLite runs
one writer at a time)."""

import pytest

from accounts.models import User
from courses.models import Enrollment
from organizations import services
from organizations.models import Assignment, Membership
from tests.factories import CourseFactory, UserFactory
from tests.organizations.factories import staff_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("has_account", [False, True])
def test_adding_the_same_person_at_once_makes_one_account_and_one_membership(
    has_account, org, supervisor, run_together
):
    if has_account:
        UserFactory(email="same@example.org")
    results = run_together(
        lambda index: services.member_add(
            organization=org,
            email="same@example.org",
            full_name="Same Person",
            role=None,
            language="fr",
            added_by=supervisor,
        ),
        4,
    )
    assert results.errors == []
    assert User.objects.filter(email="same@example.org").count() == 1
    assert Membership.objects.filter(user__email="same@example.org").count() == 1


def test_assigning_the_same_course_at_once_keeps_one_assignment_each(org, supervisor, run_together):
    people = [staff_of(org) for _ in range(5)]
    course = CourseFactory(lessons=1)
    results = run_together(
        lambda index: services.assignments_create(
            organization=org,
            course=course,
            learners=User.objects.filter(pk__in=[p.pk for p in people]),
            due_on=None,
            assigned_by=supervisor,
        ),
        4,
    )
    assert results.errors == []
    assert Assignment.objects.filter(course=course).count() == 5
    assert Enrollment.objects.filter(course=course).count() == 5
