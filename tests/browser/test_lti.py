"""LTI pages in a real browser, in French and in English: a teacher opens Repère from
their LMS (the real platform of tests/lti/platform.py, on 127.0.0.1), picks a module on
the deep-linking page and returns to the LMS; an unknown LMS gets the refusal page. Each
page is clean for axe and fits a 320 px screen."""

import pytest

from tests.browser.admin_flows import axe_problems
from tests.browser.conftest import LANGUAGES, t
from tests.factories import CourseFactory
from tests.lti.factories import registration_for
from tests.lti.platform import INSTRUCTOR, start_lms
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def lms(live_server, transactional_db):
    platform, stop = start_lms()
    platform.tool_url = live_server.url
    registration_for(platform, organization=OrganizationFactory(name="Refuge Le Phare"))
    yield platform
    stop()


def _launch(page, lms, **extra):
    """What the LMS does when a person clicks Repère's link: the login initiation, then
    the form it posts back to Repère (the LMS's own script would submit it)."""
    page.goto(lms.login_initiation_url(**extra))
    page.wait_for_url(f"{lms.url}/auth**")
    page.navigate(lambda: page.evaluate("document.forms[0].submit()"))


def _fits_320(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 320


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_teacher_places_a_module_in_the_lms_from_a_page_clean_for_axe(new_page, lms, language):
    course = CourseFactory(
        slug="reconnaitre", title_fr="Reconnaître", title_en="Recognising", lessons=3
    )
    module = course.modules.order_by("position").last()
    lms.launch.deep_linking = True
    lms.launch.roles = [INSTRUCTOR]
    lms.launch.lineitem = False
    lms.launch.locale = {"fr": "fr-CA", "en": "en-CA"}[language]
    page = new_page(language=language, phone=True)
    _launch(page, lms)

    main = page.locator("main")
    assert main.get_by_role("heading", level=1).inner_text() == t(
        language, "Choose a course for your LMS"
    )
    assert _fits_320(page)
    problems = axe_problems(page, where=f"deep linking ({language})")
    main.locator(f"input[value='module:{module.pk}']").check()
    page.navigate(main.get_by_role("button", name=t(language, "Add to my LMS")).click)
    assert main.get_by_role("heading", level=1).inner_text() == t(language, "Back to your LMS")
    assert _fits_320(page)
    problems += axe_problems(page, where=f"return to the LMS ({language})")
    assert not problems, "\n".join(problems)
    page.navigate(main.get_by_role("button", name=t(language, "Return to my LMS")).click)
    (item,) = lms.deep_link_items
    assert item["custom"] == {"repere_course": "reconnaitre", "repere_module": str(module.pk)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_launch_from_an_unknown_lms_gets_a_refusal_page_clean_for_axe(new_page, lms, language):
    page = new_page(language=language, phone=True)
    response = page.goto(f"{lms.tool_url}/lti/login/?iss=https://unknown.example.org&login_hint=x")
    assert response.status in (400, 403)
    assert page.locator("nav.quick-exit").count() == 1
    assert page.locator("main h1").inner_text() == t(
        language, "Repère could not open this activity"
    )
    assert _fits_320(page)
    problems = axe_problems(page, where=f"refusal ({language})")
    assert not problems, "\n".join(problems)
