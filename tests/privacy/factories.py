"""Two people whose records are intertwined, for the export's tests (issue 20)."""

from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from accounts.services import user_update_profile
from certificates.models import CertificateNameRequest
from courses.models import LessonProgress
from organizations.models import Invitation, Membership, Organization
from organizations.services import invitation_accept, member_add
from quizzes import services as quiz_services
from supervision.models import ReminderLog
from tests.certificates.factories import CertificateFactory
from tests.factories import CourseFactory, EnrollmentFactory, ModuleFactory, UserFactory
from tests.organizations.factories import AssignmentFactory, OrganizationFactory, supervisor_of
from tests.quizzes.factories import answers_for, quiz_with_questions


@dataclass
class Intertwined:
    alice: User
    bruno: User
    supervisor: User
    organization: Organization


def _join(organization, user, by):
    member_add(
        organization=organization,
        email=user.email,
        full_name=user.full_name,
        role=None,
        language=user.preferred_language,
        added_by=by,
    )
    return Invitation.objects.get(organization=organization, email=user.email)


def intertwined_people() -> Intertwined:
    """Alice and Bruno: in the same organization under the same supervisor, each invited
    by the other to an organization of their own, on the same course and quiz, each with
    a certificate, an assignment, a reminder and e-mails. Alice also renamed herself and
    asked for her certificate under the new name."""
    alice = UserFactory(full_name="Alicia Zwartkop", email="alicia.zwartkop@example.org")
    bruno = UserFactory(
        full_name="Bruno Quellenec", email="bruno.quellenec@example.net", preferred_language="en"
    )
    organization = OrganizationFactory(name="Refuge du Nord")
    supervisor = supervisor_of(
        organization, full_name="Sabine Overholt", email="sabine.overholt@example.com"
    )
    for person in (alice, bruno):
        invitation_accept(invitation=_join(organization, person, supervisor), user=person)
    alice_org = OrganizationFactory(name="Maison Alpha")
    bruno_org = OrganizationFactory(name="Maison Beta")
    Membership.objects.create(organization=alice_org, user=alice, role=Membership.Role.SUPERVISOR)
    Membership.objects.create(organization=bruno_org, user=bruno, role=Membership.Role.SUPERVISOR)
    _join(alice_org, bruno, alice)  # Bruno's invitation, from Alice: pending
    _join(bruno_org, alice, bruno)  # Alice's invitation, from Bruno: pending

    course = CourseFactory(
        title_fr="Reconnaître l’exploitation", title_en="Recognising exploitation"
    )
    quiz = quiz_with_questions(2, module=ModuleFactory(course=course))
    for person in (alice, bruno):
        enrollment = EnrollmentFactory(learner=person, course=course)
        attempt = quiz_services.attempt_start(learner=person, quiz=quiz)
        quiz_services.attempt_submit(attempt=attempt, answers=answers_for(attempt))
        assignment = AssignmentFactory(
            organization=organization, learner=person, course=course, assigned_by=supervisor
        )
        ReminderLog.objects.create(
            user=person,
            sent_on=timezone.localdate(),
            kind=ReminderLog.Kind.MANUAL,
            course=assignment.course,
            sent_by=supervisor,
        )
        enrollment.completed_at = timezone.now()
        enrollment.save()
        CertificateFactory(enrollment=enrollment, organization=organization)
    for person in (alice, bruno):
        LessonProgress.objects.create(
            learner=person, lesson=quiz.module.lessons.first(), course=course
        )
    user_update_profile(
        user=alice, full_name="Alicia Z. Zwartkop", preferred_language="fr", workplace="other"
    )
    CertificateNameRequest.objects.create(
        certificate=alice.certificates.get(), requested_name=alice.full_name
    )
    return Intertwined(alice=alice, bruno=bruno, supervisor=supervisor, organization=organization)
