"""Passkeys as the second factor: adding, naming, removing one, and signing in with it
after the password. The browser's part is played by tests/webauthn.py's SoftPasskey;
tests/browser/test_passkeys.py does it with Chromium's own authenticator."""

import json

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from accounts import two_factor
from accounts.models import User
from tests.factories import PASSWORD, UserFactory, two_factor_for
from tests.oidc import path_of
from tests.organizations.factories import OrganizationFactory, sign_in_provider, supervisor_of
from tests.webauthn import SoftPasskey, challenge_of

pytestmark = pytest.mark.django_db

NOT_ADDED = {
    "en": "The passkey could not be added. Try again.",
    "fr": "La clé d’accès n’a pas pu être ajoutée. Réessayez.",
}
NOT_CHECKED = {
    "en": "Your passkey could not be checked. Try again, or use a code from your app or a "
    "recovery code.",
    "fr": "Votre clé d’accès n’a pas pu être vérifiée. Réessayez, ou utilisez un code de "
    "votre application ou un code de secours.",
}
ADD = reverse("accounts:passkey_add")


@pytest.fixture(autouse=True)
def _test_client_origin(settings):
    # The test client's origin is http://testserver, which fido2 accepts only with this.
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True


def _add(client, passkey: SoftPasskey, name: str = "Téléphone", language: str = "fr"):
    url = f"/{language}/accounts/two-factor/passkeys/add/"
    client.get(url)
    return client.post(url, {"name": name, "credential": passkey.register(challenge_of(client))})


def _passkeys(user):
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.WEBAUTHN)


def _sign_in(client, user):
    return client.post("/fr/accounts/login/", {"username": user.email, "password": PASSWORD})


def _signed_in(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def test_a_required_supervisor_can_satisfy_two_factor_with_a_passkey_alone(client):
    organization = OrganizationFactory(require_two_factor=True)
    supervisor = supervisor_of(organization)
    _sign_in(client, supervisor)
    dashboard = reverse("supervision:dashboard", kwargs={"organization_id": organization.pk})
    assert client.get(dashboard)["Location"] == reverse("accounts:two_factor_setup")
    # The set-up page offers the passkey, and the middleware lets its page through.
    assert ADD.encode() in client.get(reverse("accounts:two_factor_setup")).content
    assert client.get(ADD).status_code == 200

    response = _add(client, SoftPasskey(), name="Téléphone de travail")
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10  # the recovery codes, shown once
    (passkey,) = _passkeys(supervisor)
    assert passkey.data["name"] == "Téléphone de travail"
    assert two_factor.has_two_factor(supervisor)
    assert client.get(dashboard).status_code == 200


def test_a_second_passkey_keeps_the_recovery_codes_and_an_unnamed_one_gets_a_name(client):
    user = UserFactory()
    _secret, codes = two_factor_for(user)
    client.force_login(user)
    response = _add(client, SoftPasskey(), name="  ")
    assert response["Location"] == reverse("accounts:two_factor")
    assert _passkeys(user).get().data["name"] == "Clé d’accès 1"
    recovery = Authenticator.objects.get(user_id=user.pk, type=Authenticator.Type.RECOVERY_CODES)
    assert codes[0] in recovery.wrap().get_unused_codes()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_forged_passkey_is_refused_with_a_form_error_in_the_readers_language(client, language):
    user = UserFactory()
    client.force_login(user)
    url = f"/{language}/accounts/two-factor/passkeys/add/"
    client.get(url)
    for credential in ["{not json", json.dumps({"id": "x"}), SoftPasskey().register("AAAA")]:
        response = client.post(url, {"name": "Clé", "credential": credential})
        assert response.status_code == 200
        assert NOT_ADDED[language] in response.content.decode()
    assert not _passkeys(user).exists()


def test_an_answer_to_an_old_challenge_is_refused(client):
    user = UserFactory()
    client.force_login(user)
    client.get(ADD)
    old = challenge_of(client)
    client.get(ADD)  # a new challenge replaces it
    response = client.post(ADD, {"name": "Clé", "credential": SoftPasskey().register(old)})
    assert response.status_code == 200
    assert not _passkeys(user).exists()


def test_after_the_password_the_passkey_signs_in(client):
    user = UserFactory()
    passkey = SoftPasskey()
    client.force_login(user)
    _add(client, passkey)
    client.logout()

    assert _sign_in(client, user)["Location"] == reverse("accounts:two_factor_code")
    assert not _signed_in(client, user)
    page = client.get(reverse("accounts:two_factor_code"))
    assert b'data-passkey="get"' in page.content
    response = client.post(
        reverse("accounts:two_factor_code"), {"credential": passkey.sign(challenge_of(client))}
    )
    assert response.status_code == 302
    assert _signed_in(client, user)
    assert _passkeys(user).get().last_used_at is not None


@pytest.mark.parametrize("language", ["en", "fr"])
def test_another_devices_answer_does_not_sign_in(client, language):
    user = UserFactory()
    client.force_login(user)
    _add(client, SoftPasskey())
    client.logout()
    _sign_in(client, user)
    url = f"/{language}/accounts/two-factor/code/"
    client.get(url)
    stranger = SoftPasskey()
    response = client.post(url, {"credential": stranger.sign(challenge_of(client))})
    assert response.status_code == 200
    assert NOT_CHECKED[language] in response.content.decode()
    assert not _signed_in(client, user)


def test_a_sign_in_through_the_organizations_provider_offers_the_passkey(client, oidc_provider):
    organization = OrganizationFactory(name="Maison Marguerite")
    sign_in_provider(organization=organization, server_url=oidc_provider.url)
    email = "lou@shelter.example.org"
    oidc_provider.user("sub-9", email=email, name="Lou Bé")

    def through_the_provider():
        response = client.post("/en/accounts/login/", {"username": email, "password": ""})
        back = oidc_provider.authorize(response.context["provider_url"], sub="sub-9")
        return client.get(path_of(back))

    through_the_provider()
    user = User.objects.get(email=email)
    two_factor_for(user)
    client.post("/en/accounts/logout/")
    # A code app only: allauth's step (our page) offers no passkey.
    assert through_the_provider()["Location"] == reverse("mfa_authenticate")
    assert b"data-passkey" not in client.get(reverse("mfa_authenticate")).content
    client.post("/en/accounts/logout/")

    passkey = SoftPasskey()
    client.force_login(user)
    _add(client, passkey)
    client.post("/en/accounts/logout/")
    through_the_provider()
    page = client.get(reverse("mfa_authenticate"))
    assert b'data-passkey="get"' in page.content
    assert "Two-factor code" in page.content.decode()
    stranger = SoftPasskey().sign(challenge_of(client))
    wrong = client.post(reverse("mfa_authenticate"), {"credential": stranger})
    assert NOT_CHECKED["en"] in wrong.content.decode()
    assert not _signed_in(client, user)
    answer = passkey.sign(challenge_of(client))
    client.post(reverse("mfa_authenticate"), {"credential": answer})
    assert _signed_in(client, user)


def test_the_code_page_offers_no_passkey_to_someone_without_one(client):
    user = UserFactory()
    two_factor_for(user)
    _sign_in(client, user)
    page = client.get(reverse("accounts:two_factor_code"))
    assert b"data-passkey" not in page.content
    # A passkey answer posted anyway is a wrong code, not an error page.
    response = client.post(reverse("accounts:two_factor_code"), {"credential": "{}"})
    assert response.status_code == 200
    assert not _signed_in(client, user)


def test_a_passkey_is_renamed_and_removed_and_the_last_takes_the_recovery_codes_along(client):
    user = UserFactory()
    client.force_login(user)
    _add(client, SoftPasskey(), name="Clé USB")
    passkey = _passkeys(user).get()
    url = reverse("accounts:passkey", kwargs={"passkey_id": passkey.pk})
    assert "Clé USB" in client.get(url).content.decode()
    assert client.post(url, {"name": ""}).status_code == 200  # a name is required
    assert client.post(url, {"name": "Clé bleue"})["Location"] == reverse("accounts:two_factor")
    passkey.refresh_from_db()
    assert passkey.data["name"] == "Clé bleue"

    remove = reverse("accounts:passkey_remove", kwargs={"passkey_id": passkey.pk})
    assert client.get(remove).status_code == 405
    assert client.post(remove)["Location"] == reverse("accounts:two_factor")
    assert not Authenticator.objects.filter(user_id=user.pk).exists()


def test_the_only_second_factor_of_someone_who_must_use_one_is_not_removed(client):
    supervisor = supervisor_of(OrganizationFactory(require_two_factor=True))
    client.force_login(supervisor)
    _add(client, SoftPasskey())
    passkey = _passkeys(supervisor).get()
    remove = reverse("accounts:passkey_remove", kwargs={"passkey_id": passkey.pk})
    response = client.post(remove, follow=True)
    assert "votre seul deuxième facteur" in response.content.decode()
    assert _passkeys(supervisor).exists()
    # With a code app as well, it may go.
    two_factor_for(supervisor)
    client.post(remove)
    assert not _passkeys(supervisor).exists()


def test_another_persons_passkey_is_not_found(client):
    owner = UserFactory()
    client.force_login(owner)
    _add(client, SoftPasskey())
    passkey = _passkeys(owner).get()
    client.force_login(UserFactory())
    url = reverse("accounts:passkey", kwargs={"passkey_id": passkey.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Volée"}).status_code == 404
    remove = reverse("accounts:passkey_remove", kwargs={"passkey_id": passkey.pk})
    assert client.post(remove).status_code == 404
    assert client.get(reverse("accounts:passkey", kwargs={"passkey_id": 999999})).status_code == 404
    passkey.refresh_from_db()
    assert passkey.data["name"] == "Téléphone"


@pytest.mark.parametrize(
    "url",
    [ADD, reverse("accounts:passkey", kwargs={"passkey_id": 1})],
)
def test_a_visitor_is_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Each page's queries, whatever the number of passkeys: the session, the user, the
# layout's own, the page's (the passkeys in one query), and saving the session where the
# page sends a challenge (its savepoint and update).
QUERIES = {"add": 8, "passkey": 4, "two_factor": 7, "code": 9}


@pytest.mark.parametrize("passkeys", [1, 3])
def test_the_passkey_pages_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, passkeys
):
    user = UserFactory()
    client.force_login(user)
    two_factor_for(user)
    for number in range(passkeys):
        _add(client, SoftPasskey(), name=f"Clé {number}")
    passkey = _passkeys(user).first()
    with django_assert_num_queries(QUERIES["add"]):
        assert client.get(ADD).status_code == 200
    with django_assert_num_queries(QUERIES["passkey"]):
        page = client.get(reverse("accounts:passkey", kwargs={"passkey_id": passkey.pk}))
        assert page.status_code == 200
    with django_assert_num_queries(QUERIES["two_factor"]):
        assert client.get(reverse("accounts:two_factor")).status_code == 200
    client.logout()
    _sign_in(client, user)
    with django_assert_num_queries(QUERIES["code"]):
        assert client.get(reverse("accounts:two_factor_code")).status_code == 200


@pytest.mark.parametrize(("language", "phone"), [("en", "phone"), ("fr", "téléphone")])
def test_someone_with_only_a_passkey_is_not_told_about_a_phone(client, language, phone):
    """A passkey may be a security key: the recovery codes and the code page speak of a
    lost passkey to someone who has no code app."""
    user = UserFactory(preferred_language=language)
    passkey = SoftPasskey()
    client.force_login(user)
    url = f"/{language}/accounts/two-factor/passkeys/add/"
    client.get(url)
    codes = client.post(url, {"name": "Clé", "credential": passkey.register(challenge_of(client))})
    assert codes.context["codes"]
    assert phone not in codes.content.decode().casefold()
    client.logout()
    client.post(f"/{language}/accounts/login/", {"username": user.email, "password": PASSWORD})
    page = client.get(f"/{language}/accounts/two-factor/code/")
    assert page.status_code == 200
    assert phone not in page.content.decode().casefold()
    # Someone with the code app is still told to open it on their phone.
    other = UserFactory(preferred_language=language)
    two_factor_for(other)
    client.post(f"/{language}/accounts/login/", {"username": other.email, "password": PASSWORD})
    assert phone in client.get(f"/{language}/accounts/two-factor/code/").content.decode().casefold()
