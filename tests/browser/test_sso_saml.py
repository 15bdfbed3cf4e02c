"""Single sign-on through an organization's SAML 2.0 identity provider in a real browser:
the pysaml2 provider of tests/saml.py on 127.0.0.1 (another site than the live server's
localhost, so the response comes back as a cross-site POST, as from a real provider), in
French and in English: the login page sends the address to the provider, the person signs
in there, and lands on their page as staff of the organization; a returning sign-in makes
nothing new."""

import httpx
import pytest

from accounts.models import User
from organizations.models import AuditEvent, Membership
from tests.browser.conftest import LANGUAGES, t
from tests.browser.flows import heading
from tests.organizations.factories import OrganizationFactory, saml_sign_in_provider

pytestmark = pytest.mark.browser

CLIENT_ID = "maison-saml"


@pytest.fixture
def provider(transactional_db, saml_idp, live_server):
    organization = OrganizationFactory(name="Maison Marguerite")
    provider = saml_sign_in_provider(
        organization=organization,
        idp=saml_idp,
        client_id=CLIENT_ID,
        name="Maison SAML",
        domains=["maison.example.org"],
    )
    # The identity provider trusts Repère from the metadata Repère serves.
    metadata = httpx.get(f"{live_server.url}/sso/saml/{CLIENT_ID}/metadata/")
    metadata.raise_for_status()
    saml_idp.register_sp(metadata.text)
    return provider


def sign_in_at_the_identity_provider(page, saml_idp, *, language, email, name_id):
    page.goto(f"/{language}/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.navigate(page.locator("main").get_by_role("button", name=t(language, "Log in")).click)
    page.wait_for_url(f"{saml_idp.sso_url}?SAMLRequest=**")
    page.get_by_label("Account").fill(name_id)
    # The provider's answer is a page that posts the signed response back at once.
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", level=1, name=t(language, "My learning")).wait_for()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_person_signs_in_through_the_organizations_saml_provider(
    new_page, provider, saml_idp, live_server, language
):
    email = f"noor.{language}@maison.example.org"
    name_id = f"noor-{language}"
    saml_idp.user(name_id, email=email, name="Noor Haddad")
    page = new_page(language=language)

    sign_in_at_the_identity_provider(
        page, saml_idp, language=language, email=email, name_id=name_id
    )
    assert page.url.startswith(live_server.url)
    assert heading(page) == t(language, "My learning")
    user = User.objects.get(email=email)
    assert user.full_name == "Noor Haddad"
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role) == (provider.organization, "staff")
    assert AuditEvent.objects.filter(kind="sso_member_created", subject=user).count() == 1

    # Returning: straight in again, nothing new.
    page.navigate(page.get_by_role("button", name=t(language, "Log out")).click)
    sign_in_at_the_identity_provider(
        page, saml_idp, language=language, email=email, name_id=name_id
    )
    assert heading(page) == t(language, "My learning")
    assert Membership.objects.filter(user=user).count() == 1
    assert User.objects.filter(email=email).count() == 1
