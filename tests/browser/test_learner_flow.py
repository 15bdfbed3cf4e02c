"""A staff member reads the real course in a real browser, in French and in English."""

import pytest

from tests.browser import flows
from tests.browser.conftest import LANGUAGES

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_staff_member_logs_in_enrolls_reads_every_lesson_and_completes(
    new_page, course, staff_member, language
):
    page = new_page(language=language)
    driver = flows.Mouse()
    flows.log_in_as(page, driver, language=language, user=staff_member)
    flows.enroll(page, driver, language=language, course=course)
    flows.read_every_lesson(page, driver, language=language, course=course, learner=staff_member)
    flows.see_progress_and_completion(page, language=language, course=course, learner=staff_member)
