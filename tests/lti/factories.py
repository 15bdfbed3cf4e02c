from lti_tool.models import LtiDeployment, LtiRegistration

from lti.models import Binding


def registration_for(lms, *, organization, active_deployment=True) -> LtiRegistration:
    """The registration an administrator types in from the LMS's details (as the admin's
    form saves it): its issuer, client id, addresses, deployment, and organization."""
    registration = LtiRegistration.objects.create(
        name="Moodle du Refuge",
        issuer=lms.issuer,
        client_id=lms.client_id,
        auth_url=f"{lms.url}/auth",
        token_url=f"{lms.url}/token",
        keyset_url=f"{lms.url}/jwks",
    )
    LtiDeployment.objects.create(
        registration=registration, deployment_id=lms.deployment_id, is_active=active_deployment
    )
    Binding.objects.create(registration=registration, organization=organization)
    return registration
