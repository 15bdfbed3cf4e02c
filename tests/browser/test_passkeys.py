"""Passkeys in Chromium, with its virtual authenticator (a platform authenticator that
checks the user, as a phone's fingerprint would), in both languages: a supervisor whose
organization requires two-factor adds a passkey instead of a code app, names it, reaches
the dashboard; signing in again asks for the second factor after the password, and the
passkey alone gives it."""

import pytest

from tests.browser.admin_flows import assert_axe_clean
from tests.browser.conftest import LANGUAGES, log_in, t
from tests.organizations.factories import OrganizationFactory, supervisor_of

pytestmark = pytest.mark.browser


def virtual_authenticator(page) -> tuple[object, str]:
    """Chromium's virtual authenticator in the page's context (DevTools protocol)."""
    session = page.context.new_cdp_session(page._page)
    session.send("WebAuthn.enable")
    added = session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return session, added["authenticatorId"]


def credentials(session, authenticator_id: str) -> list:
    return session.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})[
        "credentials"
    ]


def fits_a_small_phone(page) -> bool:
    return page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_supervisor_adds_a_passkey_and_signs_in_with_it(new_page, transactional_db, language):
    organization = OrganizationFactory(name="Maison Marguerite", require_two_factor=True)
    supervisor = supervisor_of(organization, email="sam@example.org", full_name="Sam Sauvé")
    dashboard = f"/{language}/organizations/{organization.pk}/"
    page = new_page(language=language)
    session, authenticator_id = virtual_authenticator(page)

    # First sign-in: the set-up page offers a passkey instead of the code app.
    log_in(page, language=language, email=supervisor.email)
    page.goto(dashboard)
    assert page.url.endswith(f"/{language}/accounts/two-factor/set-up/")
    page.navigate(
        page.locator("main").get_by_role("link", name=t(language, "Add a passkey instead")).click
    )
    assert page.url.endswith(f"/{language}/accounts/two-factor/passkeys/add/")
    assert page.locator("main h1").inner_text() == t(language, "Add a passkey")
    # The organization's requirement is said, and nothing else can be opened meanwhile.
    assert page.locator("main .notice").count() == 1
    assert page.locator("[data-quick-exit]").count() == 1
    assert page.locator(".hotline").count() >= 1
    assert_axe_clean(page)
    page.locator("input[name=name]").fill("Téléphone de travail")
    add = page.locator("main").get_by_role("button", name=t(language, "Add the passkey"))
    page.navigate(add.click)
    assert page.locator("main h1").inner_text() == t(language, "Your recovery codes")
    assert len(page.locator("#recovery-codes li").all_inner_texts()) == 10
    assert len(credentials(session, authenticator_id)) == 1
    page.navigate(
        page.locator("main")
        .get_by_role("link", name=t(language, "I have kept them: continue"))
        .click
    )
    assert page.url.endswith(dashboard)

    # The two-factor page lists it by its name.
    page.goto(f"/{language}/accounts/two-factor/")
    assert "Téléphone de travail" in page.locator("main").inner_text()
    assert_axe_clean(page)
    page.navigate(page.get_by_role("button", name=t(language, "Log out")).click)

    # The next sign-in asks for the second factor; the passkey gives it.
    log_in(page, language=language, email=supervisor.email)
    assert page.url.endswith(f"/{language}/accounts/two-factor/code/")
    use = page.locator("main").get_by_role("button", name=t(language, "Use my passkey"))
    assert use.is_visible()
    assert_axe_clean(page)
    page.navigate(use.click)
    assert page.url.endswith(dashboard)
    assert "Maison Marguerite" in page.locator("main").inner_text()


def test_the_same_device_twice_is_refused_in_the_page_and_the_pages_fit_a_phone(
    new_page, transactional_db
):
    organization = OrganizationFactory(name="Maison Marguerite")
    supervisor = supervisor_of(organization, email="sam@example.org")
    page = new_page(language="fr", user=supervisor, phone=True)
    session, authenticator_id = virtual_authenticator(page)
    page.goto("/fr/accounts/two-factor/passkeys/add/")
    assert fits_a_small_phone(page)
    assert_axe_clean(page)
    add = page.locator("main").get_by_role("button", name=t("fr", "Add the passkey"))
    page.locator("input[name=name]").fill("Clé")
    page.navigate(add.click)
    page.goto("/fr/accounts/two-factor/")
    page.navigate(
        page.locator("main")
        .get_by_role("link", name=t("fr", "Rename or remove “%(name)s”") % {"name": "Clé"})
        .click
    )
    assert fits_a_small_phone(page)
    assert_axe_clean(page)

    # The device that already holds this person's passkey refuses a second one (the
    # browser is told which it holds): the page says so, and stays.
    page.goto("/fr/accounts/two-factor/passkeys/add/")
    error = page.locator("#passkey-error")
    assert error.is_hidden()
    add.click()
    error.wait_for(state="visible")
    assert error.inner_text() == t("fr", "The passkey could not be added. Try again.")
    assert page.url.endswith("/fr/accounts/two-factor/passkeys/add/")
    assert len(credentials(session, authenticator_id)) == 1
