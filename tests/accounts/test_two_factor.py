"""Two-factor: the code after the password, setting it up, the recovery codes."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts import two_factor_views
from accounts.models import User
from tests.factories import PASSWORD, UserFactory, totp_code, two_factor_for
from tests.oidc import path_of
from tests.organizations.factories import (
    OrganizationFactory,
    sign_in_provider,
    staff_of,
    supervisor_of,
)

pytestmark = pytest.mark.django_db

WRONG_CODE = {
    "en": "This code is not right. Type the 6 digits your app shows now, or one of your "
    "recovery codes.",
    "fr": "Ce code n’est pas le bon. Tapez les 6 chiffres que votre application affiche "
    "maintenant, ou l’un de vos codes de secours.",
}


@pytest.fixture
def strict_org(db):
    return OrganizationFactory(name="Maison Marguerite", require_two_factor=True)


def _sign_in(client, user, language="fr", next_url=None):
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(f"/{language}/accounts/login/", data)


def _signed_in(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def test_a_supervisor_who_must_use_two_factor_cannot_open_the_dashboard_until_set_up(
    client, strict_org
):
    supervisor = supervisor_of(strict_org)
    _sign_in(client, supervisor)
    assert _signed_in(client, supervisor)
    dashboard = reverse("supervision:dashboard", kwargs={"organization_id": strict_org.pk})
    response = client.get(dashboard)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_setup")
    assert client.get(reverse("admin:index"))["Location"] == reverse("accounts:two_factor_setup")

    page = client.get(reverse("accounts:two_factor_setup"))
    assert page.status_code == 200
    assert b"<svg" in page.content
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.content.decode()).group(1)
    done = client.post(reverse("accounts:two_factor_setup"), {"code": totp_code(secret)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>(\d{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert client.get(dashboard).status_code == 200
    # Shown once: the set-up page now leads to the two-factor page, which shows no code.
    assert client.get(reverse("accounts:two_factor_setup"))["Location"] == reverse(
        "accounts:two_factor"
    )
    assert codes[0] not in client.get(reverse("accounts:two_factor")).content.decode()


def test_a_wrong_code_while_setting_up_is_refused_and_nothing_is_saved(client, strict_org):
    supervisor = supervisor_of(strict_org)
    client.force_login(supervisor)
    client.get(reverse("accounts:two_factor_setup"))
    response = client.post(reverse("accounts:two_factor_setup"), {"code": "000000"})
    assert response.status_code == 200
    assert "Ce code n’est pas le bon." in response.content.decode()
    assert not Authenticator.objects.filter(user=supervisor).exists()


def test_staff_of_an_organization_that_requires_two_factor_are_not_asked(client, strict_org):
    member = staff_of(strict_org)
    response = _sign_in(client, member)
    assert _signed_in(client, member)
    assert response["Location"] == reverse("courses:my_learning")
    assert client.get(reverse("courses:my_learning")).status_code == 200


def test_a_supervisor_of_an_organization_that_does_not_require_it_is_not_asked(client):
    supervisor = supervisor_of(OrganizationFactory())
    _sign_in(client, supervisor)
    assert client.get(reverse("courses:my_learning")).status_code == 200


def test_with_two_factor_the_password_alone_does_not_sign_in(client, strict_org):
    supervisor = supervisor_of(strict_org)
    secret, _codes = two_factor_for(supervisor)
    response = _sign_in(client, supervisor)
    assert response["Location"] == reverse("accounts:two_factor_code")
    assert not _signed_in(client, supervisor)
    dashboard = reverse("supervision:dashboard", kwargs={"organization_id": strict_org.pk})
    assert client.get(dashboard).status_code == 302  # to the sign-in page

    response = client.post(reverse("accounts:two_factor_code"), {"code": totp_code(secret)})
    assert _signed_in(client, supervisor)
    assert response["Location"] == dashboard
    assert client.get(dashboard).status_code == 200


def test_the_code_page_sends_to_next_after_signing_in(client):
    user = UserFactory()
    secret, _codes = two_factor_for(user)
    profile = reverse("accounts:profile")
    _sign_in(client, user, next_url=profile)
    response = client.post(reverse("accounts:two_factor_code"), {"code": totp_code(secret)})
    assert response["Location"] == profile


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_wrong_code_is_refused_with_a_form_error_in_the_readers_language(client, language):
    user = UserFactory()
    two_factor_for(user)
    _sign_in(client, user, language)
    response = client.post(f"/{language}/accounts/two-factor/code/", {"code": "123456"})
    assert response.status_code == 200
    assert WRONG_CODE[language] in response.content.decode()
    assert not _signed_in(client, user)


def test_a_code_from_a_minute_ago_is_refused(client):
    user = UserFactory()
    secret, _codes = two_factor_for(user)
    _sign_in(client, user)
    old = totp_code(secret, at=time.time() - 120)
    client.post(reverse("accounts:two_factor_code"), {"code": old})
    assert not _signed_in(client, user)


def test_wrong_codes_are_limited_without_an_error_page(client, settings):
    user = UserFactory()
    secret, _codes = two_factor_for(user)
    _sign_in(client, user)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:two_factor_code"), {"code": "000000"})
    # Even the right code waits now: the form says so, never a 500.
    response = client.post(reverse("accounts:two_factor_code"), {"code": totp_code(secret)})
    assert response.status_code == 200
    assert not _signed_in(client, user)
    assert WRONG_CODE["fr"] not in response.content.decode()
    assert 'role="alert"' in response.content.decode()


def test_a_recovery_code_signs_in_once(client):
    user = UserFactory()
    _secret, codes = two_factor_for(user)
    _sign_in(client, user)
    client.post(reverse("accounts:two_factor_code"), {"code": codes[0]})
    assert _signed_in(client, user)
    client.post(reverse("logout"))

    _sign_in(client, user)
    response = client.post(reverse("accounts:two_factor_code"), {"code": codes[0]})
    assert not _signed_in(client, user)
    assert "Ce code n’est pas le bon." in response.content.decode()
    client.post(reverse("accounts:two_factor_code"), {"code": codes[1]})
    assert _signed_in(client, user)


def test_new_recovery_codes_replace_the_old_ones(client):
    user = UserFactory()
    _secret, old_codes = two_factor_for(user)
    client.force_login(user)
    response = client.post(reverse("accounts:two_factor_recovery_codes"))
    new_codes = re.findall(r"<li><code>(\d{8})</code></li>", response.content.decode())
    assert len(new_codes) == 10
    assert set(new_codes).isdisjoint(old_codes)
    client.post(reverse("logout"))

    _sign_in(client, user)
    client.post(reverse("accounts:two_factor_code"), {"code": old_codes[0]})
    assert not _signed_in(client, user)
    client.post(reverse("accounts:two_factor_code"), {"code": new_codes[0]})
    assert _signed_in(client, user)


def test_the_code_page_without_a_password_first_goes_back_to_sign_in(client):
    response = client.get(reverse("accounts:two_factor_code"))
    assert response["Location"] == reverse("login")


def test_the_code_page_forgets_a_password_step_after_a_few_minutes(client, monkeypatch):
    user = UserFactory()
    secret, _codes = two_factor_for(user)
    _sign_in(client, user)
    later = time.time() + 6 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post(reverse("accounts:two_factor_code"), {"code": totp_code(secret)})
    assert response["Location"] == reverse("login")
    assert not _signed_in(client, user)


def test_administrators_must_use_two_factor_when_the_setting_says_so(client, settings):
    settings.REPERE_ADMINS_REQUIRE_TWO_FACTOR = True
    admin = UserFactory(is_staff=True, is_superuser=True)
    _sign_in(client, admin)
    assert client.get(reverse("admin:index"))["Location"] == reverse("accounts:two_factor_setup")


def test_administrators_are_not_asked_when_the_setting_is_off(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    _sign_in(client, admin)
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_code_page_signed_in_without_a_password_step_is_not_found(client):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:two_factor_code")).status_code == 404


def test_allauths_code_step_without_a_provider_sign_in_goes_back_to_sign_in(client):
    response = client.get(reverse("mfa_authenticate"))
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("login"))


def test_a_sign_in_through_the_organizations_provider_asks_for_the_code_too(client, oidc_provider):
    organization = OrganizationFactory(name="Maison Marguerite")
    sign_in_provider(organization=organization, server_url=oidc_provider.url)
    oidc_provider.user("sub-9", email="lou@shelter.example.org", name="Lou Bé")
    email = "lou@shelter.example.org"

    def through_the_provider():
        response = client.post("/en/accounts/login/", {"username": email, "password": ""})
        back = oidc_provider.authorize(response.context["provider_url"], sub="sub-9")
        return client.get(path_of(back))

    through_the_provider()
    user = User.objects.get(email=email)
    secret, _codes = two_factor_for(user)
    client.post("/en/accounts/logout/")

    response = through_the_provider()
    assert response["Location"] == reverse("mfa_authenticate")
    assert not _signed_in(client, user)
    page = client.get(reverse("mfa_authenticate"))
    assert "Two-factor code" in page.content.decode()
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert WRONG_CODE["en"] in wrong.content.decode()
    assert not _signed_in(client, user)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert _signed_in(client, user)


def test_setting_up_twice_at_once_keeps_one_app_and_shows_no_error(client, monkeypatch):
    """The second tab's submission finds the first one's app (allauth's unique constraint)."""
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("accounts:two_factor_setup")).content.decode()
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    # The other tab wins between this one's check and its write.
    monkeypatch.setattr(two_factor_views.tf, "has_two_factor", lambda user: False)
    two_factor_for(user)
    response = client.post(reverse("accounts:two_factor_setup"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor")
    assert Authenticator.objects.filter(user=user, type="totp").count() == 1
