"""The reading flow with the keyboard alone, and with JavaScript turned off; every page
of tests/browser/pages.py without JavaScript.

The quiz is added to both flows when `flows` gets its steps.
"""

import pytest

from tests.browser import flows
from tests.browser.conftest import LANGUAGES, lessons_in_order
from tests.browser.pages import PAGES, WHO

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_reading_flow_with_the_keyboard_alone(new_page, course, staff_member, language):
    page = new_page(language=language)
    keyboard = flows.Keyboard()
    flows.log_in_as(page, keyboard, language=language, user=staff_member)
    flows.enroll(page, keyboard, language=language, course=course)
    flows.read_every_lesson(page, keyboard, language=language, course=course, learner=staff_member)
    flows.see_progress_and_completion(page, language=language, course=course, learner=staff_member)


@pytest.mark.parametrize("language", LANGUAGES)
def test_reading_flow_without_javascript(new_page, course, staff_member, language):
    page = new_page(language=language, javascript=False)
    mouse = flows.Mouse()
    flows.log_in_as(page, mouse, language=language, user=staff_member)
    flows.enroll(page, mouse, language=language, course=course)
    flows.read_every_lesson(page, mouse, language=language, course=course, learner=staff_member)
    flows.see_progress_and_completion(page, language=language, course=course, learner=staff_member)


def test_the_skip_link_is_the_first_stop_and_moves_the_focus_to_the_content(new_page, course):
    page = new_page(language="fr")
    page.goto(f"/fr/courses/{course.slug}/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("person", WHO, ids=lambda who: who or "visitor", indirect=True)
def test_every_page_works_without_javascript(new_page, course, person):
    """Each page loads, shows its heading, and its forms (errors included) work, with
    JavaScript off. In French only: whether a page needs JavaScript does not depend on the
    language, and the reading flow above runs in both."""
    lessons = lessons_in_order(course)
    page = new_page(language="fr", javascript=False, user=person.user)
    for case in (case for case in PAGES if case.who == person.who):
        response = page.goto(f"/fr/{case.resolve(course, lessons)}")
        expected = 404 if case.name == "page not found" else 200
        assert response.status == expected, case
        if case.act:
            case.act(page, "fr")
        assert page.locator("main h1").inner_text().strip(), case
