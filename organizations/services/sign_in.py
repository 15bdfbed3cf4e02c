"""Single sign-on: a person's first sign-in through their organization's provider.

Signing in through the organization's own provider is the person's consent to be seen by
it, so the membership is made at once (staff), with its audit event, in the transaction
that saves the account or its link to the provider.
"""

from django.db import transaction

from accounts.models import User
from organizations.models import AuditEvent, Membership, Organization, SignInProvider
from organizations.selectors.sign_in import sign_in_membership_of, sign_in_unit_for
from organizations.services.audit import audit_record


def _join(
    *, user: User, provider: SignInProvider, organization: Organization, kind: str
) -> Membership:
    return _join_organization(
        user=user, organization=organization, kind=kind, provider_name=provider.name
    )


def _join_organization(
    *, user: User, organization: Organization, kind: str, provider_name: str
) -> Membership:
    membership, created = Membership.objects.get_or_create(
        user=user, organization=organization, defaults={"role": Membership.Role.STAFF}
    )
    audit_record(
        kind=kind,
        actor=user,
        organization=organization,
        subject=user,
        before={} if created else {"role": membership.role},
        after={"role": membership.role, "provider": provider_name},
    )
    return membership


@transaction.atomic
def sso_account_create(*, sociallogin, provider: SignInProvider, save) -> User:
    """Save the new account that `sociallogin` describes (`save()`: allauth's own saving of
    the user, its provider account and its address) and make it a staff member of the
    unit its address's domain names (a board's school), else of the provider's
    organization."""
    user = save()
    unit = sign_in_unit_for(provider, user.email)
    _join(user=user, provider=provider, organization=unit, kind=AuditEvent.Kind.SSO_MEMBER_CREATED)
    return user


@transaction.atomic
def sso_account_link(*, request, sociallogin, user: User, provider: SignInProvider) -> Membership:
    """Link the provider's account to an existing account whose owner has just proved it
    is theirs (its password), and make them a staff member of their domain's unit unless
    they are already a member of the organization or of one of its units: a person
    already placed is not moved."""
    sociallogin.connect(request, user)
    existing = sign_in_membership_of(provider, user)
    organization = existing.organization if existing else sign_in_unit_for(provider, user.email)
    return _join(
        user=user,
        provider=provider,
        organization=organization,
        kind=AuditEvent.Kind.SSO_ACCOUNT_LINKED,
    )


@transaction.atomic
def lms_account_join(*, user: User, organization: Organization, lms_name: str) -> Membership:
    """Make the account that a launch from the organization's own LMS just created (lti
    app) a staff member of it: as a first sign-in through its provider, the launch is the
    person's consent, and it is audited as one (the LMS named as the provider)."""
    return _join_organization(
        user=user,
        organization=organization,
        kind=AuditEvent.Kind.SSO_MEMBER_CREATED,
        provider_name=lms_name,
    )
