import datetime
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.utils import timezone

from organizations.models import Invitation
from tests.api.factories import api_client_of, token_of
from tests.certificates.factories import CertificateFactory
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory
from tests.organizations.factories import (
    AssignmentFactory,
    MembershipFactory,
    OrganizationFactory,
    supervisor_of,
)


@dataclass
class Side:
    """One organization as the API sees it: its client, a token, and its objects' ids."""

    organization: object
    client: object
    token: str
    members: list = field(default_factory=list)
    assignments: list = field(default_factory=list)
    certificates: list = field(default_factory=list)


def _side(name: str, course, other_course) -> Side:
    organization = OrganizationFactory(name=name)
    created = api_client_of(organization)
    side = Side(organization=organization, client=created.client, token=token_of(created.client))
    supervisor_of(organization, full_name=f"Superviseur {name}")
    joined = timezone.now() - datetime.timedelta(days=30)
    for index, label in enumerate(["Alice", "Bruno"]):
        membership = MembershipFactory(
            organization=organization,
            user__full_name=f"{label} {name}",
            user__email=f"{label.lower()}.{organization.pk}@example.org",
            created_at=joined,
        )
        user = membership.user
        side.members.append(user)
        side.assignments.append(
            AssignmentFactory(organization=organization, learner=user, course=course)
        )
        if index == 0:
            enrollment = EnrollmentFactory(learner=user, course=course, completed_at=timezone.now())
            side.certificates.append(CertificateFactory(enrollment=enrollment))
    return side


@pytest.fixture
def course(db):
    return CourseFactory(lessons=2)


@pytest.fixture
def two_sides(db, course):
    """Organizations A and B, each with an API client (every scope), a supervisor, two
    members assigned the course (one completed it, with a certificate); A has invited
    someone who has not answered."""
    other_course = CourseFactory(lessons=1)
    a = _side("Refuge A", course, other_course)
    b = _side("Refuge B", course, other_course)
    invited = UserFactory(full_name="Invitée Pendante", email="pending@example.org")
    Invitation.objects.create(
        organization=a.organization, email=invited.email, full_name="Invitée", role="staff"
    )
    a.invited = invited
    return {"a": a, "b": b, "other_course": other_course}


def api(token: str | None = None, language: str = "en") -> Client:
    headers = {"Accept-Language": language}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return Client(headers=headers)
