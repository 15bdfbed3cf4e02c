"""A learner downloads a copy of their data, then closes their account keeping their
certificates; the grace period passes, and their supervisor's dashboard says an account
was closed, nothing else: in French and in English. axe finds nothing serious on the
closing page, before and after confirming."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone, translation

from accounts.models import User
from certificates.models import Certificate
from privacy.models import AccountClosure
from tests.browser import privacy_flows
from tests.browser.conftest import LANGUAGES, log_in, t
from tests.certificates.factories import CertificateFactory
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory
from tests.organizations.factories import MembershipFactory, OrganizationFactory, supervisor_of

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
axe = Axe()
NAME = "Noor Haddad"


def assert_accessible(page) -> None:
    violations = axe.run(page).response["violations"]
    blocking = [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations
                if v["impact"] in BLOCKING]  # fmt: skip
    assert not blocking, blocking


def close_my_account(page, *, language: str, email: str) -> None:
    """Sign in, open the profile, follow "Close my account", keep the certificates and
    confirm with the password."""
    from tests.factories import PASSWORD

    log_in(page, language=language, email=email)
    page.goto(f"/{language}/accounts/profile/")
    main = page.locator("main")
    link = t(language, "Close my account and erase my personal data")
    page.navigate(main.get_by_role("link", name=link).click)
    assert_accessible(page)
    main.get_by_label(t(language, "Keep them verifiable"), exact=False).check()
    main.get_by_label(t(language, "Your password")).fill(PASSWORD)
    page.navigate(main.get_by_role("button", name=t(language, "Close my account")).click)
    assert main.get_by_role("button", name=t(language, "Keep my account")).is_visible()
    assert_accessible(page)


def let_the_grace_period_pass() -> None:
    AccountClosure.objects.update(erase_after=timezone.now() - datetime.timedelta(minutes=1))
    call_command("erase_accounts", verbosity=0)


def dashboard_says_account_closed(page, *, language: str, organization, supervisor) -> None:
    log_in(page, language=language, email=supervisor.email)
    page.goto(f"/{language}/organizations/{organization.pk}/")
    text = page.locator("main").inner_text()
    with translation.override(language):
        closed = translation.ngettext(
            "%(count)s account closed: its holder asked for their personal data to be "
            "erased; it no longer appears here.",
            "%(count)s accounts closed: their holders asked for their personal data to be "
            "erased; they no longer appear here.",
            1,
        ) % {"count": 1}
    assert closed in text
    assert NAME not in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_learner_takes_their_data_closes_account_and_supervisor_sees_it_closed(
    new_page, transactional_db, task_worker, language
):
    organization = OrganizationFactory(name="Refuge du Fleuve")
    supervisor = supervisor_of(organization, email="sam@example.org", full_name="Sam Superviseur")
    learner = UserFactory(email="noor@example.org", full_name=NAME, preferred_language=language)
    MembershipFactory(user=learner, organization=organization)
    course = CourseFactory(lessons=3)
    enrollment = EnrollmentFactory(learner=learner, course=course, completed_at=timezone.now())
    certificate = CertificateFactory(enrollment=enrollment, organization=organization)

    # First a copy of everything held about them (issue 20's journey: export, then erasure).
    page = new_page(language=language)
    log_in(page, language=language, email=learner.email)
    privacy_flows.ask_for_my_data(page, language=language)
    task_worker()
    link = privacy_flows.link_from_my_email(language=language, email=learner.email)
    files = privacy_flows.download_my_data(page, link=link)
    assert any(name.startswith("certificates/") for name in files)

    close_my_account(new_page(language=language), language=language, email=learner.email)
    let_the_grace_period_pass()

    erased = User.objects.get(pk=learner.pk)
    assert (erased.full_name, erased.is_active) == ("", False)
    kept = Certificate.objects.get(pk=certificate.pk)
    assert (kept.holder_name, kept.revoked_at) == (NAME, None)
    dashboard_says_account_closed(
        new_page(language=language),
        language=language,
        organization=organization,
        supervisor=supervisor,
    )
