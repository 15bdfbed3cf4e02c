"""Factories of the organizations app."""

import factory

from accounts.models import User
from accounts.workplaces import Workplace
from courses import hooks
from organizations.models import Assignment, Membership, Organization
from tests.factories import CourseFactory, ProgressFactory, UserFactory


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


class AssignmentFactory(ProgressFactory):
    class Meta:
        model = Assignment

    organization = factory.SubFactory(OrganizationFactory)
    learner = factory.SubFactory(UserFactory)
    course = factory.SubFactory(CourseFactory)
    due_on = None

    @classmethod
    def progress_changed_names(cls, obj) -> dict:
        return {"assignment_ids": [obj.pk]}


def _user_fields(fields):
    return {f"user__{name}": value for name, value in fields.items()}


def supervisor_of(organization, **user_fields):
    """A new user who supervises the organization."""
    return SupervisorMembershipFactory(organization=organization, **_user_fields(user_fields)).user


def staff_of(organization, **user_fields):
    """A new user who is staff of the organization."""
    return MembershipFactory(organization=organization, **_user_fields(user_fields)).user


def bulk_staff(organization, count, prefix, *, course=None, enroll_every=0):
    """`count` new staff of the organization, created in bulk (no password hashing);
    with `course`, each is assigned it, and every `enroll_every`-th one enrolled in it.
    Returns the users."""
    from courses.models import Enrollment

    users = User.objects.bulk_create(
        UserFactory.build(email=f"{prefix}{i}@example.org", password="x") for i in range(count)
    )
    Membership.objects.bulk_create(Membership(user=u, organization=organization) for u in users)
    if course is not None:
        Assignment.objects.bulk_create(
            Assignment(organization=organization, learner=u, course=course) for u in users
        )
        if enroll_every:
            Enrollment.objects.bulk_create(
                Enrollment(learner=u, course=course) for u in users[::enroll_every]
            )
        # What the bulk assignment service does after its INSERTs (one statement).
        hooks.progress_changed_for(
            assignment_ids=Assignment.objects.filter(
                organization=organization, course=course, learner__in=users
            ).values("pk")
        )
    return users


def sign_in_provider(*, organization=None, server_url: str, domains=("shelter.example.org",),
                     provider_id: str = "shelter", name: str = "Shelter ID", enabled=True,
                     sign_out_url: str = "", settings=None):  # fmt: skip
    """An organization's OpenID Connect provider at `server_url`, with its allauth app
    (`settings`: more of the app's settings)."""
    from allauth.socialaccount.models import SocialApp

    from organizations.models import SignInDomain, SignInProvider

    app = SocialApp.objects.create(
        provider="openid_connect",
        provider_id=provider_id,
        name=name,
        client_id=f"repere-{provider_id}",
        secret="a-client-secret",
        settings={"server_url": server_url, **(settings or {})},
    )
    provider = SignInProvider.objects.create(
        organization=organization or OrganizationFactory(),
        social_app=app,
        enabled=enabled,
        sign_out_url=sign_out_url,
    )
    for domain in domains:
        SignInDomain.objects.create(provider=provider, domain=domain)
    return provider


# What the README tells an administrator to map: the address and the display name, by the
# URIs of the LDAP attributes (and Entra ID's claims).
SAML_ATTRIBUTE_MAPPING = {
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    ],
    "name": [
        "urn:oid:2.16.840.1.113730.3.1.241",
        "http://schemas.microsoft.com/identity/claims/displayname",
    ],
    "email_verified": ["http://schemas.auth0.com/email_verified"],
}


def saml_sign_in_provider(*, organization=None, idp, domains=("shelter.example.org",),
                          client_id: str = "shelter-saml", name: str = "Shelter SAML",
                          sign_out_url: str = "", attribute_mapping=None):  # fmt: skip
    """An organization's SAML 2.0 provider `idp` (tests/saml.py), with its allauth app."""
    from allauth.socialaccount.models import SocialApp

    from organizations.models import SignInDomain, SignInProvider

    app = SocialApp.objects.create(
        provider="saml",
        provider_id=client_id,
        name=name,
        client_id=client_id,
        settings={
            "idp": {"entity_id": idp.entity_id, "sso_url": idp.sso_url, "x509cert": idp.x509cert},
            "attribute_mapping": attribute_mapping or SAML_ATTRIBUTE_MAPPING,
            "advanced": {"want_assertion_signed": True},
        },
    )
    provider = SignInProvider(
        organization=organization or OrganizationFactory(), social_app=app,
        sign_out_url=sign_out_url,
    )  # fmt: skip
    provider.full_clean()
    provider.save()
    for domain in domains:
        SignInDomain.objects.create(provider=provider, domain=domain)
    return provider
