import pytest
from django.urls import reverse

from certificates.models import Certificate, CertificateNameChange
from tests.certificates.factories import CertificateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    return CertificateFactory(holder_name="Emilie Cote")


def test_the_certificate_list_and_page_open(admin_client, certificate):
    page = admin_client.get(reverse("admin:certificates_certificate_changelist"))
    assert page.status_code == 200
    assert certificate.display_code in page.content.decode()
    response = admin_client.get(
        reverse("admin:certificates_certificate_change", args=[certificate.pk])
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("admin:certificates_certificate_revoke", args=[certificate.pk]) in page
    assert reverse("admin:certificates_certificate_correct_name", args=[certificate.pk]) in page


def test_certificates_are_not_added_by_hand(admin_client):
    assert admin_client.get(reverse("admin:certificates_certificate_add")).status_code == 403


def test_an_administrator_revokes_with_a_reason(admin_client, admin_user, certificate):
    url = reverse("admin:certificates_certificate_revoke", args=[certificate.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"reason": "Délivrée par erreur"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.revoked_reason == "Délivrée par erreur"
    assert certificate.revoked_by == admin_user


def test_a_revocation_without_reason_is_refused_in_the_form(admin_client, certificate):
    url = reverse("admin:certificates_certificate_revoke", args=[certificate.pk])
    response = admin_client.post(url, {"reason": "   "})
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_revoking_twice_shows_the_error(admin_client, certificate):
    url = reverse("admin:certificates_certificate_revoke", args=[certificate.pk])
    admin_client.post(url, {"reason": "Première"})
    response = admin_client.post(url, {"reason": "Seconde"})
    assert response.status_code == 200
    assert "Cette attestation est déjà révoquée." in response.content.decode()
    assert Certificate.objects.get().revoked_reason == "Première"


def test_an_administrator_corrects_the_name_and_the_history_shows_it(
    admin_client, admin_user, certificate
):
    code = certificate.code
    url = reverse("admin:certificates_certificate_correct_name", args=[certificate.pk])
    form = admin_client.get(url).content.decode()
    assert certificate.holder.full_name in form  # proposed: the account's current name
    response = admin_client.post(url, {"new_name": "Émilie Côté"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert (certificate.holder_name, certificate.code) == ("Émilie Côté", code)
    change = CertificateNameChange.objects.get()
    assert change.changed_by == admin_user
    page = admin_client.get(
        reverse("admin:certificates_certificate_change", args=[certificate.pk])
    ).content.decode()
    assert "Emilie Cote" in page
    assert "Émilie Côté" in page


def test_the_name_history_cannot_be_edited_in_the_admin(admin_client, certificate):
    from django.contrib import admin

    from certificates.admin import NameChangeInline

    inline = NameChangeInline(Certificate, admin.site)
    assert not inline.has_add_permission(None)
    assert not inline.has_change_permission(None)
    assert not inline.can_delete


def test_only_administrators_reach_the_revoke_page(client, learner, certificate):
    client.force_login(learner)
    url = reverse("admin:certificates_certificate_revoke", args=[certificate.pk])
    response = client.post(url, {"reason": "x"})
    assert response.status_code == 302  # to the admin login
    certificate.refresh_from_db()
    assert certificate.revoked_at is None
