"""The knowledge check's item analysis and its list of courses pass axe and fit a laptop,
in both languages."""

import pytest

from tests.assessments.factories import ItemFactory
from tests.assessments.test_item_analysis import _bulk_checks
from tests.browser.admin_flows import admin_page_problems
from tests.browser.conftest import LANGUAGES
from tests.factories import AdminFactory, CourseFactory

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_item_analysis_pages_pass_axe_and_fit_a_laptop(new_page, transactional_db, language):
    course = CourseFactory(lessons=1)
    lesson = course.modules.get().lessons.get()
    items = [ItemFactory(lesson=lesson, position=position) for position in range(3)]
    _bulk_checks(course, items, 20)
    page = new_page(language=language, user=AdminFactory())
    problems = []
    for path in [
        f"assessments/item/item-analysis/{course.pk}/",
        "assessments/item/item-analysis/",
        "assessments/item/",
        f"assessments/item/{items[0].pk}/change/",
    ]:
        problems += admin_page_problems(page, language=language, path=path, errors=new_page.errors)
    assert not problems, "\n".join(problems)
