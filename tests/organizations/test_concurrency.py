"""Two supervisors doing the same thing at the same moment (PostgreSQL only: SQLite runs
one writer at a time)."""

import threading

import pytest
from django.db import connection

from accounts.models import User
from courses.models import Enrollment
from organizations import services
from organizations.models import Assignment, Membership
from tests.factories import CourseFactory, UserFactory
from tests.organizations.factories import OrganizationFactory, staff_of, supervisor_of

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]


def at_once(function, times=4):
    barrier = threading.Barrier(times)
    errors = []

    def run():
        try:
            barrier.wait()
            function()
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.parametrize("has_account", [False, True])
def test_adding_the_same_person_at_once_makes_one_account_and_one_membership(has_account):
    org = OrganizationFactory()
    if has_account:
        UserFactory(email="same@example.org")
    supervisor = supervisor_of(org)
    errors = at_once(
        lambda: services.member_add(
            organization=org,
            email="same@example.org",
            full_name="Same Person",
            role=None,
            language="fr",
            added_by=supervisor,
        )
    )
    assert errors == []
    assert User.objects.filter(email="same@example.org").count() == 1
    assert Membership.objects.filter(user__email="same@example.org").count() == 1


def test_assigning_the_same_course_at_once_keeps_one_assignment_each():
    org = OrganizationFactory()
    supervisor = supervisor_of(org)
    people = [staff_of(org) for _ in range(5)]
    course = CourseFactory(lessons=1)
    errors = at_once(
        lambda: services.assignments_create(
            organization=org,
            course=course,
            learners=User.objects.filter(pk__in=[p.pk for p in people]),
            due_on=None,
            assigned_by=supervisor,
        )
    )
    assert errors == []
    assert Assignment.objects.filter(course=course).count() == 5
    assert Enrollment.objects.filter(course=course).count() == 5
