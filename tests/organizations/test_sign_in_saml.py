"""Single sign-on through an organization's SAML 2.0 identity provider, against a real one
on 127.0.0.1 built with pysaml2 (tests/saml.py): routing from the login page, the signed
round trip and its first sign-in as staff, a returning sign-in, the refusals (an address
outside the organization's domains, an unsigned or tampered response), and an existing
account linked only after its password. The same rules as OpenID Connect
(test_sign_in.py), through the same adapter."""

import base64

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import ValidationError

from accounts.models import User
from organizations.models import AuditEvent, Membership, SignInProvider
from tests.factories import PASSWORD, UserFactory
from tests.oidc import path_of
from tests.organizations.factories import OrganizationFactory, saml_sign_in_provider
from tests.saml import tampered

pytestmark = pytest.mark.django_db

METADATA_PATH = "/sso/saml/shelter-saml/metadata/"
ACS_PATH = "/sso/saml/shelter-saml/acs/"


@pytest.fixture
def provider(client, saml_idp):
    # python3-saml refuses addresses of a single-label host such as the test client's
    # "testserver" (a real site's name has a dot); "localhost" it accepts.
    client.defaults["HTTP_HOST"] = "localhost"
    organization = OrganizationFactory(name="Maison Marguerite")
    provider = saml_sign_in_provider(organization=organization, idp=saml_idp)
    # The identity provider trusts Repère from the metadata Repère serves.
    saml_idp.register_sp(client.get(METADATA_PATH).content.decode())
    return provider


def start(client, email, *, language="en"):
    return client.post(f"/{language}/accounts/login/", {"username": email, "password": ""})


def at_identity_provider(client, saml_idp, email, *, name_id, language="en", signed=True):
    """Through the login page to the provider's page, signed in there as `name_id`: the
    page's form that posts the response back (its action and fields)."""
    response = start(client, email, language=language)
    assert response.status_code == 200
    url = response.context["provider_url"]
    assert url.startswith(f"{saml_idp.sso_url}?SAMLRequest=")
    return saml_idp.authorize(url, name_id=name_id, signed=signed)


def post_back(client, action, fields):
    """The browser posts the provider's response to the assertion consumer service, which
    goes on to allauth's finishing step: the response of that step."""
    assert action == f"http://localhost{ACS_PATH}"
    response = client.post(path_of(action), fields)
    assert response.status_code == 302
    return client.get(response["Location"])


def sign_in(client, saml_idp, email, *, name_id, language="en"):
    action, fields = at_identity_provider(
        client, saml_idp, email, name_id=name_id, language=language
    )
    return post_back(client, action, fields)


def signed_in(client) -> bool:
    return client.get("/en/accounts/profile/").status_code == 200


def test_the_metadata_names_the_assertion_consumer_service_for_the_identity_provider(
    client, provider
):
    page = client.get(METADATA_PATH)
    assert page.status_code == 200
    xml = page.content.decode()
    assert f'entityID="http://localhost{METADATA_PATH}"' in xml
    assert f'Location="http://localhost{ACS_PATH}"' in xml


def test_first_sign_in_creates_a_staff_member_of_the_organization_and_its_audit_event(
    client, provider, saml_idp
):
    saml_idp.user("nid-1", email="Camille@shelter.example.org", name="Camille Roy")
    response = sign_in(client, saml_idp, "camille@shelter.example.org", name_id="nid-1")
    assert response.status_code == 302
    user = User.objects.get(email="camille@shelter.example.org")
    assert user.full_name == "Camille Roy"
    assert not user.has_usable_password()
    assert user.preferred_language == "en"
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role) == (provider.organization, "staff")
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SSO_MEMBER_CREATED)
    assert (event.organization, event.subject, event.actor) == (provider.organization, user, user)
    assert event.after["provider"] == "Shelter SAML"
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == ("shelter-saml", "nid-1")
    assert signed_in(client)


def test_a_returning_person_signs_in_directly_without_a_second_membership(
    client, provider, saml_idp
):
    saml_idp.user("nid-2", email="lou@shelter.example.org", name="Lou Bé")
    sign_in(client, saml_idp, "lou@shelter.example.org", name_id="nid-2")
    client.post("/en/accounts/logout/")
    assert not signed_in(client)
    response = sign_in(client, saml_idp, "lou@shelter.example.org", name_id="nid-2")
    assert response.status_code == 302
    assert signed_in(client)
    assert User.objects.filter(email="lou@shelter.example.org").count() == 1
    assert Membership.objects.filter(user__email="lou@shelter.example.org").count() == 1
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SSO_MEMBER_CREATED).count() == 1


def test_an_address_outside_the_organizations_domains_is_refused(client, provider, saml_idp):
    saml_idp.user("nid-3", email="max@gmail.example.com", name="Max")
    response = sign_in(client, saml_idp, "max@shelter.example.org", name_id="nid-3")
    assert response.status_code == 403
    assert "is not one of those Maison Marguerite signs in through" in response.content.decode()
    assert not User.objects.filter(email="max@gmail.example.com").exists()
    assert not SocialAccount.objects.exists()
    assert not signed_in(client)


def test_a_response_the_provider_did_not_sign_is_refused(client, provider, saml_idp):
    saml_idp.user("nid-4", email="noa@shelter.example.org", name="Noa")
    action, fields = at_identity_provider(
        client, saml_idp, "noa@shelter.example.org", name_id="nid-4", signed=False
    )
    response = post_back(client, action, fields)
    assert response.status_code == 401
    assert "Sign-in failed" in response.content.decode()
    assert not User.objects.filter(email="noa@shelter.example.org").exists()
    assert not signed_in(client)


def test_a_signed_response_changed_on_the_way_is_refused(client, provider, saml_idp):
    """Someone who can sign in as one person of the domain edits the address in the
    assertion to another's: the signature no longer matches."""
    UserFactory(email="boss@shelter.example.org")
    saml_idp.user("nid-5", email="intern@shelter.example.org", name="Intern")
    action, fields = at_identity_provider(
        client, saml_idp, "intern@shelter.example.org", name_id="nid-5"
    )
    fields["SAMLResponse"] = tampered(
        fields["SAMLResponse"], old="intern@shelter.example.org", new="boss@shelter.example.org"
    )
    response = post_back(client, action, fields)
    assert response.status_code == 401
    assert not SocialAccount.objects.exists()
    assert not User.objects.filter(email="intern@shelter.example.org").exists()
    assert not signed_in(client)


def test_a_response_replayed_after_its_sign_in_is_refused(client, provider, saml_idp):
    saml_idp.user("nid-6", email="kim@shelter.example.org", name="Kim")
    action, fields = at_identity_provider(
        client, saml_idp, "kim@shelter.example.org", name_id="nid-6"
    )
    post_back(client, action, fields)
    client.post("/en/accounts/logout/")
    replayed = post_back(client, action, fields)
    # allauth finds no sign-in of this browser waiting for that response: our 403 page.
    assert replayed.status_code == 403
    assert "Access denied" in replayed.content.decode()
    assert not signed_in(client)


def test_an_address_the_provider_says_is_unverified_is_refused(client, provider, saml_idp):
    saml_idp.user("nid-7", email="max@shelter.example.org", name="Max")
    saml_idp.users["nid-7"]["http://schemas.auth0.com/email_verified"] = ["false"]
    response = sign_in(client, saml_idp, "max@shelter.example.org", name_id="nid-7")
    assert response.status_code == 403
    assert "has not confirmed that the address max@shelter.example.org" in (
        response.content.decode()
    )
    assert not User.objects.filter(email="max@shelter.example.org").exists()


def test_an_existing_password_account_is_linked_only_after_its_password(client, provider, saml_idp):
    owner = UserFactory(email="ana@shelter.example.org", full_name="Ana Lima")
    saml_idp.user("nid-8", email="ana@shelter.example.org", name="Someone Else")
    response = sign_in(client, saml_idp, "ana@shelter.example.org", name_id="nid-8")
    assert response.status_code == 302
    assert response["Location"] == "/en/organizations/sign-in/link/"
    assert not signed_in(client)
    assert not SocialAccount.objects.exists()
    assert not Membership.objects.filter(user=owner).exists()

    wrong = client.post("/en/organizations/sign-in/link/", {"password": "not-it"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["password"]
    assert not SocialAccount.objects.exists()

    linked = client.post("/en/organizations/sign-in/link/", {"password": PASSWORD})
    assert linked.status_code == 302
    assert SocialAccount.objects.get().user == owner
    assert Membership.objects.get(user=owner).organization == provider.organization
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SSO_ACCOUNT_LINKED, subject=owner)
    owner.refresh_from_db()
    assert owner.full_name == "Ana Lima"

    client.post("/en/accounts/logout/")
    again = sign_in(client, saml_idp, "ana@shelter.example.org", name_id="nid-8")
    assert again["Location"] != "/en/organizations/sign-in/link/"
    assert signed_in(client)


def test_signing_out_after_a_saml_sign_in_says_the_providers_session_may_remain(
    client, provider, saml_idp
):
    provider.sign_out_url = f"{saml_idp.url}/logout"
    provider.save()
    saml_idp.user("nid-9", email="pat@shelter.example.org", name="Pat")
    sign_in(client, saml_idp, "pat@shelter.example.org", name_id="nid-9", language="fr")
    response = client.post("/fr/accounts/logout/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Shelter SAML" in page
    assert f'href="{saml_idp.url}/logout"' in page
    assert not signed_in(client)


def test_a_sign_in_the_identity_provider_starts_is_refused(client, provider, saml_idp):
    """Without a request of Repère's (InResponseTo), a response could sign a reader in
    to an account of someone else's choosing."""
    saml_idp.user("nid-10", email="jo@shelter.example.org", name="Jo")
    action, fields = at_identity_provider(
        client, saml_idp, "jo@shelter.example.org", name_id="nid-10"
    )
    client.cookies.clear()  # another browser: Repère never asked for this response
    response = post_back(client, action, fields)
    assert response.status_code == 403
    assert not User.objects.filter(email="jo@shelter.example.org").exists()


def test_an_unreachable_metadata_address_gets_a_page_not_a_crash(client, provider):
    app = provider.social_app
    app.settings["idp"] = {"entity_id": "urn:x", "metadata_url": "http://127.0.0.1:9/metadata"}
    app.save()
    response = start(client, "camille@shelter.example.org")
    assert response.status_code == 503
    assert "cannot be used at the moment" in response.content.decode()


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"provider_id": "other"}, "saml_ids"),
        ({"settings": {"idp": {"entity_id": "urn:x"}}}, "saml_idp"),
        (
            {"settings": {"idp": {"sso_url": "https://idp.example.org/sso", "x509cert": "MII"}}},
            "saml_idp",
        ),  # fmt: skip
        (
            {
                "settings": {
                    "idp": {"entity_id": "urn:x", "metadata_url": "https://x/m"},
                    "advanced": {"strict": False},
                }
            },  # fmt: skip
            "saml_unsafe",
        ),
        (
            {
                "settings": {
                    "idp": {"entity_id": "urn:x", "metadata_url": "https://x/m"},
                    "advanced": {"reject_idp_initiated_sso": False},
                }
            },  # fmt: skip
            "saml_unsafe",
        ),
    ],
)
def test_a_saml_application_that_would_weaken_the_checks_is_refused(provider, change, code):
    app = provider.social_app
    for name, value in change.items():
        setattr(app, name, value)
    app.save()
    with pytest.raises(ValidationError) as raised:
        SignInProvider.objects.get(pk=provider.pk).full_clean()
    assert raised.value.error_dict["social_app"][0].code == code


def test_the_admin_shows_the_addresses_to_give_the_identity_provider(
    admin_client, provider, settings
):
    page = admin_client.get(f"/en/admin/organizations/signinprovider/{provider.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert f"{settings.SITE_URL}{METADATA_PATH}" in body
    assert f"{settings.SITE_URL}{ACS_PATH}" in body
    assert "/login/callback/" not in body


def test_the_assertion_consumer_service_answers_bad_posts_with_a_page_not_a_crash(client, provider):
    """What the authorization matrix skips: allauth's ACS keeps any post and redirects to
    its finishing step, which answers it (outside the language prefix: in the cookie's)."""
    client.cookies["django_language"] = "en"
    unknown = client.post("/sso/saml/no-such-app/acs/", {"SAMLResponse": "x"})
    assert unknown.status_code == 302
    assert client.get(unknown["Location"]).status_code == 404
    for fields in ({}, {"SAMLResponse": "not base64 at all!"}):
        response = post_back(client, f"http://localhost{ACS_PATH}", fields)
        assert response.status_code == 401, fields
        assert "Sign-in failed" in response.content.decode()
    dtd = '<!DOCTYPE x [<!ENTITY e "e">]><samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">&e;</samlp:Response>'  # noqa: E501
    for xml in ("<x>", dtd):
        fields = {"SAMLResponse": base64.b64encode(xml.encode()).decode()}
        response = post_back(client, f"http://localhost{ACS_PATH}", fields)
        assert response.status_code == 400, xml
        assert "could not be read" in response.content.decode()
    assert not signed_in(client)
