"""Every admin page of ours is titled in French with the article and agreement of its noun
("Modification de l’attestation", "Supprimer les invitations sélectionnées"), not Django's
generic "Modification de attestation" / "sélectionné(e)s"."""

import pytest
from django.urls import reverse

from tests.certificates.factories import CertificateFactory
from tests.factories import UserFactory
from tests.organizations.factories import AssignmentFactory, MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("admin_name", "make", "change", "delete_selected"),
    [
        (
            "accounts_user",
            UserFactory,
            "Modification de l’utilisateur",
            "utilisateurs sélectionnés",
        ),
        (
            "certificates_certificate",
            CertificateFactory,
            "Modification de l’attestation",
            "attestations sélectionnées",
        ),
        (
            "organizations_organization",
            OrganizationFactory,
            "Modification de l’organisation",
            "organisations sélectionnées",
        ),
        (
            "organizations_assignment",
            AssignmentFactory,
            "Modification de l’assignation",
            "assignations sélectionnées",
        ),
        (
            "organizations_membership",
            MembershipFactory,
            "Modification de l’appartenance",
            "appartenances sélectionnées",
        ),
    ],
)
def test_french_admin_titles_of_people_and_certificates_agree_with_the_noun(
    admin_client, admin_name, make, change, delete_selected
):
    obj = make()
    change_page = admin_client.get(reverse(f"admin:{admin_name}_change", args=[obj.pk]))
    assert change_page.status_code == 200
    page = change_page.content.decode()
    assert f"| {change} |" in page  # <title>: the object | the page's title | the site
    assert "Modification de " + str(obj._meta.verbose_name) not in page
    changelist = admin_client.get(reverse(f"admin:{admin_name}_changelist")).content.decode()
    assert delete_selected in changelist
    assert "sélectionné(e)s" not in changelist


def test_an_admin_page_that_can_only_be_read_says_so(admin_client):
    """The access log is read only: its page is a consultation, not a modification."""
    from organizations.models import AuditEvent

    membership = MembershipFactory()
    event = AuditEvent.objects.create(
        kind=AuditEvent.Kind.choices[0][0], organization=membership.organization
    )
    page = admin_client.get(
        reverse("admin:organizations_auditevent_change", args=[event.pk])
    ).content.decode()
    assert "Consultation de l’événement du journal d’accès" in page
