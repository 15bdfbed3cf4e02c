"""The knowledge check's gain report in a browser, in French and English: the
supervisors' page on a phone (no figure for four people, then the table and the chart for
five; axe clean, 320 px) and the admin's pages on a laptop (axe clean)."""

import pytest

from tests.assessments.factories import item_bank, scored
from tests.browser.admin_flows import admin_page_problems, assert_axe_clean, page_width
from tests.browser.conftest import LANGUAGES
from tests.factories import AdminFactory, CourseFactory
from tests.organizations.factories import OrganizationFactory, staff_of, supervisor_of

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_supervisors_gain_page_fits_a_phone_and_passes_axe(
    new_page, transactional_db, language
):
    course = CourseFactory(lessons=6)
    item_bank(course=course, per_form=1)
    organization = OrganizationFactory()
    for index in range(4):
        scored(
            learner=staff_of(organization, full_name=f"Zoé Nommée{index}"),
            course=course,
            pre=(index, 10),
            post=(index + 5, 10),
        )
    page = new_page(language=language, user=supervisor_of(organization), phone=True)
    url = f"/{language}/organizations/{organization.pk}/gain/"
    page.goto(url)
    main = page.locator("main")
    assert getattr(course, f"title_{language}") in main.inner_text()
    assert main.locator("figure.bar-chart").count() == 0
    assert "Nommée" not in main.inner_text()
    assert_axe_clean(page)
    assert page_width(page) <= 320

    scored(learner=staff_of(organization), course=course, pre=(2, 10), post=(9, 10))
    page.goto(url)
    assert main.locator("table.gain-table").count() == 1
    assert main.locator("figure.bar-chart svg").count() == 1
    assert "Nommée" not in main.inner_text()
    assert_axe_clean(page)
    assert page_width(page) <= 320


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_admins_gain_pages_pass_axe(new_page, transactional_db, language):
    course = CourseFactory(lessons=3)
    item_bank(course=course, per_form=1)
    organization = OrganizationFactory()
    for index in range(5):
        scored(learner=staff_of(organization), course=course, pre=(index, 10), post=(9, 10))
    page = new_page(language=language, user=AdminFactory())
    problems = []
    for path in [
        "assessments/attempt/",
        f"assessments/attempt/course/{course.pk}/",
        f"assessments/attempt/course/{course.pk}/?organization={organization.pk}",
    ]:
        problems += admin_page_problems(page, language=language, path=path, errors=new_page.errors)
    assert not problems, "\n".join(problems)
