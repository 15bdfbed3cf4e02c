"""Which organization's identity provider signs a person in."""

from accounts.emails import normalize_email
from organizations.models import Membership, Organization, SignInDomain, SignInProvider
from organizations.models.sign_in import unit_within
from organizations.selectors.units import unit_ids_in


def _providers():
    return SignInProvider.objects.select_related("social_app", "organization")


def sign_in_provider_for_email(email: str) -> SignInProvider | None:
    """The enabled provider of the address's domain, or None (a password sign-in). One
    query; the answer depends on the domain only, never on whether an account exists."""
    _, at, domain = normalize_email(email).rpartition("@")
    if not at or not domain:
        return None
    return _providers().filter(enabled=True, domains__domain=domain).first()


def sign_in_provider_for_app(provider_id: str) -> SignInProvider | None:
    """The provider whose allauth application has this provider id (enabled or not)."""
    return _providers().filter(social_app__provider_id=provider_id).first()


def provider_signs_in(provider: SignInProvider, email: str) -> bool:
    """Whether the address is of one of the provider's domains."""
    _, _, domain = normalize_email(email).rpartition("@")
    return provider.domains.filter(domain=domain).exists()


def sign_in_unit_for(provider: SignInProvider, email: str) -> Organization:
    """Where a first sign-in of the address through the provider places its person: the
    unit of its domain (a board's school), else the provider's organization. A unit moved
    out of the organization's tree since places nobody there any more (one query)."""
    _, _, domain = normalize_email(email).rpartition("@")
    row = (
        SignInDomain.objects.select_related("unit")
        .filter(provider=provider, domain=domain, unit__isnull=False)
        .first()
    )
    if row is not None and unit_within(row.unit, provider.organization):
        return row.unit
    return provider.organization


def sign_in_membership_of(provider: SignInProvider, user) -> Membership | None:
    """The user's membership in the provider's organization or one of its units, if any:
    linking their account places them nowhere else (one query)."""
    return (
        Membership.objects.select_related("organization")
        .filter(user_id=user.pk, organization_id__in=unit_ids_in(provider.organization))
        .order_by("organization__path", "pk")
        .first()
    )
