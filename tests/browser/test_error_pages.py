"""The error pages a person can land on (an address that does not exist, a POST-only address
opened again) on a phone, in both languages: our page, with the quick exit and the hotline,
readable without sideways scrolling, and no serious accessibility violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import LANGUAGES, t

pytestmark = pytest.mark.browser

axe = Axe()
# A common phone (390 × 844 CSS pixels).
PHONE = {"width": 390, "height": 844}
ERRORS = {
    404: "/{language}/no-such-page/",
    # Enrolling is a POST (the course page's button); typing its address is a GET.
    405: "/{language}/courses/any-course/enroll/",
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("status", sorted(ERRORS))
def test_an_error_page_on_a_phone_keeps_the_quick_exit_and_the_hotline(
    new_page, staff_member, exit_site, language, status
):
    page = new_page(language=language, user=staff_member, phone=True)
    page.set_viewport_size(PHONE)

    response = page.goto(ERRORS[status].format(language=language))

    assert response.status == status
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("main h1").inner_text().strip()
    hotline = page.locator("footer .hotline")
    assert hotline.is_visible()
    assert "1-833-900-1010" in hotline.inner_text()
    assert t(language, "In immediate danger, call 911.") in hotline.inner_text()
    assert page.get_by_role("link", name=t(language, "Log out")).count() == 0  # a button
    assert page.get_by_role("button", name=t(language, "Log out")).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    violations = axe.run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in {"serious", "critical"}] == []

    quick_exit = page.get_by_role("link", name=t(language, "Quick exit"))
    assert quick_exit.is_visible()
    page.navigate(quick_exit.click)
    assert page.url.startswith(exit_site.url)
