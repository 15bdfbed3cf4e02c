"""The quiz pages in a real Chromium: taken without JavaScript, and checked by axe-core.

Uses the browser fixtures of tests/browser (one Chromium, nothing leaves the machine, a
console error fails the test).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.workplaces import Workplace
from courses.services import enrollment_create
from quizzes.models import Attempt, Choice
from tests.browser import conftest as browser_conftest
from tests.browser.conftest import t

# The browser fixtures of tests/browser, used here by name.
_browser_settings = browser_conftest._browser_settings
browser = browser_conftest.browser
course = browser_conftest.course
exit_site = browser_conftest.exit_site
new_page = browser_conftest.new_page
staff_member = browser_conftest.staff_member

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
axe = Axe()


def quiz_path(language, course, key="m2-recruitment"):
    module = course.modules.get(key=key)
    return f"/{language}/courses/{course.slug}/modules/{module.pk}/quiz/"


def axe_violations(page) -> list[str]:
    violations = axe.run(page).response["violations"]
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(str(node["target"]) for node in v["nodes"])
        for v in violations
        if v["impact"] in BLOCKING
    ]


def answer_every_question(page, *, right: bool) -> None:
    """Tick, for each question on the page, its right choices (or one wrong one)."""
    for fieldset in page.locator("main fieldset").all():
        inputs = fieldset.locator("input").all()
        wanted = []
        for field in inputs:
            choice = Choice.objects.get(pk=int(field.get_attribute("value")))
            if choice.is_correct == right:
                wanted.append(field)
        for field in wanted if right else wanted[:1]:
            field.check()


@pytest.mark.parametrize(("language", "javascript"), [("fr", False), ("fr", True), ("en", True)])
def test_a_shelter_worker_takes_a_quiz_and_sees_the_result(
    new_page,
    course,
    staff_member,
    language,
    javascript,
):
    """With JavaScript off (the pages need none), or on, where axe-core checks each page."""
    staff_member.workplace = Workplace.SHELTER
    staff_member.save()
    enrollment_create(learner=staff_member, course=course)
    page = new_page(language=language, javascript=javascript, user=staff_member)

    def blocking_violations(page):
        return axe_violations(page) if javascript else []

    page.goto(quiz_path(language, course))
    failures = blocking_violations(page)

    start = t(language, "Start the quiz")
    page.navigate(page.locator("main").get_by_role("button", name=start).click)
    attempt = Attempt.objects.get(learner=staff_member)
    settings = set(attempt.attempt_questions.values_list("question__scenario__setting", flat=True))
    assert settings == {"shelter", "any"}
    failures += blocking_violations(page)

    # A "select all that apply" question left blank (radio buttons are `required`, so the
    # browser itself asks for those): the form comes back with the error, nothing saved.
    answer_every_question(page, right=False)
    for box in page.locator("main input[type=checkbox]").all():
        box.uncheck()
    submit = t(language, "Submit my answers")
    page.navigate(page.locator("main").get_by_role("button", name=submit).click)
    blank = page.locator("main fieldset:has(input[type=checkbox])").count()
    assert blank >= 1
    assert page.locator("main .errorlist").count() == blank
    assert t(language, "Answer this question.") in page.locator("main").inner_text()
    failures += blocking_violations(page)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None

    answer_every_question(page, right=False)
    page.navigate(page.locator("main").get_by_role("button", name=submit).click)
    attempt.refresh_from_db()
    assert (attempt.score, attempt.passed) == (0, False)
    main = page.locator("main").inner_text()
    assert t(language, "What to review") in main
    failures += blocking_violations(page)

    page.navigate(page.locator("main").get_by_role("button", name=t(language, "Try again")).click)
    answer_every_question(page, right=True)
    page.navigate(page.locator("main").get_by_role("button", name=submit).click)
    assert Attempt.objects.filter(learner=staff_member, passed=True).count() == 1
    failures += blocking_violations(page)

    page.goto(f"/{language}/courses/{course.slug}/")
    assert t(language, "Passed") in page.locator("main").inner_text()
    failures += blocking_violations(page)
    assert not failures, "\n".join(failures)
