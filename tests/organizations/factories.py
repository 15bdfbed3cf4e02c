"""Factories of the organizations app."""

import factory

from accounts.workplaces import Workplace
from organizations.models import Assignment, Membership, Organization
from tests.factories import CourseFactory, UserFactory


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Refuge {n}")
    kind = Workplace.SHELTER
    province = "QC"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.STAFF


class SupervisorMembershipFactory(MembershipFactory):
    role = Membership.Role.SUPERVISOR


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    organization = factory.SubFactory(OrganizationFactory)
    learner = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    due_on = None


def _user_fields(fields):
    return {f"user__{name}": value for name, value in fields.items()}


def supervisor_of(organization, **user_fields):
    """A new user who supervises the organization."""
    return SupervisorMembershipFactory(organization=organization, **_user_fields(user_fields)).user


def staff_of(organization, **user_fields):
    """A new user who is staff of the organization."""
    return MembershipFactory(organization=organization, **_user_fields(user_fields)).user
