"""Two-factor in Chromium, in both languages: a supervisor whose organization requires it
signs in, sets it up from the QR code's key, is shown the recovery codes, reaches the
dashboard; signing in again asks for a code, a wrong one is refused, one computed from the
secret signs in."""

import re

import pytest

from tests.browser.admin_flows import assert_axe_clean
from tests.browser.conftest import LANGUAGES, log_in, t
from tests.factories import totp_code
from tests.organizations.factories import OrganizationFactory, supervisor_of

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_supervisor_with_two_factor_required_is_asked_for_a_code(
    new_page, transactional_db, language
):
    organization = OrganizationFactory(name="Maison Marguerite", require_two_factor=True)
    supervisor = supervisor_of(organization, email="sam@example.org", full_name="Sam Sauvé")
    dashboard = f"/{language}/organizations/{organization.pk}/"
    page = new_page(language=language)

    # First sign-in: set up before any supervision page.
    log_in(page, language=language, email=supervisor.email)
    page.goto(dashboard)
    assert page.url.endswith(f"/{language}/accounts/two-factor/set-up/")
    assert page.locator("main h1").inner_text() == t(language, "Set up two-factor")
    assert page.locator("main figure.qr-code svg").count() == 1
    assert_axe_clean(page)
    secret = page.locator("#totp-secret").inner_text().strip()
    page.locator("input[name=code]").fill(totp_code(secret))
    page.navigate(
        page.locator("main").get_by_role("button", name=t(language, "Turn on two-factor")).click
    )
    assert page.locator("main h1").inner_text() == t(language, "Your recovery codes")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert all(re.fullmatch(r"\d{8}", code) for code in codes)
    assert_axe_clean(page)
    page.navigate(
        page.locator("main")
        .get_by_role("link", name=t(language, "I have kept them: continue"))
        .click
    )
    assert page.url.endswith(dashboard)
    page.navigate(page.get_by_role("button", name=t(language, "Log out")).click)

    # The next sign-in asks for a code after the password.
    log_in(page, language=language, email=supervisor.email)
    assert page.url.endswith(f"/{language}/accounts/two-factor/code/")
    assert page.locator("main h1").inner_text() == t(language, "Two-factor code")
    page.locator("input[name=code]").fill("000000")
    sign_in = page.locator("main").get_by_role("button", name=t(language, "Sign in"))
    page.navigate(sign_in.click)
    error = t(
        language,
        "This code is not right. Type the 6 digits your app shows now, or one of your "
        "recovery codes.",
    )
    assert error in page.locator("main [role=alert]").inner_text()
    assert_axe_clean(page)
    page.locator("input[name=code]").fill(totp_code(secret))
    page.navigate(sign_in.click)
    assert page.url.endswith(dashboard)
    assert "Maison Marguerite" in page.locator("main").inner_text()
