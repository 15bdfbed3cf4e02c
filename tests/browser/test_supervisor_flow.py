"""A supervisor imports staff from a CSV file, assigns the course with a due date, sees a
learner's progress change on the dashboard and exports it as CSV, in French and in English.
"""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from accounts.models import User
from courses.services import lesson_mark_done
from organizations.models import Assignment
from quizzes.models import Quiz
from tests.browser import flows
from tests.browser.conftest import LANGUAGES, lessons_in_order, log_in, t
from tests.organizations.factories import OrganizationFactory, supervisor_of

pytestmark = pytest.mark.browser

LEARNER = ("Noor Haddad", "noor@example.org")
OTHER = ("Léa Gagnon", "lea@example.org")


def subnav(page, language: str, label: str) -> None:
    link = page.locator("nav.subnav").get_by_role("link", name=t(language, label))
    page.navigate(link.click)


def dashboard_progress(page, language: str, email: str) -> str:
    table = page.locator("main table.data")
    headers = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    column = headers.index(t(language, "Progress (%)"))
    row = table.locator("tbody tr").filter(has_text=email)
    assert row.count() == 1, f"no single dashboard row for {email}"
    return row.locator("th, td").nth(column).inner_text().strip()


@pytest.mark.parametrize("language", LANGUAGES)
def test_supervisor_imports_assigns_follows_progress_and_exports(
    new_page, course, language, tmp_path
):
    organization = OrganizationFactory(name="Refuge du Fleuve")
    supervisor = supervisor_of(organization, email="sam@example.org", full_name="Sam Superviseur")
    page = new_page(language=language)
    log_in(page, language=language, email=supervisor.email)
    page.goto(f"/{language}/organizations/{organization.pk}/")

    # Import two people from a CSV file.
    header, separator = ("nom;courriel", ";") if language == "fr" else ("name,email", ",")
    lines = [header] + [separator.join(person) for person in (LEARNER, OTHER)]
    staff_file = tmp_path / "staff.csv"
    staff_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    subnav(page, language, "Import a list")
    page.locator("main input[type=file]").set_input_files(str(staff_file))
    page.navigate(page.locator("main").get_by_role("button", name=t(language, "Import")).click)
    assert t(language, "Import done") in page.locator("main h2").first.inner_text()
    for _, email in (LEARNER, OTHER):
        assert email in page.locator("main").inner_text()
    learner = User.objects.get(email=LEARNER[1])
    assert learner.full_name == LEARNER[0]
    assert organization.memberships.filter(user__email__in=[LEARNER[1], OTHER[1]]).count() == 2

    # Assign the course to everyone, due in a month.
    due_on = timezone.localdate() + datetime.timedelta(days=30)
    subnav(page, language, "Assign a course")
    main = page.locator("main")
    main.locator("select[name=course]").select_option(str(course.pk))
    main.locator("input[name=due_on]").fill(due_on.isoformat())
    main.locator("input[name=scope][value=everyone]").check()
    page.navigate(main.get_by_role("button", name=t(language, "Assign")).click)
    assert f"/organizations/{organization.pk}/" in page.url
    assignment = Assignment.objects.get(organization=organization, learner=learner)
    assert (assignment.course_id, assignment.due_on) == (course.pk, due_on)
    assert dashboard_progress(page, language, LEARNER[1]) == "0"

    # The learner reads a lesson; the dashboard shows it once reloaded.
    lessons = lessons_in_order(course)
    lesson_mark_done(learner=learner, lesson=lessons[0])
    page.reload()
    # Progress counts the lessons and the module quizzes; the database divides whole
    # numbers (supervision/selectors/statuses.py): 1 of 22 is 4 %.
    requirements = len(lessons) + Quiz.objects.filter(module__course=course).count()
    expected = str(100 // requirements)
    assert dashboard_progress(page, language, LEARNER[1]) == expected
    assert dashboard_progress(page, language, OTHER[1]) == "0"

    # Export as CSV.
    with page.expect_download() as download_info:
        main.get_by_role("link", name=t(language, "Export as CSV")).click()
    exported = tmp_path / "export.csv"
    download_info.value.save_as(exported)
    text = exported.read_text(encoding="utf-8-sig")
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header_row = rows[0]
    mine = [row for row in rows[1:] if LEARNER[1] in row]
    assert len(mine) == 1, rows
    row = dict(zip(header_row, mine[0], strict=False))
    assert row[t(language, "Name")] == LEARNER[0]
    assert row[t(language, "Progress (%)")] == expected
    assert due_on.isoformat() in mine[0]
    assert flows.heading(page) == organization.name
