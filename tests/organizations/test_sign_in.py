"""Single sign-on through an organization's OpenID Connect provider, against a real one
on 127.0.0.1 (tests/oidc.py): routing from the login page, the first sign-in and its
membership, refusals, and an existing account linked only after its password."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from organizations.models import AuditEvent, Membership, SignInDomain
from organizations.selectors import sign_in_provider_for_email
from tests.factories import PASSWORD, UserFactory
from tests.oidc import path_of
from tests.organizations.factories import OrganizationFactory, sign_in_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(oidc_provider):
    organization = OrganizationFactory(name="Maison Marguerite")
    return sign_in_provider(organization=organization, server_url=oidc_provider.url)


def start(client, email, *, language="en", password=""):
    return client.post(f"/{language}/accounts/login/", {"username": email, "password": password})


def sign_in(client, oidc_provider, email, *, sub, language="en", deny=False):
    """Through the login page, the provider's page and back: the response of the return."""
    response = start(client, email, language=language)
    assert response.status_code == 200
    back = oidc_provider.authorize(response.context["provider_url"], sub=None if deny else sub)
    return client.get(path_of(back))


def test_an_address_of_a_providers_domain_without_password_goes_to_the_provider(
    client, provider, oidc_provider
):
    response = start(client, "Camille@Shelter.example.org")
    assert response.status_code == 200
    url = response.context["provider_url"]
    assert url.startswith(f"{oidc_provider.url}/oauth2/authorize?")
    assert "login_hint=camille%40shelter.example.org" in url
    assert f'content="0;url={url.replace("&", "&amp;")}"' in response.content.decode()


def test_first_sign_in_creates_a_staff_member_of_the_organization_and_its_audit_event(
    client, provider, oidc_provider
):
    oidc_provider.user("sub-1", email="camille@shelter.example.org", name="Camille Roy")
    response = sign_in(client, oidc_provider, "camille@shelter.example.org", sub="sub-1")
    assert response.status_code == 302
    user = User.objects.get(email="camille@shelter.example.org")
    assert user.full_name == "Camille Roy"
    assert not user.has_usable_password()
    assert user.workplace == provider.organization.kind
    assert user.preferred_language == "en"
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role) == (provider.organization, "staff")
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SSO_MEMBER_CREATED)
    assert (event.organization, event.subject, event.actor) == (provider.organization, user, user)
    assert client.get("/en/accounts/profile/").status_code == 200  # signed in
    shown = [str(message) for message in response.wsgi_request._messages]
    assert any("staff member of Maison Marguerite" in message for message in shown)


def test_an_address_with_a_password_signs_in_with_the_password_as_before(client, provider):
    UserFactory(email="dana@shelter.example.org")
    response = start(client, "dana@shelter.example.org", password=PASSWORD)
    assert response.status_code == 302
    assert not response["Location"].startswith("http")
    assert client.get("/en/accounts/profile/").status_code == 200


def test_without_a_password_other_addresses_are_told_the_same_whether_or_not_they_exist(
    client, provider
):
    UserFactory(email="eve@elsewhere.example.org")
    answers = []
    for email in ("eve@elsewhere.example.org", "nobody@elsewhere.example.org"):
        response = start(client, email)
        assert response.status_code == 200
        answers.append(response.context["form"].errors.get_json_data())
    assert (
        answers[0] == answers[1] == {"password": [{"message": "Enter your password.", "code": ""}]}
    )


def test_a_disabled_provider_routes_nobody(client, provider):
    provider.enabled = False
    provider.save()
    assert "provider_url" not in start(client, "camille@shelter.example.org").context
    assert sign_in_provider_for_email("camille@shelter.example.org") is None


def test_routing_runs_as_many_queries_however_many_providers_and_domains(client, oidc_provider):
    counts = []
    for number in range(4):
        sign_in_provider(
            server_url=oidc_provider.url,
            provider_id=f"org-{number}",
            domains=[f"org{number}.example.org", f"staff.org{number}.example.org"],
        )
        client.cookies.clear()
        with CaptureQueriesContext(connection) as queries:
            response = start(client, f"a@staff.org{number}.example.org")
        assert response.context["provider"].social_app.provider_id == f"org-{number}"
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts


def test_an_unreachable_provider_gets_a_page_not_a_crash(client):
    sign_in_provider(server_url="http://127.0.0.1:9")
    response = start(client, "camille@shelter.example.org")
    assert response.status_code == 503
    assert "cannot be used at the moment" in response.content.decode()


def test_domains_are_lower_cased_validated_and_unique_across_organizations(provider):
    from organizations.admin import SignInDomainForm

    form = SignInDomainForm({"domain": " Refuge.Example.ORG "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["domain"] == "refuge.example.org"
    for bad in ("camille@shelter.example.org", "not a domain", "-x.example.org", ""):
        assert not SignInDomainForm({"domain": bad}).is_valid(), bad
    taken = SignInDomainForm({"domain": "SHELTER.example.org"})
    assert not taken.is_valid()
    assert "domain" in taken.errors
    with pytest.raises(IntegrityError):
        SignInDomain.objects.create(provider=provider, domain="Upper.example.org")


def test_a_domain_of_another_organization_cannot_be_taken(provider, oidc_provider):
    other = sign_in_provider(server_url=oidc_provider.url, provider_id="other", domains=[])
    domain = SignInDomain(provider=other, domain="shelter.example.org")
    with pytest.raises(ValidationError):
        domain.full_clean()


def test_a_returning_person_signs_in_directly_without_a_second_membership(
    client, provider, oidc_provider
):
    oidc_provider.user("sub-2", email="lou@shelter.example.org", name="Lou Bé")
    sign_in(client, oidc_provider, "lou@shelter.example.org", sub="sub-2")
    client.post("/en/accounts/logout/")
    response = sign_in(client, oidc_provider, "lou@shelter.example.org", sub="sub-2")
    assert response.status_code == 302
    assert client.get("/en/accounts/profile/").status_code == 200
    assert User.objects.filter(email="lou@shelter.example.org").count() == 1
    assert Membership.objects.filter(user__email="lou@shelter.example.org").count() == 1
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SSO_MEMBER_CREATED).count() == 1


def test_an_email_the_provider_did_not_verify_is_refused(client, provider, oidc_provider):
    oidc_provider.user("sub-3", email="max@shelter.example.org", email_verified=False)
    response = sign_in(client, oidc_provider, "max@shelter.example.org", sub="sub-3")
    assert response.status_code == 403
    assert "has not confirmed that the address max@shelter.example.org is yours" in (
        response.content.decode()
    )
    assert not User.objects.filter(email="max@shelter.example.org").exists()
    assert client.get("/en/accounts/profile/").status_code == 302  # not signed in


def test_an_address_outside_the_organizations_domains_is_refused(client, provider, oidc_provider):
    oidc_provider.user("sub-4", email="max@gmail.example.com", name="Max")
    response = sign_in(client, oidc_provider, "max@shelter.example.org", sub="sub-4")
    assert response.status_code == 403
    assert "is not one of those Maison Marguerite signs in through" in response.content.decode()
    assert not User.objects.filter(email="max@gmail.example.com").exists()
    assert not SocialAccount.objects.exists()


def test_a_sign_in_denied_at_the_provider_says_so_in_the_readers_language(
    client, provider, oidc_provider
):
    response = sign_in(client, oidc_provider, "jo@shelter.example.org", sub=None, language="fr",
                       deny=True)  # fmt: skip
    assert response.status_code == 302
    response = client.get(response["Location"])
    page = response.content.decode()
    assert response.status_code == 200
    assert "Connexion annulée" in page
    assert "1-833-900-1010" in page  # our base template: the hotline
    assert not User.objects.filter(email="jo@shelter.example.org").exists()


def test_an_existing_account_is_linked_only_after_its_password(client, provider, oidc_provider):
    owner = UserFactory(email="ana@shelter.example.org", full_name="Ana Lima")
    oidc_provider.user("sub-5", email="ana@shelter.example.org", name="Someone Else")
    response = sign_in(client, oidc_provider, "ana@shelter.example.org", sub="sub-5")
    assert response.status_code == 302
    assert response["Location"] == "/en/organizations/sign-in/link/"
    assert client.get("/en/accounts/profile/").status_code == 302  # not signed in
    assert not SocialAccount.objects.exists()

    page = client.get("/en/organizations/sign-in/link/")
    assert "ana@shelter.example.org" in page.content.decode()
    wrong = client.post("/en/organizations/sign-in/link/", {"password": "not-it"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["password"]
    assert not SocialAccount.objects.exists()
    assert not Membership.objects.filter(user=owner).exists()

    linked = client.post("/en/organizations/sign-in/link/", {"password": PASSWORD})
    assert linked.status_code == 302
    assert SocialAccount.objects.get().user == owner
    assert Membership.objects.get(user=owner).organization == provider.organization
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SSO_ACCOUNT_LINKED)
    assert (event.subject, event.organization) == (owner, provider.organization)
    owner.refresh_from_db()
    assert owner.full_name == "Ana Lima"  # the provider's name changed nothing
    assert client.get("/en/accounts/profile/").status_code == 200

    client.post("/en/accounts/logout/")
    again = sign_in(client, oidc_provider, "ana@shelter.example.org", sub="sub-5")
    assert again.status_code == 302
    assert again["Location"] != "/en/organizations/sign-in/link/"
    assert client.get("/en/accounts/profile/").status_code == 200


def test_the_link_page_without_a_pending_sign_in_goes_back_to_the_login(client):
    response = client.get("/en/organizations/sign-in/link/")
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")
    client.force_login(UserFactory())
    assert client.get("/en/organizations/sign-in/link/").status_code == 404


def test_signing_out_after_a_provider_sign_in_names_the_provider(client, provider, oidc_provider):
    provider.sign_out_url = "https://id.example.org/logout"
    provider.save()
    oidc_provider.user("sub-6", email="kim@shelter.example.org", name="Kim")
    sign_in(client, oidc_provider, "kim@shelter.example.org", sub="sub-6", language="fr")
    response = client.post("/fr/accounts/logout/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Shelter ID" in page
    assert 'href="https://id.example.org/logout"' in page
    assert client.get("/fr/accounts/profile/").status_code == 302


def test_signing_out_after_a_password_sign_in_is_as_before(client):
    UserFactory(email="pat@example.org")
    start(client, "pat@example.org", password=PASSWORD)
    response = client.post("/en/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_a_closed_account_is_refused_at_its_return(client, provider, oidc_provider):
    oidc_provider.user("sub-7", email="sam@shelter.example.org", name="Sam")
    sign_in(client, oidc_provider, "sam@shelter.example.org", sub="sub-7")
    client.post("/en/accounts/logout/")
    User.objects.filter(email="sam@shelter.example.org").update(is_active=False)
    response = sign_in(client, oidc_provider, "sam@shelter.example.org", sub="sub-7")
    assert response.status_code == 403
    assert client.get("/en/accounts/profile/").status_code == 302


def test_allauths_own_password_signup_and_connections_pages_are_not_there(client):
    for path in ("/en/accounts/signup/", "/sso/", "/sso/login/", "/en/accounts/email/"):
        assert client.get(path).status_code == 404, path
    # Its signup page without a sign-in under way goes back to our login.
    response = client.get("/sso/signup/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_allauths_error_page_is_ours_in_the_readers_language_and_shows_no_data(client):
    """What the authorization matrix skips: the page answers 401 to anyone, signed in or
    not, with our words and the base template's quick exit."""
    for signed_in in (False, True):
        if signed_in:
            client.force_login(UserFactory(full_name="Zoé Visible"))
        for language, words in (("en", "Sign-in failed"), ("fr", "Échec de la connexion")):
            client.cookies["django_language"] = language
            page = client.get("/sso/login/error/")
            assert page.status_code == 401
            body = page.content.decode()
            assert words in body
            assert "Zoé Visible" not in body
            assert 'class="quick-exit"' in body


def test_the_admin_shows_the_redirect_uri_to_give_the_provider(admin_client, provider, settings):
    page = admin_client.get(f"/en/admin/organizations/signinprovider/{provider.pk}/change/")
    assert page.status_code == 200
    assert f"{settings.SITE_URL}/sso/oidc/shelter/login/callback/" in page.content.decode()
    assert admin_client.get("/en/admin/organizations/signinprovider/add/").status_code == 200
    listing = admin_client.get("/en/admin/organizations/signinprovider/")
    assert "shelter.example.org" in listing.content.decode()


def test_the_same_first_sign_in_twice_at_once_gets_a_page_not_a_crash(
    client, provider, oidc_provider, monkeypatch
):
    """The second of two simultaneous first sign-ins meets the first one's rows."""
    from organizations.services import sign_in as service

    def join_after_the_other(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(service, "_join", join_after_the_other)
    oidc_provider.user("sub-8", email="noa@shelter.example.org", name="Noa")
    response = sign_in(client, oidc_provider, "noa@shelter.example.org", sub="sub-8")
    assert response.status_code == 409
    assert "at the same moment" in response.content.decode()
    assert not User.objects.filter(email="noa@shelter.example.org").exists()  # rolled back


def test_the_link_page_and_the_sign_out_page_run_a_fixed_number_of_queries(
    client, provider, oidc_provider, django_assert_num_queries
):
    for number in range(5):  # more domains change nothing
        SignInDomain.objects.create(provider=provider, domain=f"site{number}.example.org")
    UserFactory(email="lee@shelter.example.org")
    oidc_provider.user("sub-9", email="lee@shelter.example.org", name="Lee")
    sign_in(client, oidc_provider, "lee@shelter.example.org", sub="sub-9")
    with django_assert_num_queries(3):  # the session; the application; the provider
        assert client.get("/en/organizations/sign-in/link/").status_code == 200
    client.post("/en/organizations/sign-in/link/", {"password": PASSWORD})
    with django_assert_num_queries(7):  # the session and user; the provider; logout's own
        assert client.post("/en/accounts/logout/").status_code == 200


def test_a_provider_that_sends_no_email_verified_is_refused_unless_told_to_vouch(
    client, provider, oidc_provider
):
    """Microsoft Entra ID sends no `email_verified`: by default that is no verification."""
    oidc_provider.user("sub-10", email="ari@shelter.example.org", email_verified=None)
    response = sign_in(client, oidc_provider, "ari@shelter.example.org", sub="sub-10")
    assert response.status_code == 403
    assert not User.objects.filter(email="ari@shelter.example.org").exists()

    provider.social_app.settings["trust_email"] = True
    provider.social_app.save()
    response = sign_in(client, oidc_provider, "ari@shelter.example.org", sub="sub-10")
    assert response.status_code == 302
    assert Membership.objects.get(user__email="ari@shelter.example.org").role == "staff"


def test_a_provider_told_to_vouch_still_refuses_an_address_it_says_is_unverified(
    client, oidc_provider
):
    sign_in_provider(server_url=oidc_provider.url, settings={"trust_email": True})
    oidc_provider.user("sub-11", email="bo@shelter.example.org", email_verified=False)
    response = sign_in(client, oidc_provider, "bo@shelter.example.org", sub="sub-11")
    assert response.status_code == 403
    assert "has not confirmed" in response.content.decode()
    assert not User.objects.filter(email="bo@shelter.example.org").exists()
