"""Steps of an administrator in the admin, for the browser tests to share."""

from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_accessibility import violations_report

WINDOW = {"width": 1280, "height": 800}
BLOCKING = {"serious", "critical"}
axe = Axe()


def open_admin_page(page, *, language: str, path: str):
    """Open an admin page in a 1,280 px window (a laptop's); the response."""
    page.set_viewport_size(WINDOW)
    # A course page holds every module and lesson: slower than a learner's page.
    page.set_default_timeout(30_000)
    response = page.goto(f"/{language}/admin/{path}")
    assert response.status == 200, path
    return response


def page_width(page) -> int:
    """How wide the page is drawn: more than the window means a horizontal scroll."""
    return page.evaluate("document.documentElement.scrollWidth")


def admin_page_problems(
    page, *, language: str, path: str, errors: list[str], run_axe: bool = True
) -> list[str]:
    """Open the page; what is wrong with it (too wide, serious axe findings), as text.

    `errors` is the page factory's list: axe's own injected styles break our CSP, and
    those console errors, axe's and not the page's, are taken out of it."""
    open_admin_page(page, language=language, path=path)
    problems = []
    width = page_width(page)
    if width > WINDOW["width"]:
        problems.append(f"{path} ({language}): {width} px wide in a 1,280 px window")
    if not run_axe:
        return problems
    before = len(errors)
    violations = axe.run(page).response["violations"]
    errors[before:] = [e for e in errors[before:] if "Content Security Policy" not in e]
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    if blocking:
        problems.append(f"{path} ({language}):\n{violations_report(blocking)}")
    return problems


def add_inline_item(page, *, model: str, within=None):
    """Click nested admin's "add another" for `model` ("quizzes-question"), in `within`
    (a locator of the parent item) or the page; the new item's locator."""
    scope = within if within is not None else page
    group = scope.locator(f".djn-group-{model}").first
    group.locator(f".djn-add-handler.djn-model-{model}").last.click()
    return group.locator(f".djn-item.djn-dynamic-form-{model}:not(.djn-empty-form)").last


def fill_translated(item, *, field: str, values: dict[str, str]):
    """Fill a translated field of an inline item in each language (modeltranslation tabs:
    open the language's tab first)."""
    for language, value in values.items():
        box = item.locator(f"[name$='-{field}_{language}']").first
        tab_id = box.get_attribute("id")
        tab = item.locator(f"[role=tab] a[href='#tab_{tab_id}']")
        if tab.count():
            tab.first.click()
        box.fill(value)
