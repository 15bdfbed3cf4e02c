"""Factories of the privacy app: a person whose records touch every app, beside another."""

from dataclasses import dataclass

from django.contrib.admin.models import CHANGE, LogEntry
from django.utils import timezone

from accounts.models import OutgoingEmail, User
from certificates.models import Certificate, CertificateNameRequest
from courses.models import Course
from organizations.models import AuditEvent, Invitation, Organization
from organizations.services.audit import audit_record
from quizzes.models import Quiz
from supervision.models import ReminderLog
from tests.certificates.factories import CertificateFactory
from tests.factories import CourseFactory, EnrollmentFactory, LessonProgressFactory, UserFactory
from tests.organizations.factories import (
    AssignmentFactory,
    MembershipFactory,
    OrganizationFactory,
    supervisor_of,
)
from tests.quizzes.factories import AnswerFactory, SubmittedAttemptFactory, quiz_with_questions

NAME = "Zéphirine Tremblay-Ouellet"
EMAIL = "zephirine.tremblay@example.org"


@dataclass
class World:
    org: Organization
    supervisor: User
    course: Course
    person: User
    other: User
    quiz: Quiz
    certificate: Certificate


def _attempt(learner, quiz, questions, number, score):
    attempt = SubmittedAttemptFactory(learner=learner, quiz=quiz, number=number, score=score)
    for question in questions:
        AnswerFactory(attempt=attempt, question=question, is_correct=score >= 80)


def person_with_records() -> World:
    """`NAME` <`EMAIL`>, a member of an organization with an assigned course, lesson
    progress, two attempts on a quiz that another member also took, a certificate and a
    request to rename it, e-mails, a reminder, an invitation from another organization,
    audit events (one of a change of name) and an administrator's change of the account."""
    org = OrganizationFactory()
    supervisor = supervisor_of(org, full_name="Sam Superviseur")
    course = CourseFactory(lessons=3)
    person = UserFactory(full_name=NAME, email=EMAIL)
    other = UserFactory(full_name="Olivier Autre")
    quiz = quiz_with_questions(2, module=course.modules.first())
    questions = [question for s in quiz.scenarios.all() for question in s.questions.all()]
    for learner in (person, other):
        MembershipFactory(user=learner, organization=org)
        AssignmentFactory(organization=org, learner=learner, course=course)
    _attempt(person, quiz, questions, 1, 50)
    _attempt(person, quiz, questions, 2, 100)
    _attempt(other, quiz, questions, 1, 80)
    enrollment = EnrollmentFactory(learner=person, course=course, completed_at=timezone.now())
    LessonProgressFactory(learner=person, lesson=course.modules.first().lessons.first())
    certificate = CertificateFactory(enrollment=enrollment, organization=org)
    CertificateNameRequest.objects.create(certificate=certificate, requested_name=f"{NAME} Jr")
    OutgoingEmail.objects.create(
        idempotency_key="a", recipient=EMAIL, user=person, subject=f"Bonjour {NAME}", body=NAME
    )
    OutgoingEmail.objects.create(
        idempotency_key="b", recipient=EMAIL, subject="Invitation", body=f"Bonjour {NAME}"
    )
    ReminderLog.objects.create(
        user=person, sent_on=timezone.localdate(), kind=ReminderLog.Kind.LEARNER
    )
    Invitation.objects.create(
        organization=OrganizationFactory(), email=EMAIL, full_name=NAME, invited_by=supervisor
    )
    audit_record(
        kind=AuditEvent.Kind.MEMBER_CREATED, actor=supervisor, organization=org, subject=person
    )
    audit_record(
        kind=AuditEvent.Kind.ACCOUNT_RENAMED,
        actor=person,
        organization=org,
        subject=person,
        before={"name": "Zéphirine Tremblay"},
        after={"name": NAME},
    )
    LogEntry.objects.log_actions(
        user_id=UserFactory(is_staff=True).pk,
        queryset=[person],
        action_flag=CHANGE,
        change_message=f"Changed the address of {NAME}",
        single_object=True,
    )
    return World(org, supervisor, course, person, other, quiz, certificate)
