"""The REST API as an HR system uses it: one organization's data, nothing else."""

import datetime

import pytest
from django.utils import timezone

from organizations.models import Assignment, AuditEvent
from tests.api.conftest import api
from tests.api.factories import api_client_of, token_of
from tests.certificates.factories import CertificateFactory
from tests.factories import EnrollmentFactory
from tests.organizations.factories import AssignmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db

TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_the_client_reads_its_own_organization(two_sides):
    a = two_sides["a"]
    response = api(a.token).get("/api/v1/organization/")
    assert response.status_code == 200
    assert response.json()["name"] == "Refuge A"


def test_members_are_the_organizations_own_never_a_pending_invitation(two_sides):
    a, b = two_sides["a"], two_sides["b"]
    response = api(a.token).get("/api/v1/members/")
    assert response.status_code == 200
    body = response.json()
    found = {row["email"] for row in body["results"]}
    assert {user.email for user in a.members} <= found
    assert not found & {user.email for user in b.members}
    assert "pending@example.org" not in found
    assert body["count"] == 3  # two staff and the supervisor


def test_a_member_of_another_organization_or_invited_is_not_found(two_sides):
    a, b = two_sides["a"], two_sides["b"]
    client = api(a.token)
    assert client.get(f"/api/v1/members/{a.members[0].pk}/").status_code == 200
    assert client.get(f"/api/v1/members/{b.members[0].pk}/").status_code == 404
    assert client.get(f"/api/v1/members/{a.invited.pk}/").status_code == 404


def test_assignments_progress_and_certificates_of_another_organization_are_not_found(two_sides):
    a, b = two_sides["a"], two_sides["b"]
    client = api(a.token)
    theirs = b.assignments[0].pk
    assert client.get(f"/api/v1/assignments/{theirs}/").status_code == 404
    assert client.get(f"/api/v1/progress/{theirs}/").status_code == 404
    assert (
        client.patch(
            f"/api/v1/assignments/{theirs}/", {"due_on": None}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.delete(f"/api/v1/assignments/{theirs}/").status_code == 404
    assert Assignment.objects.filter(pk=theirs).exists()
    assert ids(client.get("/api/v1/assignments/")) == {x.pk for x in a.assignments}
    assert ids(client.get("/api/v1/certificates/")) == {x.pk for x in a.certificates}


def test_creating_an_assignment_enrolls_the_member_and_says_created(two_sides):
    a = two_sides["a"]
    course = two_sides["other_course"]
    member = a.members[1]
    body = {"member": member.pk, "course": course.pk, "due_on": TOMORROW.isoformat()}
    response = api(a.token).post("/api/v1/assignments/", body, content_type="application/json")
    assert response.status_code == 201
    assignment = Assignment.objects.get(pk=response.json()["id"])
    assert (assignment.learner, assignment.course, assignment.due_on) == (member, course, TOMORROW)
    again = api(a.token).post("/api/v1/assignments/", body, content_type="application/json")
    assert again.status_code == 200
    assert again.json()["id"] == assignment.pk


def test_assigning_someone_of_another_organization_is_a_field_error(two_sides):
    a, b = two_sides["a"], two_sides["b"]
    body = {"member": b.members[0].pk, "course": two_sides["other_course"].pk}
    response = api(a.token).post("/api/v1/assignments/", body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["pointer"] == "#/member"
    assert not Assignment.objects.filter(
        learner=b.members[0], organization=a.organization, course=two_sides["other_course"]
    ).exists()


def test_changing_the_due_date_and_unassigning_record_what_happened(two_sides):
    a = two_sides["a"]
    assignment = a.assignments[1]
    client = api(a.token)
    url = f"/api/v1/assignments/{assignment.pk}/"
    response = client.patch(url, {"due_on": TOMORROW.isoformat()}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["due_on"] == TOMORROW.isoformat()
    assert client.delete(url).status_code == 204
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.COURSE_UNASSIGNED)
    assert event.organization == a.organization
    assert event.actor_label == "API: HR system"
    assert client.get(url).status_code == 404


def test_a_due_date_in_the_past_is_refused_in_the_language_asked(two_sides):
    a = two_sides["a"]
    url = f"/api/v1/assignments/{a.assignments[0].pk}/"
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    english = api(a.token, "en").patch(url, {"due_on": yesterday}, content_type="application/json")
    french = api(a.token, "fr").patch(url, {"due_on": yesterday}, content_type="application/json")
    assert english.status_code == french.status_code == 400
    assert english.json()["title"] == "Invalid request"
    assert french.json()["title"] == "Requête invalide"
    assert english.json()["errors"] == [
        {
            "pointer": "#/due_on",
            "detail": "Choose today or a later date, or leave the date empty for none.",
        }
    ]
    assert french.json()["errors"][0]["detail"].startswith("Choisissez")
    assert set(english.json()) == {"type", "title", "status", "detail", "errors"}


def test_not_found_is_a_problem_document_in_french_or_english(two_sides):
    a = two_sides["a"]
    english = api(a.token, "en").get("/api/v1/assignments/999999/")
    french = api(a.token, "fr-CA").get("/api/v1/assignments/999999/")
    assert english["Content-Type"] == "application/problem+json"
    assert english.json()["title"] == "Not found"
    assert english.json()["status"] == 404
    assert french.json()["title"] == "Introuvable"


def test_progress_is_the_dashboards_since_the_person_joined(two_sides, course):
    a = two_sides["a"]
    late = MembershipFactory(organization=a.organization, user__full_name="Late Joiner")
    # Completed before joining: the organization does not see it.
    EnrollmentFactory(
        learner=late.user,
        course=course,
        completed_at=timezone.now() - datetime.timedelta(days=400),
    )
    assignment = AssignmentFactory(organization=a.organization, learner=late.user, course=course)
    response = api(a.token).get(f"/api/v1/progress/{assignment.pk}/")
    assert response.status_code == 200
    assert response.json()["completed_at"] is None
    completed = api(a.token).get(f"/api/v1/progress/{a.assignments[0].pk}/").json()
    assert completed["status"] == "completed"
    assert completed["progress"] == 100


def test_filters_by_status_and_dates(two_sides):
    a = two_sides["a"]
    client = api(a.token)
    completed = client.get("/api/v1/progress/", {"status": "completed"}).json()["results"]
    assert [row["assignment"] for row in completed] == [a.assignments[0].pk]
    today = timezone.localdate().isoformat()
    assert len(client.get("/api/v1/progress/", {"completed_after": today}).json()["results"]) == 1
    future = TOMORROW.isoformat()
    assert client.get("/api/v1/progress/", {"completed_after": future}).json()["count"] == 0
    bad = client.get("/api/v1/progress/", {"status": "nonsense", "due_before": "soon"})
    assert bad.status_code == 400
    assert {error["parameter"] for error in bad.json()["errors"]} == {"status", "due_before"}


def test_certificates_carry_their_status_and_verification_address(two_sides, settings):
    a = two_sides["a"]
    settings.SITE_URL = "https://repere.example.org"
    row = api(a.token).get("/api/v1/certificates/").json()["results"][0]
    certificate = a.certificates[0]
    assert row["status"] == "valid"
    assert row["verification_url"] == (
        f"https://repere.example.org/en/verify/{certificate.display_code}/"
    )
    assert api(a.token).get("/api/v1/certificates/", {"status": "expired"}).json()["count"] == 0


def test_a_get_answers_304_when_the_etag_has_not_changed(two_sides):
    a = two_sides["a"]
    client = api(a.token)
    first = client.get("/api/v1/members/")
    etag = first["ETag"]
    again = client.get("/api/v1/members/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    MembershipFactory(organization=a.organization, user__full_name="Newcomer")
    changed = client.get("/api/v1/members/", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag


# --- access ----------------------------------------------------------------------------------


def test_without_a_token_or_with_a_browser_session_the_answer_is_401(two_sides, supervisor):
    from django.test import Client

    assert api().get("/api/v1/members/").status_code == 401
    browser = Client()
    browser.force_login(supervisor)
    response = browser.get("/api/v1/organization/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_token_is_refused(two_sides):
    a = two_sides["a"]
    expired = token_of(a.client, expires_in=-1)
    assert api(expired).get("/api/v1/members/").status_code == 401


def test_a_token_reaches_only_the_operations_of_its_scopes(two_sides):
    a = two_sides["a"]
    reader = token_of(a.client, scopes="assignments:read")
    client = api(reader)
    assert client.get("/api/v1/assignments/").status_code == 200
    assert client.get("/api/v1/members/").status_code == 403
    response = client.delete(f"/api/v1/assignments/{a.assignments[0].pk}/")
    assert response.status_code == 403
    assert "assignments:write" in response.json()["detail"]
    assert Assignment.objects.filter(pk=a.assignments[0].pk).exists()


def test_the_token_endpoint_grants_only_the_scopes_the_administrator_gave(org):
    created = api_client_of(org, scopes="members:read progress:read")
    application = created.client.application
    response = api().post(
        "/api/oauth/token/",
        {"grant_type": "client_credentials", "scope": "members:read"},
        secure=True,
        headers={"Authorization": _basic(application.client_id, created.client_secret)},
    )
    assert response.status_code == 200, response.content
    token = response.json()
    assert token["scope"] == "members:read"
    assert token["expires_in"] == 3600
    assert api(token["access_token"]).get("/api/v1/members/").status_code == 200
    refused = api().post(
        "/api/oauth/token/",
        {"grant_type": "client_credentials", "scope": "assignments:write"},
        secure=True,
        headers={"Authorization": _basic(application.client_id, created.client_secret)},
    )
    assert refused.status_code == 400
    wrong = api().post(
        "/api/oauth/token/",
        {"grant_type": "client_credentials"},
        secure=True,
        headers={"Authorization": _basic(application.client_id, "wrong")},
    )
    assert wrong.status_code == 401


def _basic(client_id: str, secret: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


@pytest.mark.parametrize("path", ["members", "assignments", "progress", "certificates"])
def test_lists_cost_the_same_queries_whatever_their_length(
    two_sides, course, path, django_assert_num_queries
):
    a = two_sides["a"]
    client = api(a.token)
    client.get(f"/api/v1/{path}/")  # warm the content types and such caches
    with django_assert_num_queries(4):  # token, client, count, page
        client.get(f"/api/v1/{path}/")
    for index in range(5):
        member = MembershipFactory(organization=a.organization, user__full_name=f"More {index}")
        AssignmentFactory(organization=a.organization, learner=member.user, course=course)
        enrollment = EnrollmentFactory(
            learner=member.user, course=course, completed_at=timezone.now()
        )
        CertificateFactory(enrollment=enrollment)
    with django_assert_num_queries(4):
        response = client.get(f"/api/v1/{path}/")
    assert response.json()["count"] >= 5
