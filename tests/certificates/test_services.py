import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from certificates import codes, services
from certificates.models import Certificate, CertificateNameChange, Status
from courses.models import Enrollment
from tests.certificates.factories import CertificateFactory, complete_course
from tests.factories import AdminFactory, CourseFactory, UserFactory
from tests.organizations.factories import AssignmentFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_completing_a_course_issues_one_certificate_with_that_days_facts(learner):
    course = CourseFactory(lessons=2, content_version=4, validity_months=12)
    enrollment = complete_course(learner=learner, course=course)
    certificate = Certificate.objects.get()
    assert certificate.holder == learner
    assert certificate.enrollment == enrollment
    assert certificate.course == course
    assert certificate.cycle == 1
    assert certificate.holder_name == learner.full_name
    assert certificate.content_version == 4
    assert certificate.completed_at == enrollment.completed_at
    completed_on = timezone.localdate(enrollment.completed_at)
    assert certificate.expires_on == services.add_months(completed_on, 12)
    assert certificate.expires_on.year == completed_on.year + 1
    assert len(certificate.code) == 16
    assert codes.normalise(certificate.code) == certificate.code
    assert certificate.organization is None
    assert certificate.status() == Status.VALID


def test_the_name_on_a_certificate_does_not_follow_later_renaming(learner):
    complete_course(learner=learner, course=CourseFactory(lessons=1))
    name = learner.full_name
    learner.full_name = "Un tout autre nom"
    learner.save()
    assert Certificate.objects.get().holder_name == name


def test_issuing_again_for_the_same_cycle_returns_the_same_certificate(learner):
    enrollment = complete_course(learner=learner, course=CourseFactory(lessons=1))
    first = Certificate.objects.get()
    again = services.certificate_issue(enrollment=enrollment)
    assert again.pk == first.pk
    assert Certificate.objects.count() == 1


def test_the_database_refuses_a_second_certificate_for_one_cycle():
    certificate = CertificateFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CertificateFactory(enrollment=certificate.enrollment)


def test_a_code_collision_draws_another_code(learner, monkeypatch):
    taken = CertificateFactory().code
    drawn = iter([taken, taken, "7KQ4M2XD9WPATR3H"])
    monkeypatch.setattr(codes, "generate", lambda: next(drawn))
    complete_course(learner=learner, course=CourseFactory(lessons=1))
    assert Certificate.objects.get(holder=learner).code == "7KQ4M2XD9WPATR3H"


def test_a_certificate_that_cannot_be_issued_leaves_the_course_incomplete(learner, monkeypatch):
    """Issued inside the completing transaction: no completion without its certificate."""
    taken = CertificateFactory().code
    monkeypatch.setattr(codes, "generate", lambda: taken)
    course = CourseFactory(lessons=1)
    with pytest.raises(RuntimeError):
        complete_course(learner=learner, course=course)
    assert Enrollment.objects.get(learner=learner).completed_at is None
    assert not Certificate.objects.filter(holder=learner).exists()


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2025, 3, 12), 12, datetime.date(2026, 3, 12)),
        (datetime.date(2025, 1, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2024, 2, 29), 12, datetime.date(2025, 2, 28)),
        (datetime.date(2025, 8, 31), 6, datetime.date(2026, 2, 28)),
        (datetime.date(2025, 12, 15), 1, datetime.date(2026, 1, 15)),
        (datetime.date(2025, 10, 31), 120, datetime.date(2035, 10, 31)),
    ],
)
def test_expiry_adds_the_courses_months_and_keeps_to_the_end_of_short_months(day, months, expected):
    assert services.add_months(day, months) == expected


def test_expiry_follows_the_courses_validity(learner):
    course = CourseFactory(lessons=1, validity_months=3)
    enrollment = complete_course(learner=learner, course=course)
    assert Certificate.objects.get().expires_on == services.add_months(
        timezone.localdate(enrollment.completed_at), 3
    )


def test_the_organization_that_assigned_the_course_issues_the_certificate(learner):
    course = CourseFactory(lessons=1)
    MembershipFactory(user=learner)  # a first organization, which did not assign it
    assignment = AssignmentFactory(learner=learner, course=course)
    MembershipFactory(user=learner, organization=assignment.organization)
    complete_course(learner=learner, course=course)
    assert Certificate.objects.get().organization == assignment.organization


def test_without_an_assignment_the_first_membership_issues_the_certificate(learner):
    membership = MembershipFactory(user=learner)
    complete_course(learner=learner, course=CourseFactory(lessons=1))
    assert Certificate.objects.get().organization == membership.organization


def test_a_name_typed_with_combining_accents_is_stored_composed():
    learner = UserFactory(full_name="E\u0301milie  Co\u0302te\u0301")
    complete_course(learner=learner, course=CourseFactory(lessons=1))
    assert Certificate.objects.get().holder_name == "Émilie Côté"


# Revocation


def test_revoking_keeps_the_reason_who_and_when():
    certificate = CertificateFactory()
    admin = AdminFactory()
    services.certificate_revoke(certificate=certificate, by=admin, reason="  Issued in error  ")
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Issued in error"
    assert certificate.revoked_by == admin
    assert certificate.revoked_at is not None
    assert certificate.status() == Status.REVOKED


def test_revoking_needs_a_reason_and_saves_nothing_without_one():
    certificate = CertificateFactory()
    with pytest.raises(ValidationError) as error:
        services.certificate_revoke(certificate=certificate, by=AdminFactory(), reason="   ")
    assert error.value.messages == [str(services.ERROR_REASON_REQUIRED)]
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_revoking_twice_is_refused_and_keeps_the_first_reason():
    certificate = CertificateFactory()
    admin = AdminFactory()
    services.certificate_revoke(certificate=certificate, by=admin, reason="First")
    with pytest.raises(ValidationError) as error:
        services.certificate_revoke(certificate=certificate, by=admin, reason="Second")
    assert error.value.messages == [str(services.ERROR_ALREADY_REVOKED)]
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "First"


def test_the_database_refuses_a_revocation_without_reason():
    certificate = CertificateFactory()
    certificate.revoked_at = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        certificate.save()


# Name correction


def test_correcting_the_name_keeps_the_code_and_records_the_change():
    certificate = CertificateFactory(holder_name="Emilie Cote")
    code = certificate.code
    admin = AdminFactory()
    services.certificate_correct_name(certificate=certificate, by=admin, new_name="Émilie Côté")
    certificate.refresh_from_db()
    assert certificate.holder_name == "Émilie Côté"
    assert certificate.code == code
    change = CertificateNameChange.objects.get()
    assert (change.old_name, change.new_name, change.changed_by) == (
        "Emilie Cote",
        "Émilie Côté",
        admin,
    )


@pytest.mark.parametrize(
    ("new_name", "error"),
    [("   ", services.ERROR_NAME_REQUIRED), ("Emilie  Cote ", services.ERROR_NAME_UNCHANGED)],
)
def test_a_name_correction_that_changes_nothing_is_refused(new_name, error):
    certificate = CertificateFactory(holder_name="Emilie Cote")
    with pytest.raises(ValidationError) as raised:
        services.certificate_correct_name(
            certificate=certificate, by=AdminFactory(), new_name=new_name
        )
    assert raised.value.messages == [str(error)]
    assert not CertificateNameChange.objects.exists()


def test_a_revoked_certificate_is_not_reissued_under_another_name():
    certificate = CertificateFactory(holder_name="Emilie Cote")
    admin = AdminFactory()
    services.certificate_revoke(certificate=certificate, by=admin, reason="Fraud")
    with pytest.raises(ValidationError):
        services.certificate_correct_name(certificate=certificate, by=admin, new_name="Autre")
    certificate.refresh_from_db()
    assert certificate.holder_name == "Emilie Cote"


# Renewal


def _expire(certificate, days_ago=1):
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=days_ago)
    )
    certificate.refresh_from_db()


def test_renewal_takes_the_course_again_and_the_new_certificate_has_a_new_code(learner):
    course = CourseFactory(lessons=2)
    complete_course(learner=learner, course=course)
    old = Certificate.objects.get()
    _expire(old)
    enrollment = services.certificate_renew(certificate=old)
    assert enrollment.cycle == 2
    assert enrollment.completed_at is None
    assert Certificate.objects.count() == 1
    complete_course(learner=learner, course=course)
    new = Certificate.objects.get(cycle=2)
    assert new.code != old.code
    assert new.status() == Status.VALID
    old.refresh_from_db()
    assert old.status() == Status.EXPIRED


def test_a_certificate_expiring_within_30_days_can_be_renewed(learner):
    complete_course(learner=learner, course=CourseFactory(lessons=1))
    certificate = Certificate.objects.get()
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=timezone.localdate() + datetime.timedelta(days=30)
    )
    certificate.refresh_from_db()
    assert certificate.status() == Status.EXPIRING
    assert services.certificate_renew(certificate=certificate).cycle == 2


def test_the_renewal_window_is_the_setting_and_the_refusal_says_so(learner, settings):
    settings.REPERE_CERTIFICATE_EXPIRING_DAYS = 45
    complete_course(learner=learner, course=CourseFactory(lessons=1))
    certificate = Certificate.objects.get()
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=timezone.localdate() + datetime.timedelta(days=46)
    )
    certificate.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.certificate_renew(certificate=certificate)
    assert error.value.messages == [
        "Cette attestation ne peut être renouvelée que si elle a expiré ou expire d’ici 45 jours."
    ]
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=timezone.localdate() + datetime.timedelta(days=45)
    )
    assert services.certificate_renew(certificate=certificate).cycle == 2


def test_a_valid_certificate_is_not_renewed(learner):
    complete_course(learner=learner, course=CourseFactory(lessons=1))
    certificate = Certificate.objects.get()
    Certificate.objects.filter(pk=certificate.pk).update(
        expires_on=timezone.localdate() + datetime.timedelta(days=31)
    )
    certificate.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.certificate_renew(certificate=certificate)
    assert error.value.messages == [str(services.ERROR_NOT_RENEWABLE)]
    assert Enrollment.objects.get().cycle == 1


def test_renewing_twice_does_not_wipe_the_new_cycles_progress(learner):
    course = CourseFactory(lessons=2)
    complete_course(learner=learner, course=course)
    certificate = Certificate.objects.get()
    _expire(certificate)
    services.certificate_renew(certificate=certificate)
    from courses import services as course_services

    course_services.lesson_mark_done(learner=learner, lesson=course.modules.first().lessons.first())
    enrollment = services.certificate_renew(certificate=certificate)
    assert enrollment.cycle == 2
    assert learner.lesson_progress.count() == 1


def test_a_revoked_certificate_is_not_renewed(learner):
    complete_course(learner=learner, course=CourseFactory(lessons=1))
    certificate = Certificate.objects.get()
    _expire(certificate)
    services.certificate_revoke(certificate=certificate, by=AdminFactory(), reason="Fraud")
    with pytest.raises(ValidationError):
        services.certificate_renew(certificate=certificate)


def _everything_issued(client, certificate):
    """What anyone can get of an issued certificate: its drawings, its verification page
    and its credential."""
    from certificates import rendering
    from certificates.credentials import build

    certificate = Certificate.objects.get(pk=certificate.pk)  # as stored, nothing cached
    document = rendering.document_for(certificate)
    page = client.get(certificate.get_absolute_url()).content.decode()
    return {
        "png": document.fingerprint("png"),
        "pdf": rendering.render_pdf(document),
        "page": page.split("<main", 1)[-1],
        "credential": build.credential_for(certificate),
        "jwt": build.credential_jwt(certificate),
    }


def test_renaming_the_course_or_the_organization_after_issue_changes_nothing(client, settings):
    settings.CREDENTIAL_SIGNING_KEY = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
    learner = UserFactory(full_name="Zoë Ørsted", preferred_language="en")
    course = CourseFactory(
        lessons=1,
        title_fr="Reconnaître la traite",
        title_en="Recognising trafficking",
        bilingual_certificate=True,
    )
    membership = MembershipFactory(user=learner)
    AssignmentFactory(organization=membership.organization, learner=learner, course=course)
    complete_course(learner=learner, course=course)
    certificate = Certificate.objects.get()
    assert certificate.organization_name == membership.organization.name
    assert (certificate.course_title_fr, certificate.course_title_en) == (
        "Reconnaître la traite",
        "Recognising trafficking",
    )
    assert certificate.languages == "en,fr"
    before = _everything_issued(client, certificate)
    assert "Recognising trafficking" in before["page"]
    assert membership.organization.name in before["page"]

    course.title_fr, course.title_en, course.bilingual_certificate = "Autre", "Other", False
    course.content_version += 1
    course.save()
    membership.organization.name = "Un tout autre nom"
    membership.organization.save()
    learner.preferred_language = "fr"
    learner.email = "new-address@example.org"
    learner.save()

    assert _everything_issued(client, certificate) == before
