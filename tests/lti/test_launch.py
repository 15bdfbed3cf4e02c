"""A launch from a real LTI platform, end to end over HTTP: login initiation, the LMS's
authorization, the signed launch, Repère's course page."""

import pytest

from accounts.models import User
from courses.models import Enrollment
from organizations.models import AuditEvent, Membership
from tests.factories import CourseFactory
from tests.lti.platform import assert_safety_on
from tests.organizations.factories import OrganizationFactory, staff_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def course(transactional_db):
    return CourseFactory(
        slug="reconnaitre", title_fr="Reconnaître", title_en="Recognise", lessons=3
    )


def test_a_first_launch_makes_staff_of_the_registrations_organization_and_opens_the_course(
    lms, registration, shelter, course, browser
):
    lms.launch.custom = {"repere_course": "reconnaitre"}
    response, _form = lms.open(browser)
    assert response.status_code == 200, response.text
    assert response.url == f"{lms.tool_url}/fr/courses/reconnaitre/"
    assert "Reconnaître" in response.text
    user = User.objects.get(email="alex@example.org")
    assert user.full_name == "Alex Apprenant"
    assert not user.has_usable_password()
    memberships = list(Membership.objects.filter(user=user).values_list("organization", "role"))
    assert memberships == [(shelter.pk, "staff")]  # this organization, and no other
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SSO_MEMBER_CREATED)
    assert (event.organization, event.subject, event.actor) == (shelter, user, user)
    assert event.after["provider"] == "Moodle du Refuge"
    assert Enrollment.objects.filter(learner=user, course=course).exists()
    # The launch page, as every page, has the quick exit and the hotline.
    assert_safety_on(response.text)


def test_a_second_launch_signs_the_same_person_in_without_a_second_account(
    lms, registration, shelter, course, browser
):
    lms.launch.custom = {"repere_course": "reconnaitre"}
    lms.open(browser)
    browser.cookies.clear()
    response, _form = lms.open(browser)
    assert response.status_code == 200
    assert User.objects.filter(email="alex@example.org").count() == 1
    assert Membership.objects.filter(organization=shelter).count() == 1
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SSO_MEMBER_CREATED).count() == 1


def test_a_module_link_opens_the_course_at_that_module(lms, registration, course, browser):
    module = course.modules.first()
    lms.launch.custom = {"repere_module": str(module.pk)}
    response, _form = lms.open(browser)
    assert response.status_code == 200
    assert response.url.endswith(f"/courses/reconnaitre/#module-{module.pk}")
    assert f'id="module-{module.pk}"' in response.text


def test_a_person_launched_in_sees_nothing_of_another_organization(
    lms, registration, course, browser
):
    other = OrganizationFactory(name="Autre refuge")
    staff_of(other, full_name="Dominique Autre")
    lms.launch.custom = {"repere_course": "reconnaitre"}
    lms.open(browser)
    assert browser.get(f"{lms.tool_url}/fr/organizations/{other.pk}/members/").status_code == 404
    response = browser.get(f"{lms.tool_url}/fr/organizations/{other.pk}/")
    assert response.status_code == 404


def test_a_launch_without_an_email_gets_an_account_of_its_own(lms, registration, course, browser):
    lms.launch.email = None
    lms.launch.custom = {"repere_course": "reconnaitre"}
    response, _form = lms.open(browser)
    assert response.status_code == 200
    user = User.objects.get(full_name="Alex Apprenant")
    assert user.email.endswith("@lti.invalid")


def test_an_existing_account_with_the_launchs_address_is_not_taken_over(
    lms, registration, course, browser
):
    staff_of(OrganizationFactory(), email="alex@example.org")
    lms.launch.custom = {"repere_course": "reconnaitre"}
    response, _form = lms.open(browser)
    assert response.status_code == 403
    assert "existe déjà" in response.text
    assert_safety_on(response.text)


def test_a_launch_of_an_unknown_course_is_a_404(lms, registration, course, browser):
    lms.launch.custom = {"repere_course": "nothing-here"}
    response, _form = lms.open(browser)
    assert response.status_code == 404


def test_a_draft_course_cannot_be_launched(lms, registration, browser):
    CourseFactory(slug="brouillon", is_published=False, lessons=1)
    lms.launch.custom = {"repere_course": "brouillon"}
    response, _form = lms.open(browser)
    assert response.status_code == 404


def test_a_launch_from_an_unknown_issuer_is_refused_with_a_page(lms, course, browser, shelter):
    # No registration for this LMS.
    response = browser.get(lms.login_initiation_url(), allow_redirects=True)
    assert response.status_code == 400
    assert_safety_on(response.text)


def test_a_launch_of_a_deployment_not_enabled_is_refused(lms, course, browser, shelter):
    from tests.lti.factories import registration_for

    registration_for(lms, organization=shelter, active_deployment=False)
    lms.launch.custom = {"repere_course": "reconnaitre"}
    response, _form = lms.open(browser)
    assert response.status_code == 403
    assert "déploiement" in response.text
    assert not User.objects.filter(email="alex@example.org").exists()


def test_a_launch_of_an_unknown_deployment_is_refused(lms, registration, course, browser):
    lms.launch.deployment_id = "deployment-unknown"
    lms.launch.custom = {"repere_course": "reconnaitre"}
    response, _form = lms.open(browser)
    assert response.status_code == 403
    assert not User.objects.filter(email="alex@example.org").exists()


def test_a_replayed_launch_is_refused(lms, registration, course, browser):
    lms.launch.custom = {"repere_course": "reconnaitre"}
    _response, (action, fields) = lms.open(browser)
    replay = browser.post(action, data=fields)
    assert replay.status_code == 400
    assert "déjà" in replay.text


def test_a_launch_with_a_bad_signature_is_refused(lms, registration, course, browser):
    lms.launch.custom = {"repere_course": "reconnaitre"}
    response = browser.get(lms.login_initiation_url(), allow_redirects=True)
    from tests.lti.platform import form_of

    action, fields = form_of(response.text)
    header, body, signature = fields["id_token"].split(".")
    fields["id_token"] = f"{header}.{body}.{signature[::-1]}"
    refused = browser.post(action, data=fields)
    assert refused.status_code == 400
    assert "vérifi" in refused.text
    assert not User.objects.filter(email="alex@example.org").exists()


def test_a_launch_in_english_opens_the_english_course_page(lms, registration, course, browser):
    lms.launch.locale = "en-US"
    lms.launch.custom = {"repere_course": "reconnaitre"}
    response, _form = lms.open(browser)
    assert response.url == f"{lms.tool_url}/en/courses/reconnaitre/"
    assert "Recognise" in response.text


def test_the_login_initiation_without_its_parameters_is_a_400(
    live_server, browser, transactional_db
):
    response = browser.get(f"{live_server.url}/lti/login/")
    assert response.status_code == 400
