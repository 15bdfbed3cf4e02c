"""A supervisor signs in and lands on the dashboard, opens a person, changes a due date,
sends a reminder and removes them: in French and in English, on a phone (390 px) and a
laptop (1280 px). axe finds nothing serious on the person page, which never scrolls
sideways."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone, translation

from accounts.models import OutgoingEmail
from organizations.models import Assignment, Membership
from supervision.models import ReminderLog
from supervision.services import ERROR_ALREADY_REMINDED
from tests.browser.conftest import LANGUAGES, log_in, t
from tests.factories import EnrollmentFactory, UserFactory
from tests.organizations.factories import AssignmentFactory, OrganizationFactory, supervisor_of

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}
axe = Axe()
REMIND_BUTTON = 'Send a reminder now<span class="visually-hidden"> about “%(course)s”</span>'


def label(language: str, msgid: str) -> str:
    """The visible start of a control's name (before its visually hidden part)."""
    return t(language, msgid).split("<span")[0]


def no_sideways_scrolling(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_supervisor_lands_opens_a_person_changes_a_date_reminds_and_removes(
    new_page, course, language, viewport
):
    organization = OrganizationFactory(name="Refuge du Fleuve")
    supervisor = supervisor_of(organization, email="sam@example.org", full_name="Sam Superviseur")
    person = UserFactory(
        email="noor@example.org", full_name="Noor Haddad", preferred_language=language
    )
    Membership.objects.create(user=person, organization=organization)
    first_due = timezone.localdate() + datetime.timedelta(days=20)
    # Through the factories that tell the dashboard's summary, as the services do.
    assignment = AssignmentFactory(
        organization=organization, learner=person, course=course, due_on=first_due
    )
    EnrollmentFactory(learner=person, course=course)

    page = new_page(language=language)
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, language=language, email=supervisor.email)
    # Lands on the organization's dashboard, not on "My learning".
    assert page.url.rstrip("/").endswith(f"/{language}/organizations/{organization.pk}")
    assert page.locator("main h1").inner_text().strip() == organization.name

    # Opens the person from their row.
    main = page.locator("main")
    page.navigate(main.locator("table").get_by_role("link", name="Noor Haddad").click)
    assert page.url.endswith(f"/organizations/{organization.pk}/people/{person.pk}/")
    assert page.locator("main h1").inner_text().strip() == "Noor Haddad"
    assert course.title_fr[:10] in main.inner_text() or course.title_en[:10] in main.inner_text()
    assert no_sideways_scrolling(page) <= 0
    violations = axe.run(page).response["violations"]
    blocking = [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations
                if v["impact"] in BLOCKING]  # fmt: skip
    assert not blocking, blocking

    # Changes the due date.
    new_due = timezone.localdate() + datetime.timedelta(days=45)
    main.locator(f"#due-{assignment.pk}").fill(new_due.isoformat())
    page.navigate(main.get_by_role("button", name=t(language, "Change the due date")).click)
    assignment.refresh_from_db()
    assert assignment.due_on == new_due
    assert "Noor Haddad" in page.locator("div.messages").inner_text()
    assert OutgoingEmail.objects.filter(recipient=person.email).count() == 1

    # Sends a reminder now; a second one the same day is refused, kindly.
    remind = main.get_by_role("button", name=label(language, REMIND_BUTTON))
    page.navigate(remind.first.click)
    assert ReminderLog.objects.filter(user=person, kind="manual").count() == 1
    page.navigate(remind.first.click)
    assert ReminderLog.objects.filter(user=person).count() == 1
    with translation.override(language):
        refused = str(ERROR_ALREADY_REMINDED) % {"name": "Noor Haddad"}
    assert refused in page.locator("div.messages").inner_text()
    assert OutgoingEmail.objects.filter(recipient=person.email).count() == 2

    # Removes them, after a confirmation.
    removal = t(language, "Remove %(name)s from the organization") % {"name": "Noor Haddad"}
    page.navigate(main.get_by_role("link", name=removal).click)
    assert Membership.objects.filter(user=person, organization=organization).exists()
    page.navigate(main.get_by_role("button", name=t(language, "Remove")).click)
    assert not Membership.objects.filter(user=person, organization=organization).exists()
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert page.url.endswith(f"/organizations/{organization.pk}/staff/")
    assert (
        page.goto(f"/{language}/organizations/{organization.pk}/people/{person.pk}/").status == 404
    )
