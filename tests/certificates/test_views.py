import datetime
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from certificates import rendering, services
from certificates.models import Certificate
from tests.certificates.factories import CertificateFactory, complete_course
from tests.factories import AdminFactory, CourseFactory, UserFactory
from tests.organizations.factories import (
    AssignmentFactory,
    MembershipFactory,
    OrganizationFactory,
    staff_of,
    supervisor_of,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _days(n):
    return TODAY() + datetime.timedelta(days=n)


@pytest.fixture
def certificate(learner):
    return CertificateFactory(enrollment__learner=learner, holder_name="Zoë Ørsted")


@pytest.fixture
def no_drawing(monkeypatch):
    """Downloads without the cost of drawing, for tests about who gets what."""
    monkeypatch.setattr(rendering, "render", lambda document, kind: b"drawn " + kind.encode())


# My certificates


def test_my_certificates_needs_an_account(client):
    response = client.get(reverse("certificates:mine"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_my_certificates_lists_mine_with_downloads_and_code(learner_client, certificate):
    other = CertificateFactory(holder_name="Someone Else")
    response = learner_client.get(reverse("certificates:mine"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Zoë Ørsted" in page
    assert certificate.display_code in page
    assert reverse("certificates:pdf", kwargs={"pk": certificate.pk}) in page
    assert reverse("certificates:png", kwargs={"pk": certificate.pk}) in page
    assert "Someone Else" not in page
    assert other.display_code not in page


def test_the_navigation_links_to_my_certificates(learner_client):
    page = learner_client.get(reverse("courses:my_learning")).content.decode()
    assert reverse("certificates:mine") in page
    assert "Mes attestations" in page


def test_a_learner_without_certificates_is_told_how_to_earn_one(learner_client):
    page = learner_client.get(reverse("certificates:mine")).content.decode()
    assert "Vous n’avez pas encore d’attestation" in page


@pytest.mark.parametrize(
    ("expires_in", "renewable"), [(400, False), (31, False), (30, True), (0, True), (-5, True)]
)
def test_renewal_is_offered_when_expired_or_expiring_within_30_days(
    learner_client, certificate, expires_in, renewable
):
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=_days(expires_in))
    page = learner_client.get(reverse("certificates:mine")).content.decode()
    assert (reverse("certificates:renew", kwargs={"pk": certificate.pk}) in page) is renewable


def test_my_certificates_runs_the_same_queries_for_1_or_20_certificates(learner, client):
    client.force_login(learner)
    CertificateFactory(enrollment__learner=learner)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("certificates:mine")).status_code == 200
    for _ in range(19):
        CertificateFactory(enrollment__learner=learner, expires_on=_days(-3))
    with CaptureQueriesContext(connection) as twenty:
        page = client.get(reverse("certificates:mine")).content.decode()
    assert page.count("certificate.pdf") == 20
    assert len(twenty) == len(one)


def test_my_certificates_reads_all_certificates_in_one_query(
    learner_client, learner, django_assert_num_queries
):
    CertificateFactory(enrollment__learner=learner)
    with CaptureQueriesContext(connection) as baseline:
        learner_client.get(reverse("certificates:mine"))
    for _ in range(4):
        CertificateFactory(enrollment__learner=learner)
    with django_assert_num_queries(len(baseline)) as captured:
        learner_client.get(reverse("certificates:mine"))
    reads = [q for q in captured.captured_queries if "certificates_certificate" in q["sql"]]
    assert len(reads) == 1  # with their course, enrollment and organization joined


# Renewal


def test_renewing_restarts_the_course_and_leads_to_it(learner_client, learner):
    course = CourseFactory(lessons=2)
    complete_course(learner=learner, course=course)
    certificate = Certificate.objects.get()
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=_days(10))
    response = learner_client.post(reverse("certificates:renew", kwargs={"pk": certificate.pk}))
    assert response.status_code == 302
    assert response["Location"] == course.get_absolute_url()
    assert certificate.enrollment.__class__.objects.get(pk=certificate.enrollment_id).cycle == 2
    page = learner_client.get(reverse("certificates:mine")).content.decode()
    assert "Vous suivez de nouveau ce cours" in page
    assert reverse("certificates:renew", kwargs={"pk": certificate.pk}) not in page


def test_renewing_a_valid_certificate_is_refused_with_a_message(learner_client, certificate):
    response = learner_client.post(
        reverse("certificates:renew", kwargs={"pk": certificate.pk}), follow=True
    )
    assert "ne peut être renouvelée que si" in response.content.decode()
    certificate.enrollment.refresh_from_db()
    assert certificate.enrollment.cycle == 1


def test_nobody_renews_another_persons_certificate(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=_days(-1))
    client.force_login(UserFactory())
    response = client.post(reverse("certificates:renew", kwargs={"pk": certificate.pk}))
    assert response.status_code == 404
    certificate.enrollment.refresh_from_db()
    assert certificate.enrollment.cycle == 1


def test_renewing_needs_a_post(learner_client, certificate):
    response = learner_client.get(reverse("certificates:renew", kwargs={"pk": certificate.pk}))
    assert response.status_code == 405


# Downloads: who may see a certificate


def _viewer(role, certificate):
    """The holder is a member of `organization` since before the certificate was issued,
    and the organization assigned them its course; `later` they joined after it, and
    `unassigned` never assigned it."""
    holder = certificate.holder
    before = certificate.issued_at - datetime.timedelta(days=30)
    organization = OrganizationFactory()
    MembershipFactory(user=holder, organization=organization, created_at=before)
    AssignmentFactory(organization=organization, learner=holder, course=certificate.course)
    later = OrganizationFactory()
    MembershipFactory(user=holder, organization=later)
    AssignmentFactory(organization=later, learner=holder, course=certificate.course)
    unassigned = OrganizationFactory()
    MembershipFactory(user=holder, organization=unassigned, created_at=before)
    match role:
        case "anonymous":
            return None
        case "holder":
            return holder
        case "another learner":
            return UserFactory()
        case "co-worker":
            return staff_of(organization)
        case "supervisor of the holder's organization":
            return supervisor_of(organization)
        case "supervisor of another organization":
            return supervisor_of(OrganizationFactory())
        case "supervisor of an organization joined after the certificate":
            return supervisor_of(later)
        case "supervisor of an organization that did not assign the course":
            return supervisor_of(unassigned)
        case "editor without the permission to see every organization":
            editor = UserFactory(is_staff=True)
            editor.user_permissions.add(Permission.objects.get(codename="change_lesson"))
            return editor
        case "administrator":
            return AdminFactory()


@pytest.mark.usefixtures("no_drawing")
@pytest.mark.parametrize("kind", ["png", "pdf"])
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("anonymous", False),
        ("holder", True),
        ("another learner", False),
        ("co-worker", False),
        ("supervisor of the holder's organization", True),
        ("supervisor of another organization", False),
        ("supervisor of an organization joined after the certificate", False),
        ("supervisor of an organization that did not assign the course", False),
        ("editor without the permission to see every organization", False),
        ("administrator", True),
    ],
)
def test_who_may_download_a_certificate(client, certificate, role, allowed, kind):
    viewer = _viewer(role, certificate)
    if viewer is not None:
        client.force_login(viewer)
    response = client.get(reverse(f"certificates:{kind}", kwargs={"pk": certificate.pk}))
    assert response.status_code == (200 if allowed else 404)
    if allowed:
        assert response.content == b"drawn " + kind.encode()


def test_an_unknown_certificate_is_not_found(admin_client):
    assert admin_client.get(reverse("certificates:pdf", kwargs={"pk": 999999})).status_code == 404


def test_the_pdf_download_is_a_pdf_named_after_the_code(learner_client, certificate):
    response = learner_client.get(reverse("certificates:pdf", kwargs={"pk": certificate.pk}))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f'filename="repere-{certificate.display_code}.pdf"' in response["Content-Disposition"]
    assert "private" in response["Cache-Control"]


def test_the_png_download_is_a_png(learner_client, certificate):
    response = learner_client.get(reverse("certificates:png", kwargs={"pk": certificate.pk}))
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_a_repeat_download_gets_a_304_without_drawing(learner_client, certificate, monkeypatch):
    url = reverse("certificates:pdf", kwargs={"pk": certificate.pk})
    first = learner_client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200
    assert etag

    def must_not_draw(document, kind):
        raise AssertionError("drew a certificate the browser already has")

    monkeypatch.setattr(rendering, "render", must_not_draw)
    again = learner_client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_the_etag_changes_when_what_is_drawn_changes(learner_client, certificate, no_drawing):
    url = reverse("certificates:png", kwargs={"pk": certificate.pk})
    etag = learner_client.get(url)["ETag"]
    services.certificate_correct_name(certificate=certificate, by=AdminFactory(), new_name="Zoé")
    response = learner_client.get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert learner_client.get(reverse("certificates:pdf", kwargs={"pk": certificate.pk}))[
        "ETag"
    ] not in (etag, response["ETag"])


def test_the_course_page_shows_the_certificate_once_complete(learner_client, learner):
    course = CourseFactory(lessons=1)
    complete_course(learner=learner, course=course)
    certificate = Certificate.objects.get()
    page = learner_client.get(course.get_absolute_url()).content.decode()
    assert "Votre attestation" in page
    assert certificate.display_code in page
    assert reverse("certificates:pdf", kwargs={"pk": certificate.pk}) in page


def test_the_course_page_costs_one_query_more_when_complete_whatever_the_certificates(
    learner_client, learner
):
    course = CourseFactory(lessons=1)
    complete_course(learner=learner, course=course)
    with CaptureQueriesContext(connection) as one:
        learner_client.get(course.get_absolute_url())
    enrollment = Certificate.objects.get().enrollment
    for cycle in range(2, 6):  # earlier cycles' certificates do not add queries
        enrollment.cycle = cycle
        enrollment.save()
        CertificateFactory(enrollment=enrollment)
    with CaptureQueriesContext(connection) as five:
        page = learner_client.get(course.get_absolute_url()).content.decode()
    assert len(five) == len(one)
    assert Certificate.objects.get(cycle=5).display_code in page


# Public verification


def _verify(client, code, language="fr"):
    return client.get(f"/{language}/verify/{quote(code, safe='')}/")


def test_a_valid_certificate_is_shown_as_valid_with_its_facts_only(client, certificate):
    organization = OrganizationFactory(name="Refuge Secret")
    Certificate.objects.filter(pk=certificate.pk).update(organization=organization)
    response = _verify(client, certificate.display_code)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Valide." in page
    assert "Zoë Ørsted" in page
    assert certificate.course.title_fr in page
    assert certificate.display_code in page
    assert certificate.holder.email not in page
    assert "Refuge Secret" not in page


def test_a_certificate_expiring_soon_is_still_valid_publicly(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=_days(5))
    page = _verify(client, certificate.display_code).content.decode()
    assert "Valide." in page


def test_an_expired_certificate_says_since_when(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(expires_on=datetime.date(2025, 1, 31))
    response = _verify(client, certificate.display_code, "en")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Expired." in page
    assert "valid until January 31, 2025" in page
    assert "expired since February 1, 2025" in page
    assert "Valid." not in page


def test_a_revoked_certificate_says_since_when_but_not_why(client, certificate):
    services.certificate_revoke(certificate=certificate, by=AdminFactory(), reason="Fraude X-42")
    page = _verify(client, certificate.display_code).content.decode()
    assert "Révoquée." in page
    assert "a été révoquée le" in page
    assert "Fraude X-42" not in page
    assert "Valide." not in page


def test_codes_are_found_whatever_their_case_spaces_and_dashes(client, certificate):
    for typed in (certificate.code.lower(), " ".join(certificate.display_code.split("-"))):
        assert _verify(client, typed).status_code == 200


def test_an_unknown_code_gets_a_clear_404(client, certificate):
    response = _verify(client, "7KQ4-M2XD-9WPA-TR3H")
    assert response.status_code == 404
    assert "Aucune attestation n’a ce code" in response.content.decode()
    response = _verify(client, "7KQ4-M2XD-9WPA-TR3H", "en")
    assert "No certificate has this code" in response.content.decode()


@pytest.mark.parametrize("code", ["x", "é" * 500, "7KQ4\x00M2XD9WPATR3H", "' OR 1=1 --", "%00"])
def test_malformed_codes_get_the_same_404(client, code):
    response = _verify(client, code)
    assert response.status_code == 404
    assert "Aucune attestation n’a ce code" in response.content.decode()


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(code=st.text())
def test_no_code_makes_the_verification_page_fail(client, settings, code):
    settings.CERTIFICATES_VERIFY_RATE_LIMIT = 0
    assert _verify(client, code).status_code in (200, 404)
    assert client.get(reverse("verify:form"), {"code": code}).status_code in (200, 302)


def test_the_form_leads_a_typed_code_to_its_page(client, certificate):
    response = client.get(reverse("verify:form"), {"code": certificate.code.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "verify:detail", kwargs={"code": certificate.display_code}
    )


def test_the_form_explains_a_malformed_code(client):
    response = client.get(reverse("verify:form"), {"code": "123"})
    assert response.status_code == 200
    assert "compte 16 lettres et chiffres" in response.content.decode()


def test_the_verification_form_needs_no_account(client):
    response = client.get(reverse("verify:form"))
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_the_verification_page_is_rate_limited_per_address(client, certificate, settings):
    settings.CERTIFICATES_VERIFY_RATE_LIMIT = 3
    for _ in range(3):
        assert _verify(client, certificate.display_code).status_code == 200
    response = _verify(client, certificate.display_code)
    assert response.status_code == 429
    assert "Trop de demandes" in response.content.decode()
    assert _verify(client, certificate.display_code, "en").status_code == 429
    assert "Too many requests" in _verify(client, "anything", "en").content.decode()
    other = client.get(f"/fr/verify/{certificate.display_code}/", REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200


def test_the_verification_page_runs_the_same_queries_whatever_the_data(
    client, certificate, django_assert_num_queries
):
    # A new address each time: the rate limit's cache entry starts the same way.
    def verify(code, address):
        return client.get(f"/fr/verify/{code}/", REMOTE_ADDR=address)

    with CaptureQueriesContext(connection) as few:
        assert verify(certificate.display_code, "203.0.113.1").status_code == 200
    CertificateFactory.create_batch(20)
    with django_assert_num_queries(len(few)):
        assert verify(certificate.display_code, "203.0.113.2").status_code == 200
    with django_assert_num_queries(len(few)):
        assert verify("7KQ4-M2XD-9WPA-TR3H", "203.0.113.3").status_code == 404
