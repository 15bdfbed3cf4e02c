"""The supervisors' dashboard on a phone and on a laptop, in French and in English: on a
small phone every row's status is on screen and the page never scrolls sideways; on a
laptop every column of the table fits; the overdue bar is red, never green; axe is clean."""

import datetime
import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from PIL import Image

from tests.browser.conftest import LANGUAGES, t

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
axe = Axe()


@pytest.fixture
def dashboard(transactional_db):
    """An organization whose dashboard has a row in each status, long names and addresses
    included, and a date in every date column."""
    from courses.models import LessonProgress
    from tests.certificates.factories import CertificateFactory
    from tests.factories import CourseFactory, EnrollmentFactory
    from tests.organizations.factories import (
        AssignmentFactory,
        OrganizationFactory,
        staff_of,
        supervisor_of,
    )

    organization = OrganizationFactory(name="Refuge Le Phare")
    course = CourseFactory(lessons=3, title_fr="Reconnaître la traite", title_en="Recognising")
    lessons = [lesson for module in course.modules.all() for lesson in module.lessons.all()]
    today = timezone.localdate()
    people = [
        ("Alice Arsenault", "alice@example.org", None, 0, False),
        ("Bruno Bélanger-Desrochers", "bruno.belanger-desrochers@refuge.example.org", 20, 1, False),
        ("Chloé Côté", "chloe@example.org", 30, 3, True),
        ("Dany Dubé", "dany@example.org", -1, 0, False),
        ("Éloïse Gagné-Fitzgerald", "eloise@example.org", 12, 2, False),
        ("François Lévesque", "francois@example.org", None, 3, True),
    ]
    for name, email, due_in, done, completed in people:
        learner = staff_of(organization, full_name=name, email=email)
        due = today + datetime.timedelta(days=due_in) if due_in is not None else None
        AssignmentFactory(organization=organization, learner=learner, course=course, due_on=due)
        if done:
            enrollment = EnrollmentFactory(
                learner=learner,
                course=course,
                last_activity_at=timezone.now(),
                completed_at=timezone.now() if completed else None,
            )
            for lesson in lessons[:done]:
                LessonProgress.objects.create(learner=learner, lesson=lesson)
            if completed:
                # One valid for a year, one expiring soon (the longest status label).
                days = 365 if name == "Chloé Côté" else 3
                CertificateFactory(
                    enrollment=enrollment, expires_on=today + datetime.timedelta(days=days)
                )
    return organization, supervisor_of(organization), len(people)


def open_dashboard(new_page, dashboard, language, width):
    organization, supervisor, count = dashboard
    page = new_page(language=language, user=supervisor, phone=width < 500)
    page.set_viewport_size({"width": width, "height": 800})
    response = page.goto(f"/{language}/organizations/{organization.pk}/")
    assert response.status == 200
    return page, count


def no_sideways_scrolling(page) -> bool:
    return page.evaluate("() => document.scrollingElement.scrollWidth <= window.innerWidth")


def blocking_violations(page) -> list:
    violations = axe.run(page).response["violations"]
    return [
        (v["id"], [n["target"] for n in v["nodes"]]) for v in violations if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", [320, 390])
def test_on_a_phone_every_rows_status_shows_without_sideways_scrolling(
    new_page, dashboard, language, width
):
    page, count = open_dashboard(new_page, dashboard, language, width)
    rows = page.locator("table.dashboard tbody tr")
    assert rows.count() == count
    statuses = page.locator("table.dashboard tbody .badge")
    assert statuses.count() == count
    for index in range(count):
        status = statuses.nth(index)
        status.scroll_into_view_if_needed()
        assert status.is_visible()
        box = status.bounding_box()
        assert box["x"] >= 0, (index, box)
        assert box["x"] + box["width"] <= width, (index, box)
    labels = [t(language, "Overdue"), t(language, "Completed"), t(language, "Certificate expiring")]
    assert all(rows.filter(has_text=label).count() == 1 for label in labels)
    # Each value says which column it is: the column's name beside it.
    due = rows.filter(has_text="Dany Dubé").locator("td", has_text=str(timezone.localdate().year))
    assert t(language, "Due on") in due.first.evaluate(
        "cell => getComputedStyle(cell, '::before').content"
    )
    assert no_sideways_scrolling(page)
    assert not blocking_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_on_a_laptop_every_column_of_the_table_fits(new_page, dashboard, language):
    page, count = open_dashboard(new_page, dashboard, language, 1280)
    headers = page.locator("table.dashboard thead th")
    assert headers.count() == 10
    for index in range(10):
        box = headers.nth(index).bounding_box()
        assert box["width"] > 0, index
        assert box["x"] + box["width"] <= 1280, index
    assert page.locator("table.dashboard tbody tr").count() == count
    assert no_sideways_scrolling(page)
    # Dates as a reader writes them, not ISO 8601.
    body = page.locator("table.dashboard tbody").inner_text()
    assert timezone.localdate().isoformat() not in body
    assert not blocking_violations(page)


def dominant_colour(png: bytes) -> tuple[int, int, int]:
    """The commonest colour of an image that is not white, grey or black."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = sorted(image.getcolors(image.width * image.height), reverse=True)
    return next(rgb for _n, rgb in colours if max(rgb) - min(rgb) > 40)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_overdue_bar_is_red_and_labelled_not_green(new_page, dashboard, language):
    page, _count = open_dashboard(new_page, dashboard, language, 390)
    item = page.locator(".status-bars li", has_text=t(language, "Overdue")).first
    assert "1" in item.inner_text()
    red, green, _blue = dominant_colour(item.locator("meter").screenshot())
    assert red > 2 * green, (red, green)
