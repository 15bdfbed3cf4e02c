"""axe-core on every learner page and the login pages, in French and in English: no serious
or critical violation. Moderate and minor findings are written to artifacts/axe/ to read.

To cover a new page (quiz, certificate, supervisor dashboard, verification), append a `Case`
to PAGES: who looks at it, the path after the language prefix, and what to do on the page
before the check (fill a form with errors, open a dialog…).

axe-core comes from the `axe-playwright-python` package (it bundles axe.min.js, MPL-2.0):
nothing is fetched from the network.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

from courses.models import LessonProgress
from courses.services import enrollment_create, enrollment_update_completion, lesson_mark_done
from tests.browser.conftest import LANGUAGES, lessons_in_order, t

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
REPORTS = Path(settings.BASE_DIR) / "artifacts" / "axe"
axe = Axe()


@dataclass(frozen=True)
class Case:
    name: str
    who: str | None  # None (anonymous), "staff", "reader" (half-way), "graduate" (all read)
    path: str | Callable  # after /<language>/; or (course, lessons) -> that path
    act: Callable | None = None  # (page, language) -> None, run before the check

    def __str__(self):
        return self.name

    def resolve(self, course, lessons) -> str:
        return self.path(course, lessons) if callable(self.path) else self.path


def _submit_wrong_password(page, language):
    page.locator("input[name=username]").fill("nobody@example.org")
    page.locator("input[name=password]").fill("wrong")
    page.navigate(page.locator("main").get_by_role("button", name=t(language, "Log in")).click)


def _get_locked_out(page, language):
    locked = t(language, "Too many failed attempts")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        if page.locator("main h1").inner_text() == locked:
            break
        _submit_wrong_password(page, language)
    assert page.locator("main h1").inner_text() == locked


def _submit_empty_profile(page, language):
    # Spaces pass the browser's `required` check and reach the server, which refuses them.
    page.locator("input[name=full_name]").fill("   ")
    page.navigate(page.locator("main").get_by_role("button", name=t(language, "Save")).click)
    assert page.locator(".errorlist").count() >= 1


def _submit_wrong_old_password(page, language):
    page.locator("input[name=old_password]").fill("not-my-password")
    page.locator("input[name=new_password1]").fill("short")
    page.locator("input[name=new_password2]").fill("other")
    page.navigate(page.locator("main button[type=submit]").click)
    assert page.locator(".errorlist").count() >= 1


def _course(course, lessons):
    return f"courses/{course.slug}/"


def _lesson(index):
    return lambda course, lessons: f"courses/{course.slug}/lessons/{lessons[index].pk}/"


PAGES = [
    Case("home", None, ""),
    Case("catalogue", None, "courses/"),
    Case("course, visitor", None, _course),
    Case("login", None, "accounts/login/"),
    Case("login, wrong password", None, "accounts/login/", _submit_wrong_password),
    Case("login, locked out", None, "accounts/login/", _get_locked_out),
    Case("password reset", None, "accounts/password_reset/"),
    Case("password reset sent", None, "accounts/password_reset/done/"),
    Case("password reset, stale link", None, "accounts/reset/MQ/set-password/"),
    Case("password reset complete", None, "accounts/reset/done/"),
    Case("page not found", None, "no-such-page/"),
    Case("browsing safely (quick exit note)", None, "quick-exit/"),
    Case("my learning, empty", "staff", "learning/"),
    Case("catalogue, signed in", "staff", "courses/"),
    Case("course, not enrolled", "staff", _course),
    Case("profile", "staff", "accounts/profile/"),
    Case("profile, errors", "staff", "accounts/profile/", _submit_empty_profile),
    Case("password change", "staff", "accounts/password_change/"),
    Case(
        "password change, errors",
        "staff",
        "accounts/password_change/",
        _submit_wrong_old_password,
    ),
    Case("password changed", "staff", "accounts/password_change/done/"),
    Case("my learning, in progress", "reader", "learning/"),
    Case("course, in progress", "reader", _course),
    Case("lesson, done", "reader", _lesson(0)),
    Case("lesson, to read", "reader", _lesson(1)),
    Case("lesson, last", "reader", _lesson(-1)),
    Case("course, all read", "graduate", _course),
    Case("my learning, all read", "graduate", "learning/"),
]


@dataclass(frozen=True)
class Person:
    who: str | None
    user: object | None


@pytest.fixture
def person(request, course, staff_member) -> Person:
    """Who looks at a group of cases, with the progress the group describes."""
    who = request.param
    if who is None:
        return Person(who, None)
    lessons = lessons_in_order(course)
    if who in {"reader", "graduate"}:
        enrollment = enrollment_create(learner=staff_member, course=course)
        done = lessons[:1] if who == "reader" else lessons
        for lesson in done:
            lesson_mark_done(learner=staff_member, lesson=lesson)
        enrollment_update_completion(enrollment=enrollment)
        assert LessonProgress.objects.filter(learner=staff_member).count() == len(done)
    return Person(who, staff_member)


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


WHO = sorted({case.who for case in PAGES}, key=lambda who: who or "")


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
