import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, UserFactory
from tests.organizations.factories import OrganizationFactory, staff_of

pytestmark = pytest.mark.django_db


def test_learner_logs_in_with_their_email_in_any_case(client):
    user = UserFactory(email="camille@example.org")
    response = client.post(
        reverse("login"), {"username": "Camille@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:my_learning")
    assert client.session["_auth_user_id"] == str(user.pk)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "en",
            "Capital letters count in the password, not in the e-mail address.",
        ),
        (
            "fr",
            "Les majuscules comptent dans le mot de passe, mais pas dans l’adresse courriel.",
        ),
    ],
)
def test_a_wrong_password_says_truly_that_only_the_password_minds_capitals(
    client, language, message
):
    UserFactory(email="camille@example.org")
    response = client.post(
        f"/{language}/accounts/login/", {"username": "Camille@Example.org", "password": "nope"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "sensible à la casse" not in page
    assert "case-sensitive" not in page
    # The same words when no account has the address.
    unknown = client.post(
        f"/{language}/accounts/login/", {"username": "nobody@example.org", "password": "nope"}
    )
    assert message in unknown.content.decode()


def test_logout_is_a_post(learner_client):
    response = learner_client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in learner_client.session


def test_password_reset_sends_an_email_with_a_link(client):
    UserFactory(email="camille@example.org")
    response = client.post(reverse("password_reset"), {"email": "camille@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change_page_needs_a_login(client, learner):
    assert client.get(reverse("password_change")).status_code == 302
    client.force_login(learner)
    assert client.get(reverse("password_change")).status_code == 200


def test_profile_saves_name_language_and_workplace(learner_client, learner):
    response = learner_client.post(
        reverse("accounts:profile"),
        {"full_name": "Nguyễn Thị Ánh", "preferred_language": "en", "workplace": "school"},
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert (learner.full_name, learner.preferred_language, learner.workplace) == (
        "Nguyễn Thị Ánh",
        "en",
        "school",
    )


def test_profile_rejects_an_unknown_workplace_and_saves_nothing(learner_client, learner):
    before = learner.full_name
    response = learner_client.post(
        reverse("accounts:profile"),
        {"full_name": "Autre", "preferred_language": "fr", "workplace": "casino"},
    )
    assert response.status_code == 200
    learner.refresh_from_db()
    assert learner.full_name == before


def test_the_profile_shows_the_organizations_workplace_and_locks_the_choice(client):
    """Through the hook the organizations app registers (accounts/hooks.py)."""
    member = staff_of(OrganizationFactory(kind="group_home"), workplace="school")
    client.force_login(member)
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "vient de votre organisation\u00a0: Foyer de groupe" in page
    assert 'name="workplace"' not in page
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Nouveau Nom", "preferred_language": "fr", "workplace": "shelter"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.full_name, member.workplace) == ("Nouveau Nom", "school")


def test_without_an_organization_the_profile_offers_the_choice(learner_client):
    page = learner_client.get(reverse("accounts:profile")).content.decode()
    assert 'name="workplace"' in page
    assert "vient de votre organisation" not in page


def test_profile_needs_a_login(client):
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_there_is_no_public_sign_up(client):
    assert client.get("/fr/accounts/signup/").status_code == 404
    assert client.get("/fr/accounts/register/").status_code == 404


def test_emails_are_stored_in_lower_case():
    user = User.objects.create_user("Mixed@Example.ORG", PASSWORD, full_name="X")
    assert user.email == "mixed@example.org"


@pytest.mark.parametrize("next_url", ["// ", " //evil.example", "//\t", "/\t/evil.example"])
def test_a_next_address_with_spaces_around_slashes_leads_to_my_learning(client, learner, next_url):
    """Django checks the address stripped of spaces but redirects to it unstripped: "// "
    passes as "//" and leaves as "//%20", an address on another host."""
    response = client.post(
        "/fr/accounts/login/",
        {"username": learner.email, "password": PASSWORD, "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == "/fr/learning/"
