"""The quick exit leaves Repère at once — by the button, by pressing Shift three times, or,
without JavaScript, by following the button as a plain link — and tells the next site nothing.
"""

import pytest

from tests.browser.conftest import LANGUAGES, t

pytestmark = pytest.mark.browser


def is_repere(page, live_server) -> bool:
    return page.url.startswith(live_server.url)


def assert_left_without_a_trace(page, exit_site, live_server):
    page.wait_for_url(exit_site.url)
    assert page.locator("h1").inner_text() == "Weather"
    assert exit_site.requests, "the exit site was not reached"
    assert all("Referer" not in request["headers"] for request in exit_site.requests), (
        "the exit site learnt where the visitor came from"
    )
    page.go_back()
    assert not is_repere(page, live_server), f"Back returned to Repère: {page.url}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_quick_exit_button_leaves_the_site_and_back_does_not_return(
    new_page, exit_site, live_server, course, language
):
    page = new_page(language=language)
    page.goto(f"/{language}/courses/{course.slug}/")
    page.get_by_role("link", name=t(language, "Quick exit")).click()
    assert_left_without_a_trace(page, exit_site, live_server)


@pytest.mark.parametrize("language", LANGUAGES)
def test_pressing_shift_three_times_leaves_the_site_and_back_does_not_return(
    new_page, exit_site, live_server, course, language
):
    page = new_page(language=language)
    page.goto(f"/{language}/courses/{course.slug}/")
    for _ in range(3):
        page.keyboard.press("Shift")
    assert_left_without_a_trace(page, exit_site, live_server)


def test_shift_pressed_while_typing_capitals_does_not_leave(new_page, live_server):
    """Shift+letter resets the count: typing a name with capitals must not throw anyone out."""
    page = new_page(language="fr")
    page.goto("/fr/accounts/login/")
    page.locator("input[name=username]").press_sequentially("Ab Cd Ef")
    page.wait_for_timeout(200)
    assert is_repere(page, live_server)
    assert page.locator("input[name=username]").input_value() == "Ab Cd Ef"


def test_two_shift_presses_do_not_leave(new_page, live_server):
    page = new_page(language="fr")
    page.goto("/fr/")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.wait_for_timeout(200)
    assert is_repere(page, live_server)


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_javascript_the_quick_exit_is_a_plain_link_that_leaves(
    new_page, exit_site, live_server, course, language
):
    page = new_page(language=language, javascript=False)
    page.goto(f"/{language}/courses/{course.slug}/")
    page.get_by_role("link", name=t(language, "Quick exit")).click()
    page.wait_for_url(exit_site.url)
    assert page.locator("h1").inner_text() == "Weather"
    assert all("Referer" not in request["headers"] for request in exit_site.requests)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_quick_exit_is_among_the_first_keyboard_stops_and_enter_leaves(
    new_page, exit_site, live_server, course, language
):
    """A keyboard user reaches the exit within three Tabs on any page (after the skip link
    and the note on browsing safely), and Enter leaves."""
    page = new_page(language=language)
    page.goto(f"/{language}/courses/{course.slug}/")
    exit_link = page.get_by_role("link", name=t(language, "Quick exit")).element_handle()
    for _ in range(3):
        page.keyboard.press("Tab")
        if exit_link.evaluate("element => element === document.activeElement"):
            break
    else:
        raise AssertionError("the quick exit is not within the first three keyboard stops")
    page.keyboard.press("Enter")
    assert_left_without_a_trace(page, exit_site, live_server)
