"""Dynamic registration: an LMS administrator enters Repère's one-time registration
address; Repère reads the LMS's configuration, registers with it, keeps the registration
bound to the organization of the address, and launches from that LMS then work."""

import pytest
from lti_tool.models import LtiDeployment, LtiRegistration

from accounts.models import User
from lti import registration as dynamic
from lti.models import Binding, RegistrationInvite
from organizations.models import Membership
from tests.factories import CourseFactory
from tests.lti.platform import assert_safety_on

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_lms_registers_repere_for_the_addresss_organization_and_launches_then_work(
    lms, shelter, browser
):
    CourseFactory(slug="reconnaitre", lessons=1)
    invite = dynamic.invite_create(organization=shelter)
    url = f"{lms.tool_url}/lti/register/{invite.token}/"
    response = browser.get(lms.registration_start_url(url))
    assert response.status_code == 200, response.text[:2000]
    assert_safety_on(response.text)
    assert lms.url in response.headers["Content-Security-Policy"]  # the LMS may frame it
    [configuration] = lms.registered
    assert configuration["initiate_login_uri"] == f"{lms.tool_url}/lti/login/"
    assert configuration["jwks_uri"] == f"{lms.tool_url}/lti/jwks/"
    assert configuration["redirect_uris"] == [f"{lms.tool_url}/lti/launch/"]
    saved = LtiRegistration.objects.get()
    assert (saved.issuer, saved.client_id) == (lms.issuer, lms.client_id)
    assert saved.token_url == f"{lms.url}/token"
    assert Binding.objects.get(registration=saved).organization == shelter
    assert LtiDeployment.objects.get(registration=saved).deployment_id == "deployment-dyn"
    # A launch through the new registration signs its person in as staff of the shelter.
    lms.launch.custom = {"repere_course": "reconnaitre"}
    launched, _form = lms.open(browser)
    assert launched.status_code == 200, launched.text[:2000]
    user = User.objects.get(email="alex@example.org")
    assert list(Membership.objects.filter(user=user).values_list("organization", flat=True)) == [
        shelter.pk
    ]


def test_a_registration_address_works_once(lms, shelter, browser):
    invite = dynamic.invite_create(organization=shelter)
    url = lms.registration_start_url(f"{lms.tool_url}/lti/register/{invite.token}/")
    assert browser.get(url).status_code == 200
    again = browser.get(url)
    assert again.status_code == 400
    assert "adresse" in again.text
    assert LtiRegistration.objects.count() == 1


def test_an_unknown_registration_address_registers_nothing(lms, shelter, browser):
    response = browser.get(lms.registration_start_url(f"{lms.tool_url}/lti/register/nope/"))
    assert response.status_code == 400
    assert lms.registered == []


def test_an_lms_that_refuses_the_token_registers_nothing_and_the_address_stays_usable(
    lms, shelter, browser
):
    invite = dynamic.invite_create(organization=shelter)
    url = lms.registration_start_url(f"{lms.tool_url}/lti/register/{invite.token}/")
    lms.registration_token = "another"
    response = browser.get(url)
    assert response.status_code == 400
    assert "refusé" in response.text
    assert not LtiRegistration.objects.exists()
    assert RegistrationInvite.objects.get().used_at is None


def test_an_unreachable_lms_gets_a_page_not_a_crash(live_server, shelter, browser):
    invite = dynamic.invite_create(organization=shelter)
    response = browser.get(
        f"{live_server.url}/lti/register/{invite.token}/",
        params={"openid_configuration": "http://127.0.0.1:9/.well-known/openid-configuration"},
    )
    assert response.status_code == 400
    assert "répondu" in response.text


def test_an_administrator_makes_a_registration_address_for_an_organization(admin_client, shelter):
    response = admin_client.post(
        "/en/admin/lti/registrationinvite/add/", {"organization": shelter.pk}, follow=True
    )
    assert response.status_code == 200
    invite = RegistrationInvite.objects.get()
    assert invite.organization == shelter
    page = response.content.decode()
    assert "/lti/register/" in page
    token = page.split("/lti/register/")[1].split("/")[0]
    assert dynamic.invite_get_usable(token=token) == invite
