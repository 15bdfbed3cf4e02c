"""Which organization's identity provider signs a person in."""

from accounts.emails import normalize_email
from organizations.models import SignInProvider


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
