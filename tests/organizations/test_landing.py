"""Where a person lands after signing in, and on the home page once signed in."""

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.organizations.factories import OrganizationFactory, staff_of, supervisor_of

pytestmark = pytest.mark.django_db


def _sign_in(client, user, **extra):
    return client.post(
        reverse("login") + extra.get("query", ""),
        {
            "username": user.email,
            "password": PASSWORD,
        },
    )


def test_a_supervisor_of_one_organization_lands_on_its_dashboard(client, org, supervisor):
    response = _sign_in(client, supervisor)
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:dashboard", args=[org.pk])


def test_a_supervisor_of_several_organizations_lands_on_their_list(client, org, supervisor):
    other = OrganizationFactory(name="Maison Horizon")
    supervisor.memberships.create(organization=other, role="supervisor")
    response = _sign_in(client, supervisor)
    assert response["Location"] == reverse("organizations:index")
    page = client.get(response["Location"])
    assert "Maison Horizon" in page.text
    assert "Refuge Le Phare" in page.text


def test_staff_still_land_on_my_learning(client, org):
    person = staff_of(org)
    assert _sign_in(client, person)["Location"] == reverse("courses:my_learning")
    assert _sign_in(client, UserFactory())["Location"] == reverse("courses:my_learning")


def test_a_safe_next_wins_over_the_dashboard(client, org, supervisor):
    profile = reverse("accounts:profile")
    response = _sign_in(client, supervisor, query=f"?next={profile}")
    assert response["Location"] == profile


def test_an_unsafe_next_is_ignored_for_the_dashboard(client, org, supervisor):
    response = _sign_in(client, supervisor, query="?next=https://evil.example/")
    assert response["Location"] == reverse("supervision:dashboard", args=[org.pk])


def test_the_home_page_sends_a_signed_in_supervisor_to_the_dashboard(supervisor_client, org):
    response = supervisor_client.get(reverse("home"))
    assert response["Location"] == reverse("supervision:dashboard", args=[org.pk])


def test_a_former_supervisor_lands_on_my_learning(client, org, supervisor):
    supervisor_of(org)  # someone else stays supervisor
    supervisor.memberships.update(role="staff")
    assert _sign_in(client, supervisor)["Location"] == reverse("courses:my_learning")
