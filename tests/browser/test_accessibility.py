"""axe-core on every learner page and the login pages, in French and in English: no serious
or critical violation. Moderate and minor findings are written to artifacts/axe/ to read.

The pages are listed in tests/browser/pages.py: a new page is a new `Case` there.

axe-core comes from the `axe-playwright-python` package (it bundles axe.min.js, MPL-2.0):
nothing is fetched from the network.
"""

import json
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

from tests.browser.conftest import LANGUAGES, lessons_in_order
from tests.browser.pages import PAGES, WHO, Case

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
REPORTS = Path(settings.BASE_DIR) / "artifacts" / "axe"
axe = Axe()


def violations_report(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"  - {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(
            f"      {node['target']}: {node['failureSummary']}" for node in violation["nodes"]
        )
    return "\n".join(lines)


def check(page, case: Case, language: str, path: str) -> list[str]:
    """Open the case's page, act on it, run axe; the blocking findings, as text."""
    response = page.goto(f"/{language}/{path}")
    assert response.status < 500, case
    if case.act:
        case.act(page, language)
    assert page.locator("html").get_attribute("lang") == language, case
    violations = axe.run(page).response["violations"]
    REPORTS.mkdir(parents=True, exist_ok=True)
    slug = f"{case.name}-{language}".replace(" ", "-").replace(",", "")
    (REPORTS / f"{slug}.json").write_text(json.dumps(violations, indent=1, ensure_ascii=False))
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    return [f"{case} ({language}):\n{violations_report(blocking)}"] if blocking else []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("person", WHO, ids=lambda who: who or "visitor", indirect=True)
def test_pages_have_no_serious_accessibility_violation(new_page, course, person, language):
    """Each person's pages in one browser session (a fresh one per case would triple the
    time); every page is checked, then all the failures are reported together."""
    lessons = lessons_in_order(course)
    page = new_page(language=language, user=person.user)
    failures = [
        failure
        for case in PAGES
        if case.who == person.who
        for failure in check(page, case, language, case.resolve(course, lessons))
    ]
    assert not failures, "\n".join(failures)


def test_axe_finds_violations_when_there_are_some(new_page, live_server):
    """The check is not vacuous: a page with an unlabelled field and an image without
    text fails it (run in a blank page, as axe runs in ours)."""
    page = new_page(language="fr")
    page.goto("/fr/")
    page.evaluate(
        """() => {
          const main = document.querySelector('main');
          main.insertAdjacentHTML('beforeend', '<input type="text"><img src="data:,">');
        }"""
    )
    ids = {v["id"] for v in axe.run(page).response["violations"] if v["impact"] in BLOCKING}
    assert {"label", "image-alt"} <= ids


def test_axe_on_a_page_without_javascript_fails_at_once_instead_of_hanging(new_page, live_server):
    page = new_page(language="fr", javascript=False)
    page.goto("/fr/")
    with pytest.raises(AssertionError, match="cannot run in a page without JavaScript"):
        axe.run(page)
    assert page.evaluate("1 + 1") == 2  # other scripts still run


@pytest.mark.parametrize("person", WHO, ids=lambda who: who or "visitor", indirect=True)
def test_pages_fit_a_small_phone_screen_without_sideways_scrolling(new_page, course, person):
    """WCAG 1.4.10 (reflow): at 320 CSS pixels wide, nothing makes the page scroll sideways.
    In French, whose words are the longer ones."""
    lessons = lessons_in_order(course)
    page = new_page(language="fr", user=person.user, phone=True)
    too_wide = []
    for case in (case for case in PAGES if case.who == person.who):
        page.goto(f"/fr/{case.resolve(course, lessons)}")
        if case.act:
            case.act(page, "fr")
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            wide = page.evaluate(
                """() => [...document.querySelectorAll('body *')]
                  .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
                  .slice(0, 3).map(e => e.outerHTML.slice(0, 80)).join(', ')"""
            )
            too_wide.append(f"{case}: {overflow}px too wide ({wide})")
    assert not too_wide, "\n".join(too_wide)
