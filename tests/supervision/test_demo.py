from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.models import User
from certificates.models import Certificate
from organizations import services
from organizations.models import Assignment, AuditEvent, Invitation, Membership, Organization
from supervision import selectors
from supervision.demo import ORGANIZATION_NAME
from supervision.selectors import Status
from tests.factories import CourseFactory
from tests.quizzes.factories import quiz_with_questions

pytestmark = pytest.mark.django_db


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_organization_has_a_supervisor_and_staff_at_each_stage():
    course = CourseFactory(lessons=4)
    quiz_with_questions(3, module=course.modules.first())
    output = seed()
    organization = Organization.objects.get(name=ORGANIZATION_NAME)
    assert organization.kind == "shelter"
    assert organization.province == "QC"
    supervisor = User.objects.get(email="supervisor@example.org")
    assert Membership.objects.get(user=supervisor).role == Membership.Role.SUPERVISOR
    assert "supervisor@example.org" in output.split("shown once:")[1]
    statuses = {
        row["learner_email"]: Status.at(row["status_rank"])
        for row in selectors.dashboard_rows(organization=organization)
    }
    assert statuses == {
        "staff.notstarted@example.org": Status.NOT_STARTED,
        "staff.inprogress@example.org": Status.IN_PROGRESS,
        "staff.completed@example.org": Status.COMPLETED,
        "staff.overdue@example.org": Status.OVERDUE,
        "learner@example.org": Status.IN_PROGRESS,
    }
    (completed,) = [
        row
        for row in selectors.dashboard_rows(organization=organization)
        if Status.at(row["status_rank"]) == Status.COMPLETED
    ]
    assert completed["best_score"] == 100
    assert Certificate.objects.filter(
        holder__email="staff.completed@example.org", revoked_at__isnull=True
    ).exists()
    assert mail.outbox == []  # sample people are not e-mailed


def test_seeding_again_changes_nothing_and_prints_no_password():
    CourseFactory(lessons=4)
    seed()
    before = (
        list(User.objects.order_by("pk").values("pk", "password")),
        list(Membership.objects.order_by("pk").values()),
        list(Assignment.objects.order_by("pk").values()),
        list(Invitation.objects.order_by("pk").values()),
        list(AuditEvent.objects.order_by("pk").values()),
    )
    output = seed()
    after = (
        list(User.objects.order_by("pk").values("pk", "password")),
        list(Membership.objects.order_by("pk").values()),
        list(Assignment.objects.order_by("pk").values()),
        list(Invitation.objects.order_by("pk").values()),
        list(AuditEvent.objects.order_by("pk").values()),
    )
    assert after == before
    assert "shown once" not in output


def test_without_a_course_the_demo_organization_has_no_assignments():
    output = seed()
    assert Organization.objects.filter(name=ORGANIZATION_NAME).exists()
    assert not Assignment.objects.exists()
    assert "no published course" in output


def test_the_demo_learner_agreed_to_join_and_the_supervisor_sees_their_progress(client):
    CourseFactory(lessons=4)
    seed()
    organization = Organization.objects.get(name=ORGANIZATION_NAME)
    learner = User.objects.get(email="learner@example.org")
    assert Membership.objects.get(user=learner).role == Membership.Role.STAFF
    # Joined as any account holder does: invited, then accepting, each an audit event.
    assert Invitation.objects.get(email=learner.email).state == Invitation.State.ACCEPTED
    kinds = set(AuditEvent.objects.filter(subject=learner).values_list("kind", flat=True))
    assert kinds == {AuditEvent.Kind.INVITATION_SENT, AuditEvent.Kind.INVITATION_ACCEPTED}

    client.force_login(User.objects.get(email="supervisor@example.org"))
    page = client.get(f"/en/organizations/{organization.pk}/").content.decode()
    assert "Camille Tremblay" in page
    assert "learner@example.org" in page
    assert mail.outbox == []


def test_a_demo_learner_who_left_is_not_brought_back_by_seeding_again():
    CourseFactory(lessons=4)
    seed()
    learner = User.objects.get(email="learner@example.org")
    services.membership_end(membership=Membership.objects.get(user=learner), by=learner)
    seed()
    assert not Membership.objects.filter(user=learner).exists()
