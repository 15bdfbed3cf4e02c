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
    """How wide the page is drawn: more than the window means a horizontal scroll.

    The admin's CSS clips sideways overflow (the page's scrollWidth stays the window's),
    so this is the rightmost edge of any box drawn on the page, clipped or not."""
    return page.evaluate(
        """() => Math.ceil(Math.max(document.documentElement.scrollWidth,
            ...Array.from(document.body.querySelectorAll("*"), (element) => {
                const box = element.getBoundingClientRect();
                return box.width || box.height ? box.right + window.scrollX : 0;
            })))"""
    )


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
    return problems + axe_problems(page, errors=errors, where=f"{path} ({language})")


def axe_problems(page, *, errors: list[str] | None = None, where: str = "") -> list[str]:
    """axe's serious and critical findings on the page as it is, as text.

    axe-core injects a <style> of its own while it runs, which our CSP (style-src 'self')
    blocks: those console errors are axe's, not the page's, and are taken out of `errors`
    (the page factory's list; by default the page's own). The page's own CSP errors,
    reported before axe runs, stay."""
    errors = page.errors if errors is None else errors
    before = len(errors)
    violations = axe.run(page).response["violations"]
    errors[before:] = [e for e in errors[before:] if "Content Security Policy" not in e]
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    return [f"{where or page.url}:\n{violations_report(blocking)}"] if blocking else []


def assert_axe_clean(page) -> None:
    problems = axe_problems(page)
    assert not problems, "\n".join(problems)


def add_inline_item(page, *, model: str, within=None):
    """Click nested admin's "add another" for `model` ("quizzes-question"), in `within`
    (a locator of the parent item) or the page; the new item's locator."""
    scope = within if within is not None else page
    group = scope.locator(f".djn-group[data-inline-model='{model}']").first
    group.locator(f".djn-add-handler.djn-model-{model}").last.click()
    return group.locator(f".djn-inline-form[data-inline-model='{model}']:not(.djn-empty-form)").last


def fill_translated(item, *, field: str, values: dict[str, str]):
    """Fill a translated field of an inline item in each language (modeltranslation tabs:
    open the language's tab first)."""
    for language, value in values.items():
        box = item.locator(f"[name$='-{field}_{language}']").first
        tab_id = box.get_attribute("id")
        tab = item.locator(f"[role=tab][aria-controls='tab_{tab_id}']")
        if tab.count():
            tab.first.click()
        box.fill(value)
