"""Who must use two-factor, and an administrator's reset of a lost device."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission
from django.urls import reverse

from organizations.models import AuditEvent
from organizations.selectors import two_factor_required_for
from organizations.services import two_factor_reset
from tests.factories import PASSWORD, AdminFactory, UserFactory, two_factor_for
from tests.organizations.factories import OrganizationFactory, staff_of, supervisor_of
from tests.webauthn import SoftPasskey, challenge_of

pytestmark = pytest.mark.django_db


def test_two_factor_is_required_of_supervisors_of_an_organization_that_requires_it(
    django_assert_num_queries,
):
    strict = OrganizationFactory(require_two_factor=True)
    relaxed = OrganizationFactory()
    supervisor = supervisor_of(strict)
    with django_assert_num_queries(1):
        assert two_factor_required_for(supervisor)
    assert not two_factor_required_for(staff_of(strict))
    assert not two_factor_required_for(supervisor_of(relaxed))


def test_administrators_must_use_it_only_when_the_setting_says_so(settings):
    admin = AdminFactory()
    assert not two_factor_required_for(admin)
    settings.REPERE_ADMINS_REQUIRE_TWO_FACTOR = True
    assert two_factor_required_for(admin)
    assert not two_factor_required_for(UserFactory())


def test_the_reset_removes_the_authenticators_and_records_who_when_and_why():
    person = UserFactory(full_name="Renée Poirier")
    other = UserFactory()
    two_factor_for(person)
    two_factor_for(other)
    admin = AdminFactory(full_name="Ada Admin")

    assert two_factor_reset(user=person, by=admin, reason="  Lost phone, called her.  ") == 2

    assert not Authenticator.objects.filter(user=person).exists()
    assert Authenticator.objects.filter(user=other).count() == 2
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.TWO_FACTOR_RESET)
    assert (event.actor, event.subject) == (admin, person)
    assert "Ada Admin" in event.actor_label
    assert "Renée Poirier" in event.subject_label
    assert event.after == {"reason": "Lost phone, called her."}
    assert event.before == {"authenticators": "recovery_codes, totp"}
    assert event.by_administrator
    assert event.occurred_at is not None


def test_a_reset_needs_a_reason():
    person = UserFactory()
    two_factor_for(person)
    with pytest.raises(ValueError, match="reason"):
        two_factor_reset(user=person, by=AdminFactory(), reason="   ")
    assert Authenticator.objects.filter(user=person).count() == 2


def _reset_in_admin(client, person, reason):
    return client.post(
        reverse("admin:accounts_user_changelist"),
        {
            "action": "reset_two_factor",
            "_selected_action": [person.pk],
            "apply": "1",
            "reason": reason,
        },
    )


def test_an_administrator_resets_a_lost_device_from_the_list_of_users(admin_client):
    person = UserFactory()
    two_factor_for(person)
    # The action first asks for the reason.
    page = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [person.pk]},
    )
    assert page.status_code == 200
    assert 'name="reason"' in page.content.decode()
    assert Authenticator.objects.filter(user=person).exists()
    # Without a reason: the form again, nothing removed.
    again = _reset_in_admin(admin_client, person, "")
    assert again.status_code == 200
    assert Authenticator.objects.filter(user=person).exists()

    response = _reset_in_admin(admin_client, person, "Téléphone perdu")
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=person).exists()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.TWO_FACTOR_RESET, subject=person)
    assert event.after == {"reason": "Téléphone perdu"}
    # Administrators read it in the audit log.
    log = admin_client.get(reverse("admin:organizations_auditevent_change", args=[event.pk]))
    assert log.status_code == 200
    assert "Téléphone perdu" in log.content.decode()


def test_the_reset_removes_passkeys_too_and_the_person_sets_up_again(client, settings):
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # the test client's http origin
    organization = OrganizationFactory(require_two_factor=True)
    supervisor = supervisor_of(organization)
    passkey = SoftPasskey()
    client.force_login(supervisor)
    add = reverse("accounts:passkey_add")
    client.get(add)
    client.post(add, {"name": "Clé", "credential": passkey.register(challenge_of(client))})
    assert Authenticator.objects.filter(user=supervisor).count() == 2  # passkey, codes
    client.logout()

    client.force_login(AdminFactory())
    assert _reset_in_admin(client, supervisor, "Téléphone perdu").status_code == 302
    client.logout()

    assert not Authenticator.objects.filter(user=supervisor).exists()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.TWO_FACTOR_RESET, subject=supervisor)
    assert event.before == {"authenticators": "recovery_codes, webauthn"}
    # The password alone signs in now, straight to setting up a second factor again.
    client.post("/fr/accounts/login/", {"username": supervisor.email, "password": PASSWORD})
    dashboard = reverse("supervision:dashboard", kwargs={"organization_id": organization.pk})
    assert client.get(dashboard)["Location"] == reverse("accounts:two_factor_setup")


def test_staff_without_the_permission_cannot_reset_two_factor(client):
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(
        Permission.objects.get(codename="view_user"),
        Permission.objects.get(codename="change_user"),
    )
    person = UserFactory()
    two_factor_for(person)
    client.force_login(clerk)
    listing = client.get(reverse("admin:accounts_user_changelist"))
    assert listing.status_code == 200
    assert "reset_two_factor" not in listing.content.decode()

    _reset_in_admin(client, person, "Téléphone perdu")

    assert Authenticator.objects.filter(user=person).count() == 2
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.TWO_FACTOR_RESET).exists()


def test_staff_given_the_permission_can_reset_two_factor(client):
    clerk = UserFactory(is_staff=True)
    clerk.user_permissions.add(
        Permission.objects.get(codename="view_user"),
        Permission.objects.get(codename="change_user"),
        Permission.objects.get(codename="delete_authenticator"),
    )
    person = UserFactory()
    two_factor_for(person)
    client.force_login(clerk)
    _reset_in_admin(client, person, "Téléphone perdu")
    assert not Authenticator.objects.filter(user=person).exists()


def test_allauths_own_admin_of_authenticators_is_not_offered(admin_client):
    assert admin_client.get("/fr/admin/mfa/authenticator/").status_code == 404


def test_the_organizations_admin_sets_the_requirement(admin_client):
    organization = OrganizationFactory()
    page = admin_client.get(
        reverse("admin:organizations_organization_change", args=[organization.pk])
    )
    assert 'name="require_two_factor"' in page.content.decode()
