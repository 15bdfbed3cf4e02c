"""An administrator imports a course file in the admin, in French and in English: a file with
an error gets the loader's message with its line, a good one what applying it would do, then
applying it creates the course, whose page offers its export. axe finds no serious violation
on these pages."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from courses.models import Course
from tests.browser.conftest import t
from tests.curriculum.documents import dump, small_document

pytestmark = pytest.mark.browser

axe = Axe()


def blocking(page) -> list:
    violations = axe.run(page).response["violations"]
    return [
        (v["id"], [n["target"] for n in v["nodes"]])
        for v in violations
        if v["impact"] in {"serious", "critical"}
    ]


def choose_file(page, text: str, name: str, language: str) -> None:
    page.locator("input[name=file]").set_input_files(
        {"name": name, "mimeType": "application/yaml", "buffer": text.encode("utf-8")}
    )
    page.navigate(page.get_by_role("button", name=t(language, "Check the file")).click)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_administrator_imports_a_course_file_after_fixing_its_error(
    new_page, administrator, language
):
    document = small_document(modules=2)
    good = dump(document)
    del document["modules"][1]["lessons"][0]["minutes"]
    bad = dump(document)
    line = next(n for n, text in enumerate(bad.splitlines(), 1) if "id: m2-l1-" in text)

    page = new_page(language=language, user=administrator)
    page.goto(f"/{language}/admin/")
    page.navigate(page.get_by_role("link", name=t(language, "course files").capitalize()).click)
    assert page.locator("h1").inner_text() == t(language, "Import a course file")
    assert blocking(page) == [], blocking(page)

    choose_file(page, bad, "partner.yaml", language)
    error = page.locator(".errornote").first.inner_text()
    assert (
        t(language, "The course file cannot be loaded: line %(line)s, %(entry)s: %(problem)s")[:20]
        in error
    )
    assert f" {line}," in error
    assert "minutes" in error
    assert Course.objects.count() == 0
    assert blocking(page) == [], blocking(page)

    choose_file(page, good, "partner.yaml", language)
    table = page.locator(".course-file-table table")
    assert table.locator("caption").inner_text() == t(language, "Entries of the file, by kind")
    assert Course.objects.count() == 0
    assert blocking(page) == [], blocking(page)

    page.navigate(page.get_by_role("button", name=t(language, "Apply")).click)
    assert page.locator(".course-file-done").count() == 1
    course = Course.objects.get(slug="frontline-awareness")
    assert course.modules.count() == 2
    assert blocking(page) == [], blocking(page)

    opening = t(language, "Open the course “%(title)s”") % {
        "title": getattr(course, f"title_{language}")
    }
    page.navigate(page.get_by_role("link", name=opening).click)
    export = page.get_by_role("link", name=t(language, "Export as a course file"))
    with page.expect_download() as download:
        export.click()
    assert download.value.suggested_filename == "frontline-awareness.yaml"
