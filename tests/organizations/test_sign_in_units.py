"""A school board's sign-in places each teacher in their school: an e-mail domain names the
unit (SignInDomain.unit) that a first sign-in through the board's provider makes them a
staff member of, never a unit outside the board's tree."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from organizations.admin import SignInDomainForm
from organizations.models import AuditEvent, Membership, SignInDomain
from organizations.models.sign_in import ERROR_UNIT_OUTSIDE
from organizations.selectors import sign_in_unit_for
from organizations.services import organization_move
from tests.factories import PASSWORD, UserFactory
from tests.organizations.factories import OrganizationFactory, sign_in_provider, staff_of
from tests.organizations.test_sign_in import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    board = OrganizationFactory(name="Centre de services scolaire des Rivières", kind="school")
    board.school_a = OrganizationFactory(name="École A", kind="school", parent=board)
    board.school_b = OrganizationFactory(name="École B", kind="school", parent=board)
    return board


@pytest.fixture
def provider(board, oidc_provider):
    provider = sign_in_provider(
        organization=board, server_url=oidc_provider.url, domains=["board.example"]
    )
    SignInDomain.objects.create(provider=provider, domain="school-a.example", unit=board.school_a)
    SignInDomain.objects.create(provider=provider, domain="school-b.example", unit=board.school_b)
    return provider


def test_first_sign_in_of_a_schools_domain_lands_as_staff_of_that_school(
    client, board, provider, oidc_provider
):
    oidc_provider.user("t-1", email="teacher@school-a.example", name="Élise Tremblay")
    response = sign_in(client, oidc_provider, "teacher@school-a.example", sub="t-1")
    assert response.status_code == 302
    user = User.objects.get(email="teacher@school-a.example")
    membership = Membership.objects.get(user=user)
    assert (membership.organization, membership.role) == (board.school_a, "staff")
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SSO_MEMBER_CREATED)
    assert (event.organization, event.subject) == (board.school_a, user)
    shown = [str(message) for message in response.wsgi_request._messages]
    assert any("staff member of École A" in message for message in shown)


def test_the_boards_own_domain_still_lands_in_the_board(client, board, provider, oidc_provider):
    oidc_provider.user("t-2", email="advisor@board.example")
    sign_in(client, oidc_provider, "advisor@board.example", sub="t-2")
    assert Membership.objects.get(user__email="advisor@board.example").organization == board


def test_a_returning_person_is_not_moved_to_the_unit_named_since(
    client, board, provider, oidc_provider
):
    oidc_provider.user("t-3", email="moe@school-b.example")
    sign_in(client, oidc_provider, "moe@school-b.example", sub="t-3")
    client.post("/en/accounts/logout/")
    SignInDomain.objects.filter(domain="school-b.example").update(unit=board.school_a)

    response = sign_in(client, oidc_provider, "moe@school-b.example", sub="t-3")
    assert response.status_code == 302
    assert client.get("/en/accounts/profile/").status_code == 200
    memberships = Membership.objects.filter(user__email="moe@school-b.example")
    assert [m.organization for m in memberships] == [board.school_b]
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.SSO_MEMBER_CREATED).count() == 1


def test_a_unit_outside_the_providers_organization_is_refused_by_the_form(board, provider):
    elsewhere = OrganizationFactory(name="Autre centre")
    school_elsewhere = OrganizationFactory(name="École C", parent=elsewhere)
    for unit in (elsewhere, school_elsewhere):
        form = SignInDomainForm(
            {"domain": "school-c.example", "unit": unit.pk},
            instance=SignInDomain(provider=provider),
        )
        assert not form.is_valid()
        assert form.errors["unit"] == [str(ERROR_UNIT_OUTSIDE)]
    for unit in (board, board.school_b):
        form = SignInDomainForm(
            {"domain": "school-c.example", "unit": unit.pk},
            instance=SignInDomain(provider=provider),
        )
        assert form.is_valid(), form.errors
    with pytest.raises(ValidationError):
        SignInDomain(provider=provider, domain="x.example", unit=elsewhere).full_clean()


def test_a_unit_moved_out_of_the_board_places_new_people_in_the_board(board, provider):
    organization_move(organization=board.school_a, parent=None, actor=None)
    assert sign_in_unit_for(provider, "new@school-a.example") == board
    assert sign_in_unit_for(provider, "new@school-b.example") == board.school_b


def test_a_linked_account_already_in_the_board_keeps_its_place(
    client, board, provider, oidc_provider
):
    """Linking an existing account after its password adds no second membership when the
    person is already staff somewhere in the board's tree."""
    owner = staff_of(board.school_b, email="ana@school-a.example")
    oidc_provider.user("t-4", email="ana@school-a.example")
    response = sign_in(client, oidc_provider, "ana@school-a.example", sub="t-4")
    assert response["Location"] == "/en/organizations/sign-in/link/"
    linked = client.post("/en/organizations/sign-in/link/", {"password": PASSWORD})
    assert linked.status_code == 302
    assert [m.organization for m in Membership.objects.filter(user=owner)] == [board.school_b]


def test_a_linked_account_of_no_unit_joins_its_domains_school(
    client, board, provider, oidc_provider
):
    owner = UserFactory(email="lea@school-a.example")
    oidc_provider.user("t-5", email="lea@school-a.example")
    sign_in(client, oidc_provider, "lea@school-a.example", sub="t-5")
    client.post("/en/organizations/sign-in/link/", {"password": PASSWORD})
    assert Membership.objects.get(user=owner).organization == board.school_a


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_admin_places_a_new_providers_domain_in_a_unit_of_its_organization_only(
    admin_client, board, language
):
    """On the add page the provider is not saved yet when its domains are checked: a unit
    outside its organization is still refused, in the reader's language."""
    from allauth.socialaccount.models import SocialApp
    from django.utils import translation

    from organizations.models import SignInProvider
    from tests.admin_forms import form_data

    app = SocialApp.objects.create(
        provider="openid_connect", provider_id="rivieres", name="Rivières ID",
        client_id="repere-rivieres", secret="s", settings={"server_url": "http://127.0.0.1:9"},
    )  # fmt: skip
    url = f"/{language}/admin/organizations/signinprovider/add/"
    data = form_data(admin_client.get(url).content.decode(), form_id="signinprovider_form")
    data |= {"organization": board.pk, "social_app": app.pk, "domains-0-domain": "a.example"}
    elsewhere = OrganizationFactory(name="Autre centre")
    refused = admin_client.post(url, data | {"domains-0-unit": elsewhere.pk})
    assert refused.status_code == 200
    with translation.override(language):
        assert str(ERROR_UNIT_OUTSIDE).replace("'", "&#x27;") in refused.content.decode()
    assert not SignInProvider.objects.exists()

    saved = admin_client.post(url, data | {"domains-0-unit": board.school_a.pk})
    assert saved.status_code == 302
    assert SignInDomain.objects.get(domain="a.example").unit == board.school_a
