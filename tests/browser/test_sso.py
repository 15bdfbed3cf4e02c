"""Single sign-on in a real browser, through a real OpenID Connect provider on 127.0.0.1
(oidc-provider-mock, started by the `oidc_provider` fixture), in French and in English:
a first sign-in lands as staff of the organization, a returning one signs in directly and
signs out told that the provider's session may remain, a refused one says so on our page
(quick exit and hotline), and an address of an existing password account is linked only
after its password."""

import pytest
from django.conf import settings

from accounts.models import User
from organizations.models import AuditEvent, Membership
from tests.browser.admin_flows import assert_axe_clean, page_width
from tests.browser.conftest import LANGUAGES, t
from tests.browser.flows import heading
from tests.factories import PASSWORD, UserFactory
from tests.organizations.factories import OrganizationFactory, sign_in_provider

pytestmark = pytest.mark.browser

PROVIDER_NAME = "Maison ID"


@pytest.fixture
def provider(transactional_db, oidc_provider):
    organization = OrganizationFactory(name="Maison Marguerite")
    return sign_in_provider(
        organization=organization,
        server_url=oidc_provider.url,
        name=PROVIDER_NAME,
        domains=["maison.example.org"],
        sign_out_url=f"{oidc_provider.url}/oauth2/end_session",
    )


def at_provider(page, oidc_provider):
    """The provider's pages load a stylesheet from a CDN: answered here, never fetched."""
    page.route(
        "https://cdn.jsdelivr.net/**",
        lambda route: route.fulfill(status=200, content_type="text/css", body=""),
    )


def start_sign_in(page, oidc_provider, *, language, email):
    """Type the address, no password: the page goes on to the provider's sign-in page."""
    page.goto(f"/{language}/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.navigate(page.locator("main").get_by_role("button", name=t(language, "Log in")).click)
    page.wait_for_url(f"{oidc_provider.url}/oauth2/authorize?**")
    assert "login_hint=" in page.url


def authorize(page, sub):
    page.locator("input[name=sub]").fill(sub)
    page.navigate(page.get_by_role("button", name="Authorize").click)


def log_out(page, language):
    button = page.locator("form[action$='/accounts/logout/']").get_by_role("button")
    assert button.inner_text().strip() == t(language, "Log out")
    page.navigate(button.click)


@pytest.mark.parametrize("language", LANGUAGES)
def test_first_and_returning_sign_in_through_the_organizations_provider(
    new_page, provider, oidc_provider, language
):
    email = f"camille.{language}@maison.example.org"
    oidc_provider.user(f"camille-{language}", email=email, name="Camille Roy")
    page = new_page(language=language)
    at_provider(page, oidc_provider)

    start_sign_in(page, oidc_provider, language=language, email=email)
    authorize(page, f"camille-{language}")
    assert heading(page) == t(language, "My learning")
    user = User.objects.get(email=email)
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role) == (provider.organization, "staff")
    assert AuditEvent.objects.filter(kind="sso_member_created", subject=user).count() == 1
    assert user.preferred_language == language

    log_out(page, language)
    assert_axe_clean(page)
    notice = page.locator("main [role=status]").inner_text()
    assert PROVIDER_NAME in notice
    end_link = page.locator("main [role=status] a")
    assert end_link.get_attribute("href") == provider.sign_out_url

    # Returning: straight in, nothing new.
    start_sign_in(page, oidc_provider, language=language, email=email)
    authorize(page, f"camille-{language}")
    assert heading(page) == t(language, "My learning")
    assert Membership.objects.filter(user=user).count() == 1
    assert User.objects.filter(email=email).count() == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_refused_sign_ins_say_so_on_our_page(new_page, provider, oidc_provider, language):
    page = new_page(language=language)
    at_provider(page, oidc_provider)

    # Denied (or cancelled) at the provider.
    start_sign_in(page, oidc_provider, language=language, email="jo@maison.example.org")
    page.navigate(page.get_by_role("button", name="Deny").click)
    assert heading(page) == t(language, "Sign-in cancelled")
    assert page.locator("footer, body").get_by_text(settings.HOTLINE_PHONE).first.is_visible()
    assert page.locator(".quick-exit").count() == 1

    # An address the provider did not verify.
    oidc_provider.user(f"max-{language}", email="max@maison.example.org", email_verified=False)
    start_sign_in(page, oidc_provider, language=language, email="max@maison.example.org")
    authorize(page, f"max-{language}")
    assert heading(page) == t(language, "You have not been signed in")
    assert "max@maison.example.org" in page.locator("main [role=alert]").inner_text()
    assert_axe_clean(page)
    assert not User.objects.filter(email="max@maison.example.org").exists()


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_existing_password_account_is_linked_only_after_its_password(
    new_page, provider, oidc_provider, language
):
    email = f"ana.{language}@maison.example.org"
    owner = UserFactory(email=email, full_name="Ana Lima", preferred_language=language)
    oidc_provider.user(f"ana-{language}", email=email, name="Ana L.")
    page = new_page(language=language, phone=True)
    at_provider(page, oidc_provider)

    start_sign_in(page, oidc_provider, language=language, email=email)
    authorize(page, f"ana-{language}")
    assert heading(page) == t(language, "Link your account")
    assert email in page.locator("main").inner_text()
    assert page_width(page) <= 320  # readable on a small phone
    assert_axe_clean(page)
    assert not Membership.objects.filter(user=owner).exists()

    page.locator("input[name=password]").fill("not the password")
    page.navigate(page.get_by_role("button", name=t(language, "Link and sign in")).click)
    assert page.locator("main [role=alert]").count() >= 1
    assert not owner.socialaccount_set.exists()

    page.locator("input[name=password]").fill(PASSWORD)
    page.navigate(page.get_by_role("button", name=t(language, "Link and sign in")).click)
    assert heading(page) == t(language, "My learning")
    assert owner.socialaccount_set.count() == 1
    assert Membership.objects.get(user=owner).organization == provider.organization
