"""A learner whose name changed asks for a corrected certificate from My certificates, in
French as in English."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.services import user_update_profile
from certificates.models import CertificateNameRequest
from tests.certificates.factories import CertificateFactory
from tests.factories import AdminFactory

pytestmark = pytest.mark.django_db


def renamed_holder(learner, new_name, *, language):
    certificate = CertificateFactory(enrollment__learner=learner, holder_name="Léa Tremblay")
    user_update_profile(
        user=learner, full_name=new_name, preferred_language=language, workplace="shelter"
    )
    return certificate


def my_certificates(client, language):
    with translation.override(language):
        url = reverse("certificates:mine")
    return client.get(url).content.decode()


@pytest.mark.parametrize(
    ("language", "offer", "sent", "pending"),
    [
        (
            "fr",
            "Demander une attestation corrigée",
            "Votre demande a été envoyée.",
            "Une correction du nom a été demandée",
        ),
        (
            "en",
            "Ask for a corrected certificate",
            "Your request has been sent.",
            "A corrected name has been requested",
        ),
    ],
)
def test_a_renamed_holder_asks_from_my_certificates_in_their_language(
    client, learner, language, offer, sent, pending, django_capture_on_commit_callbacks
):
    AdminFactory()
    certificate = renamed_holder(learner, "Léa Gagnon", language=language)
    client.force_login(learner)
    page = my_certificates(client, language)
    with translation.override(language):
        action = reverse("certificates:name_request", kwargs={"pk": certificate.pk})
    assert offer in page
    assert f'action="{action}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].startswith(f"/{language}/")
    assert sent in html
    assert pending in html
    assert offer not in html
    assert CertificateNameRequest.objects.get().requested_name == "Léa Gagnon"


def test_a_name_that_differs_only_by_spacing_is_not_offered_a_correction(client, learner):
    """The service compares names with their spaces collapsed: the page must too, or it
    offers a request that is then refused."""
    renamed_holder(learner, "Léa  Tremblay ", language="fr")
    client.force_login(learner)
    assert "Demander une attestation corrigée" not in my_certificates(client, "fr")


def test_another_persons_certificate_cannot_be_asked_for(client, learner):
    other = CertificateFactory(holder_name="Quelqu’un d’autre")
    client.force_login(learner)
    response = client.post(reverse("certificates:name_request", kwargs={"pk": other.pk}))
    assert response.status_code == 404
    assert not CertificateNameRequest.objects.exists()
