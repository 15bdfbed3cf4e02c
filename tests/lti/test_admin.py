"""Manual registration in the admin: an LMS registration with its organization and its
deployment ids, as its administrator types them in."""

import pytest
from lti_tool.models import LtiDeployment, LtiRegistration

from lti.models import Binding
from tests.organizations.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def _form(organization, **changes):
    data = {
        "name": "Moodle du Refuge",
        "issuer": "https://moodle.refuge.example.org",
        "client_id": "abc123",
        "audience": "",
        "auth_url": "https://moodle.refuge.example.org/mod/lti/auth.php",
        "token_url": "https://moodle.refuge.example.org/mod/lti/token.php",
        "keyset_url": "https://moodle.refuge.example.org/mod/lti/certs.php",
        "is_active": "on",
        "binding-TOTAL_FORMS": "1",
        "binding-INITIAL_FORMS": "0",
        "binding-MIN_NUM_FORMS": "1",
        "binding-MAX_NUM_FORMS": "1",
        "binding-0-organization": organization.pk if organization else "",
        "deployments-TOTAL_FORMS": "1",
        "deployments-INITIAL_FORMS": "0",
        "deployments-MIN_NUM_FORMS": "0",
        "deployments-MAX_NUM_FORMS": "1000",
        "deployments-0-deployment_id": "1",
        "deployments-0-is_active": "on",
    }
    data.update(changes)
    return data


def test_an_administrator_registers_an_lms_for_an_organization(admin_client):
    shelter = OrganizationFactory(name="Refuge Le Phare")
    assert admin_client.get("/fr/admin/lti_tool/ltiregistration/add/").status_code == 200
    response = admin_client.post("/fr/admin/lti_tool/ltiregistration/add/", _form(shelter))
    assert response.status_code == 302, response.content.decode()[:3000]
    registration = LtiRegistration.objects.get()
    assert registration.client_id == "abc123"
    assert Binding.objects.get(registration=registration).organization == shelter
    deployment = LtiDeployment.objects.get(registration=registration)
    assert (deployment.deployment_id, deployment.is_active) == ("1", True)
    listing = admin_client.get("/fr/admin/lti_tool/ltiregistration/")
    assert "Refuge Le Phare" in listing.content.decode()


def test_a_registration_without_an_organization_is_refused(admin_client):
    response = admin_client.post("/fr/admin/lti_tool/ltiregistration/add/", _form(None))
    assert response.status_code == 200  # the form again, with its error
    assert not LtiRegistration.objects.exists()


def test_the_registration_list_runs_a_fixed_number_of_queries(
    admin_client, django_assert_max_num_queries
):
    for index in range(5):
        registration = LtiRegistration.objects.create(
            name=f"LMS {index}",
            issuer=f"https://lms{index}.example.org",
            client_id="c",
            auth_url="https://lms.example.org/a",
            token_url="https://lms.example.org/t",
            keyset_url="https://lms.example.org/k",
        )
        Binding.objects.create(registration=registration, organization=OrganizationFactory())
    with django_assert_max_num_queries(12):
        assert admin_client.get("/fr/admin/lti_tool/ltiregistration/").status_code == 200
