"""The demo organization that `seed_demo` creates: a shelter in Quebec, its supervisor, and
staff at every stage of the course, the demo learner among them. Everything goes through
the services, and running it again changes nothing."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import User
from accounts.workplaces import Workplace
from certificates import services as certificate_services
from courses import services as course_services
from courses.models import Course, Lesson
from organizations import services
from organizations.models import Assignment, Invitation, Membership, Organization
from quizzes import services as quiz_services
from quizzes.models import Question, Quiz

ORGANIZATION_NAME = "Refuge Le Phare (démo)"
SUPERVISOR = ("supervisor@example.org", "Sophie Gagnon")
# (e-mail, name, stage): what each person has done of the demo course.
STAFF = [
    ("staff.notstarted@example.org", "Noah Pelletier", "not_started"),
    ("staff.inprogress@example.org", "Inès Bouchard", "in_progress"),
    ("staff.completed@example.org", "Marc-Antoine Roy", "completed"),
    ("staff.overdue@example.org", "Olivia Fortin", "overdue"),
]
# The demo learner (`seed_demo` creates the account): a member who agreed to join, halfway
# through the course, so that the supervisor's dashboard shows what they do.
LEARNER = ("learner@example.org", "in_progress")


def seed_demo_organization(*, write) -> list[tuple[str, str]]:
    """Create the demo organization once. Returns the (e-mail, password) of accounts
    created now, to be printed once; `write` prints progress lines."""
    organization, _created = Organization.objects.get_or_create(
        name=ORGANIZATION_NAME, defaults={"kind": Workplace.SHELTER, "province": "QC"}
    )
    created_accounts = []
    supervisor = User.objects.filter(email=SUPERVISOR[0]).first()
    if supervisor is None:
        password = secrets.token_urlsafe(12)
        supervisor = User.objects.create_user(
            SUPERVISOR[0], password, full_name=SUPERVISOR[1], workplace=Workplace.SHELTER
        )
        created_accounts.append((SUPERVISOR[0], password))
    Membership.objects.get_or_create(
        user=supervisor, organization=organization, defaults={"role": Membership.Role.SUPERVISOR}
    )
    for email, full_name, _stage in STAFF:
        if Membership.objects.filter(organization=organization, user__email=email).exists():
            continue
        services.member_add(
            organization=organization,
            email=email,
            full_name=full_name,
            role=None,
            language="fr",
            added_by=supervisor,
            notify=False,  # sample people: no invitation e-mails
        )
    demo_learner = _demo_learner_joins(organization, supervisor)
    course = Course.objects.filter(is_published=True).order_by("pk").first()
    if course is None:
        write("  Demo organization: no published course yet, so nothing is assigned.")
        return created_accounts
    for email, _full_name, stage in STAFF:
        learner = User.objects.get(email=email)
        if Assignment.objects.filter(organization=organization, learner=learner).exists():
            continue  # already set up by an earlier run
        _assign_and_progress(organization, supervisor, course, learner, stage, write)
    if (
        demo_learner is not None
        and not Assignment.objects.filter(organization=organization, learner=demo_learner).exists()
    ):
        _assign_and_progress(organization, supervisor, course, demo_learner, LEARNER[1], write)
    write(f"  Demo organization: {ORGANIZATION_NAME}, supervised by {SUPERVISOR[0]}")
    return created_accounts


def _demo_learner_joins(organization, supervisor) -> User | None:
    """The demo learner joins as anyone with an account does: invited, then accepting (the
    organization sees their progress from then on). Only once: after the learner has left
    or declined, a later run does not bring them back. None if they are not a member."""
    learner = User.objects.filter(email=LEARNER[0]).first()
    if learner is None:
        return None
    if Membership.objects.filter(user=learner, organization=organization).exists():
        return learner
    if Invitation.objects.filter(organization=organization, email=learner.email).exists():
        return None  # invited before: what the learner answered stands
    services.member_add(
        organization=organization,
        email=learner.email,
        full_name=learner.full_name,
        role=None,
        language=learner.preferred_language or "fr",
        added_by=supervisor,
        notify=False,  # the demo learner accepts at once, as the demo allows
    )
    invitation = Invitation.objects.get(organization=organization, email=learner.email)
    services.invitation_accept(invitation=invitation, user=learner)
    return learner


def _assign_and_progress(organization, supervisor, course, learner, stage, write):
    today = timezone.localdate()
    due_on = today + datetime.timedelta(days=-7 if stage == "overdue" else 30)
    services.assignments_create(
        organization=organization,
        course=course,
        learners=User.objects.filter(pk=learner.pk),
        due_on=due_on,
        assigned_by=supervisor,
        notify=False,  # sample people: no e-mails
    )
    lessons = list(
        Lesson.objects.filter(module__course=course).order_by("module__position", "position", "pk")
    )
    done = {"not_started": 0, "overdue": 1, "in_progress": len(lessons) // 2}.get(
        stage, len(lessons)
    )
    with certificate_services.completion_emails_off():  # sample people have no mailbox
        for lesson in lessons[:done]:
            course_services.lesson_mark_done(learner=learner, lesson=lesson)
        if stage == "completed":
            try:
                _pass_every_quiz(learner, course)
            except ValidationError as error:
                write(
                    "  Demo organization: could not complete the course for "
                    f"{learner.email}: {error}"
                )


def _pass_every_quiz(learner, course):
    """Pass each quiz of the course with the right answers, through the quizzes' services."""
    for quiz in Quiz.objects.filter(module__course=course).select_related("module"):
        attempt = quiz_services.attempt_start(learner=learner, quiz=quiz)
        questions = Question.objects.filter(attempt_questions__attempt=attempt).prefetch_related(
            "choices"
        )
        answers = {
            question.pk: [choice.pk for choice in question.choices.all() if choice.is_correct]
            for question in questions
        }
        quiz_services.attempt_submit(attempt=attempt, answers=answers)
