"""Two supervisors doing the same thing at the same moment (PostgreSQL only: SQLite runs
one writer at a time)."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from accounts.models import User
from courses.models import Enrollment
from organizations import services
from organizations.models import Assignment, AuditEvent, Invitation, Membership
from tests.factories import CourseFactory, UserFactory
from tests.organizations.factories import staff_of, supervisor_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Transactional tests leave the database cache (and its throttle counts) behind."""
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("has_account", [False, True])
def test_adding_the_same_person_at_once_makes_one_membership_or_one_invitation(
    has_account, org, supervisor, run_together
):
    """A new address: one account, a member. An address that had an account: one pending
    invitation (the partial unique constraint decides), and no membership until it is
    accepted. Four at once are one more than the hourly allowance of an address: the one
    counted last may be refused for that, never for anything else."""
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
    assert [getattr(error, "code", error) for error in results.errors] in ([], ["too_many"])
    assert User.objects.filter(email="same@example.org").count() == 1
    members = Membership.objects.filter(user__email="same@example.org").count()
    invitations = Invitation.objects.filter(email="same@example.org", state="pending").count()
    assert (members, invitations) == ((0, 1) if has_account else (1, 0))


def test_two_supervisors_demoting_each_other_at_once_leave_one_supervisor(
    org, supervisor, run_together
):
    first, second = supervisor, supervisor_of(org)
    memberships = {m.user_id: m for m in Membership.objects.filter(organization=org)}
    pairs = [(first, second), (second, first)]

    def demote(index):
        actor, target = pairs[index]
        services.membership_change_role(membership=memberships[target.pk], role="staff", by=actor)

    results = run_together(demote, 2)
    assert Membership.objects.filter(organization=org, role="supervisor").count() == 1
    assert [error.messages for error in results.errors] == [[str(services.ERROR_LAST_SUPERVISOR)]]
    assert AuditEvent.objects.filter(kind="role_changed").count() == 1


def test_accepting_the_same_invitation_at_once_makes_one_membership(org, supervisor, run_together):
    person = UserFactory(email="invited@example.org")
    services.member_add(
        organization=org, email=person.email, full_name="Invited", role=None,
        language="fr", added_by=supervisor, notify=False,
    )  # fmt: skip
    invitation = Invitation.objects.get()
    results = run_together(
        lambda index: services.invitation_accept(invitation=invitation, user=person), 4
    )
    assert all(isinstance(error, ValidationError) for error in results.errors), results
    assert Membership.objects.filter(user=person, organization=org).count() == 1
    assert AuditEvent.objects.filter(kind="invitation_accepted").count() == 1


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
