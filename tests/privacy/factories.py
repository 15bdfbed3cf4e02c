"""Two people whose records are intertwined, for the export's tests (issue 20)."""

import uuid
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.admin.models import CHANGE, LogEntry
from django.utils import timezone
from lti_tool.models import LtiRegistration, LtiUser

from accounts.models import OutgoingEmail, User
from accounts.services import user_update_profile
from assessments.models import Phase
from assessments.selectors import form_for, items_of
from assessments.services import attempt_submit
from certificates.models import Certificate, CertificateNameRequest
from courses.models import Course, LessonProgress
from organizations.models import AuditEvent, Invitation, Membership, Organization
from organizations.services import invitation_accept, member_add
from organizations.services.audit import audit_record
from privacy.models import DataExport
from quizzes import services as quiz_services
from quizzes.models import Quiz
from supervision.models import ReminderLog
from surveys.services import survey_response_submit
from tests.assessments.factories import item_bank
from tests.certificates.factories import CertificateFactory
from tests.factories import (
    CourseFactory,
    EnrollmentFactory,
    LessonProgressFactory,
    ModuleFactory,
    UserFactory,
    two_factor_for,
)
from tests.organizations.factories import (
    AssignmentFactory,
    MembershipFactory,
    OrganizationFactory,
    supervisor_of,
)
from tests.quizzes.factories import (
    AnswerFactory,
    SubmittedAttemptFactory,
    answers_for,
    quiz_with_questions,
)
from webhooks.models import WebhookDelivery, WebhookEndpoint
from xapi.models import LearnerAccount, LrsEndpoint, OutgoingStatement


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


def _knowledge_check(person, course, phase):
    """The knowledge check of that phase, every item answered with its first choice."""
    items = items_of(course=course, form=form_for(learner=person, course=course, phase=phase))
    choices = {item.pk: item.choices.all()[0].pk for item in items}
    attempt_submit(learner=person, course=course, phase=phase, choices=choices)


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
    item_bank(course=course, per_form=1)
    for person in (alice, bruno):
        enrollment = EnrollmentFactory(learner=person, course=course)
        _knowledge_check(person, course, Phase.PRE)
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
        _knowledge_check(person, course, Phase.POST)
        survey_response_submit(
            learner=person, course=course, relevance=4, confidence=5, comment="Très utile."
        )
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
    SocialAccount.objects.create(
        user=alice, provider="shelter", uid="alice-at-the-provider", extra_data={"name": "Alicia"}
    )
    SocialAccount.objects.create(
        user=bruno, provider="shelter", uid="bruno-at-the-provider", extra_data={"name": "Bruno"}
    )
    two_factor_for(alice)
    two_factor_for(bruno)
    _integrations(organization, alice, bruno)
    return Intertwined(alice=alice, bruno=bruno, supervisor=supervisor, organization=organization)


def _integrations(organization, *people):
    """What the organization's systems hold of each person: an event sent to its HR
    system (webhook), an xAPI statement and its opaque name, the LMS's record (LTI)."""
    endpoint = WebhookEndpoint.objects.create(
        organization=organization, url="https://rh.example.org/hooks", events=["course.completed"]
    )
    lrs = LrsEndpoint.objects.create(
        organization=organization,
        statements_url="https://lrs.example.org/xAPI/statements",
        key="k",
        secret="s",
    )
    registration = LtiRegistration.objects.create(
        name="Moodle du Nord",
        issuer="https://moodle.example.org",
        client_id="repere",
        auth_url="https://moodle.example.org/auth",
        token_url="https://moodle.example.org/token",
        keyset_url="https://moodle.example.org/jwks",
    )
    for person in people:
        learner = {"id": person.pk, "email": person.email, "name": person.full_name}
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event="course.completed",
            payload={"type": "course.completed", "data": {"learner": learner}},
        )
        account = LearnerAccount.objects.create(user=person, organization=organization)
        OutgoingStatement.objects.create(
            endpoint=lrs,
            statement_id=uuid.uuid4(),
            verb="completed",
            statement={
                "actor": {"account": {"name": str(account.name)}},
                "object": {"id": "https://repere.example.org/courses/reconnaitre"},
            },
        )
        LtiUser.objects.create(
            registration=registration,
            sub=f"moodle-{person.pk}",
            name=person.full_name,
            email=person.email,
            auth_user=person,
        )


# The person erased in the erasure tests, by name and address.
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
    # A copy of their data, ready and not downloaded: its bytes name them (stored, as a ZIP
    # would, without compression).
    DataExport.objects.create(user=person, state=DataExport.State.READY, content=NAME.encode())
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
    # Signed in once through an organization's provider: the claims it sent name them.
    SocialAccount.objects.create(
        user=person,
        provider="shelter",
        uid="provider-subject-42",
        extra_data={"name": NAME, "email": EMAIL, "email_verified": True},
    )
    EmailAddress.objects.create(user=person, email=EMAIL, verified=True, primary=True)
    return World(org, supervisor, course, person, other, quiz, certificate)
