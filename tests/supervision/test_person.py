"""A supervisor's page of one person, and what they can do from it."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import OutgoingEmail
from courses.models import Enrollment, LessonProgress
from organizations.models import Assignment, AuditEvent, Invitation, Membership
from supervision.models import ReminderLog
from supervision.services import ERROR_ALREADY_REMINDED
from tests.certificates.factories import CertificateFactory
from tests.factories import CourseFactory, UserFactory
from tests.organizations.factories import (
    AssignmentFactory,
    OrganizationFactory,
    staff_of,
    supervisor_of,
)
from tests.quizzes.factories import QuizFactory, SubmittedAttemptFactory

pytestmark = pytest.mark.django_db

DUE = timezone.localdate() + datetime.timedelta(days=20)


def person_url(org, user, name="person", **kwargs):
    return reverse(
        f"supervision:{name}", kwargs={"organization_id": org.pk, "user_id": user.pk, **kwargs}
    )


def action_url(org, assignment, name):
    return person_url(org, assignment.learner, name, assignment_id=assignment.pk)


def assigned_course(org, person, *, lessons=3, quizzes=1, due_on=DUE, title="Reconnaître"):
    """A course of `lessons` lessons and `quizzes` quizzes (one per module) assigned."""
    course = CourseFactory(lessons=lessons, title_fr=title, title_en=f"{title} (en)")
    for module in list(course.modules.order_by("position"))[:quizzes]:
        QuizFactory(module=module)
    Enrollment.objects.create(learner=person, course=course)
    return AssignmentFactory(organization=org, learner=person, course=course, due_on=due_on)


@pytest.fixture
def person(org):
    return staff_of(org, full_name="Dominique Lavoie", email="dominique@example.org")


def certificate_of(person, course):
    enrollment = Enrollment.objects.get(learner=person, course=course)
    return CertificateFactory(enrollment=enrollment)


def lessons_of(course):
    return [lesson for module in course.modules.all() for lesson in module.lessons.all()]


def test_the_page_shows_each_assignment_its_due_date_and_progress_per_requirement(
    supervisor_client, org, person
):
    assignment = assigned_course(org, person, lessons=6, quizzes=2)
    LessonProgress.objects.create(learner=person, lesson=lessons_of(assignment.course)[0])
    quiz = assignment.course.modules.order_by("position").first().quiz
    SubmittedAttemptFactory(learner=person, quiz=quiz, score=50, passed=False)
    SubmittedAttemptFactory(learner=person, quiz=quiz, score=88, passed=True, number=2)
    response = supervisor_client.get(person_url(org, person))
    assert response.status_code == 200
    text = response.text
    assert "Dominique Lavoie" in text
    assert "dominique@example.org" in text
    assert "Reconnaître" in text
    assert DUE.strftime("%Y") in text
    assert "<dt>Leçons faites</dt>" in text
    assert "<dd>1 sur 6</dd>" in text
    assert "<dd>1 sur 2</dd>" in text
    rows = response.context["assignments"]
    assert (rows[0]["done_count"], rows[0]["lesson_count"]) == (1, 6)
    assert (rows[0]["quizzes_passed"], rows[0]["quiz_count"]) == (1, 2)
    results = rows[0]["quizzes"]
    assert [(r.best_score, r.attempts, r.passed) for r in results] == [
        (88, 2, True),
        (None, 0, False),
    ]
    assert "88" in text


def test_practice_attempts_after_a_pass_change_neither_best_score_nor_attempt_count(
    supervisor_client, org, person
):
    assignment = assigned_course(org, person)
    quiz = assignment.course.modules.order_by("position").first().quiz
    SubmittedAttemptFactory(learner=person, quiz=quiz, score=75, passed=True)
    SubmittedAttemptFactory(
        learner=person, quiz=quiz, score=100, passed=True, number=2, practice=True
    )
    response = supervisor_client.get(person_url(org, person))
    result = response.context["assignments"][0]["quizzes"][0]
    assert (result.best_score, result.attempts, result.passed) == (75, 1, True)


def test_only_what_happened_since_the_person_joined_counts(supervisor_client, org, person):
    assignment = assigned_course(org, person, lessons=3)
    quiz = assignment.course.modules.order_by("position").first().quiz
    LessonProgress.objects.create(learner=person, lesson=lessons_of(assignment.course)[0])
    SubmittedAttemptFactory(learner=person, quiz=quiz, score=90)
    before = certificate_of(person, assignment.course)
    Membership.objects.filter(user=person).update(
        created_at=timezone.now() + datetime.timedelta(minutes=1)
    )
    response = supervisor_client.get(person_url(org, person))
    row = response.context["assignments"][0]
    assert (row["done_count"], row["quizzes_passed"], row["best_score"]) == (0, 0, None)
    assert [(r.best_score, r.attempts) for r in row["quizzes"]] == [(None, 0)]
    assert response.context["certificates"] == []
    assert before.display_code not in response.text


def test_certificates_shown_are_those_a_supervisor_may_see(supervisor_client, org, person):
    assignment = assigned_course(org, person)
    shown = certificate_of(person, assignment.course)
    unassigned = CertificateFactory(enrollment__learner=person, enrollment__course=CourseFactory())
    response = supervisor_client.get(person_url(org, person))
    assert [c.pk for c in response.context["certificates"]] == [shown.pk]
    assert reverse("certificates:pdf", args=[shown.pk]) in response.text
    assert reverse("certificates:pdf", args=[unassigned.pk]) not in response.text


def test_an_assignment_of_another_organization_is_not_shown(supervisor_client, org, person):
    other = OrganizationFactory(name="Autre Refuge")
    Membership.objects.create(user=person, organization=other)
    assigned_course(other, person, title="Ailleurs")
    response = supervisor_client.get(person_url(org, person))
    assert "Ailleurs" not in response.text


def test_anyone_but_a_current_member_gets_404(supervisor_client, org, supervisor):
    stranger = UserFactory()
    invitee = UserFactory()
    Invitation.objects.create(organization=org, email=invitee.email, full_name="Invitée")
    former = staff_of(org)
    Membership.objects.filter(user=former).delete()
    for user in (stranger, invitee, former):
        assert supervisor_client.get(person_url(org, user)).status_code == 404


def test_the_page_takes_as_many_queries_for_one_course_as_for_many(
    supervisor_client, org, person, django_assert_num_queries
):
    assigned_course(org, person)
    supervisor_client.get(person_url(org, person))  # warm the session
    with CaptureQueriesContext(connection) as one:
        supervisor_client.get(person_url(org, person))
    for index in range(4):
        assignment = assigned_course(org, person, lessons=6, quizzes=2, title=f"Cours {index}")
        for quiz_module in assignment.course.modules.all():
            for number in range(1, 4):
                SubmittedAttemptFactory(
                    learner=person, quiz=quiz_module.quiz, number=number, score=30 * number
                )
        certificate_of(person, assignment.course)
    with django_assert_num_queries(len(one)):
        response = supervisor_client.get(person_url(org, person))
    assert len(response.context["assignments"]) == 5
    assert len(response.context["certificates"]) == 4


def test_a_member_who_never_signed_in_shows_the_invitation_and_it_can_be_sent_again(
    supervisor_client, org
):
    newcomer = staff_of(org, email="nouveau@example.org", password=None, last_login=None)
    newcomer.set_unusable_password()
    newcomer.save()
    page = supervisor_client.get(person_url(org, newcomer))
    assert "Renvoyer l’invitation" in page.text
    response = supervisor_client.post(
        person_url(org, newcomer, "person_invitation_resend"), follow=True
    )
    assert [m.to for m in mail.outbox] == [["nouveau@example.org"]]
    assert "nouveau@example.org" in response.text
    for _ in range(3):
        supervisor_client.post(person_url(org, newcomer, "person_invitation_resend"))
    assert len(mail.outbox) == 3  # the hourly allowance per address


def test_sending_the_invitation_again_to_a_member_who_signed_in_reads_the_same(
    supervisor_client, org, person
):
    assert "Renvoyer l’invitation" not in supervisor_client.get(person_url(org, person)).text
    response = supervisor_client.post(
        person_url(org, person, "person_invitation_resend"), follow=True
    )
    assert "L’invitation sera envoyée de nouveau à dominique@example.org" in response.text
    assert mail.outbox == []


# --- due dates -------------------------------------------------------------------------------


def test_changing_a_due_date_saves_it_and_emails_the_person(supervisor_client, org, person):
    assignment = assigned_course(org, person)
    new_date = timezone.localdate() + datetime.timedelta(days=40)
    response = supervisor_client.post(
        action_url(org, assignment, "person_due_date"), {"due_on": new_date.isoformat()}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.due_on == new_date
    (message,) = mail.outbox
    assert message.to == ["dominique@example.org"]
    assert "Reconnaître" in message.body
    assert "Refuge Le Phare" in message.body


def test_clearing_a_due_date_removes_it(supervisor_client, org, person):
    assignment = assigned_course(org, person)
    supervisor_client.post(action_url(org, assignment, "person_due_date"), {"due_on": ""})
    assignment.refresh_from_db()
    assert assignment.due_on is None


@pytest.mark.parametrize("value", ["2026-02-30", "demain", "1999-01-01"])
def test_a_bad_due_date_is_a_form_error_in_french_and_changes_nothing(
    supervisor_client, org, person, value
):
    assignment = assigned_course(org, person)
    response = supervisor_client.post(
        action_url(org, assignment, "person_due_date"), {"due_on": value}
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.text
    assert ("Saisissez une date valide" in response.text) != ("date ultérieure" in response.text)
    assignment.refresh_from_db()
    assert assignment.due_on == DUE
    assert mail.outbox == []


def test_a_bad_due_date_in_english_reads_in_english(client, org, supervisor, person):
    assignment = assigned_course(org, person)
    client.force_login(supervisor)
    url = action_url(org, assignment, "person_due_date").replace("/fr/", "/en/", 1)
    response = client.post(url, {"due_on": "tomorrow"})
    assert response.status_code == 400
    assert "Enter a valid date." in response.text


# --- unassigning -------------------------------------------------------------------------------


def test_unassigning_asks_first_then_removes_only_this_assignment(
    supervisor_client, org, person, supervisor
):
    assignment = assigned_course(org, person)
    other_person = staff_of(org)
    kept = AssignmentFactory(organization=org, learner=other_person, course=assignment.course)
    page = supervisor_client.get(action_url(org, assignment, "person_unassign"))
    assert page.status_code == 200
    assert Assignment.objects.filter(pk=assignment.pk).exists()
    response = supervisor_client.post(action_url(org, assignment, "person_unassign"))
    assert response.status_code == 302
    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    assert Assignment.objects.filter(pk=kept.pk).exists()
    assert Enrollment.objects.filter(learner=person, course=assignment.course).exists()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.COURSE_UNASSIGNED)
    assert (event.actor, event.subject, event.organization) == (supervisor, person, org)


def test_an_assignment_of_another_person_is_404_through_this_person(supervisor_client, org, person):
    theirs = assigned_course(org, staff_of(org))
    url = person_url(org, person, "person_unassign", assignment_id=theirs.pk)
    assert supervisor_client.post(url).status_code == 404
    assert Assignment.objects.filter(pk=theirs.pk).exists()


# --- reminders now -----------------------------------------------------------------------------


def test_a_reminder_now_is_sent_once_a_day(supervisor_client, org, person, supervisor):
    assignment = assigned_course(org, person)
    response = supervisor_client.post(action_url(org, assignment, "person_remind"), follow=True)
    (message,) = mail.outbox
    assert message.to == ["dominique@example.org"]
    assert "Reconnaître" in message.body
    log = ReminderLog.objects.get()
    assert (log.kind, log.course, log.sent_by) == ("manual", assignment.course, supervisor)
    assert "Dominique Lavoie" in response.text
    again = supervisor_client.post(action_url(org, assignment, "person_remind"), follow=True)
    assert len(mail.outbox) == 1
    expected = str(ERROR_ALREADY_REMINDED) % {"name": "Dominique Lavoie"}
    assert expected in again.text


def test_no_reminder_now_after_the_daily_reminder(supervisor_client, org, person):
    assignment = assigned_course(org, person)
    ReminderLog.objects.create(user=person, sent_on=timezone.localdate(), kind="learner")
    supervisor_client.post(action_url(org, assignment, "person_remind"))
    assert mail.outbox == []
    assert OutgoingEmail.objects.count() == 0


# --- links and the invitation page -------------------------------------------------------------


def test_the_dashboard_and_the_staff_list_link_each_name_to_the_person(
    supervisor_client, org, person
):
    assigned_course(org, person)
    dashboard = supervisor_client.get(reverse("supervision:dashboard", args=[org.pk]))
    assert person_url(org, person) in dashboard.text
    staff = supervisor_client.get(reverse("organizations:member_list", args=[org.pk]))
    assert person_url(org, person) in staff.text


def test_a_pending_invitation_shows_only_what_was_typed(supervisor_client, org):
    account = UserFactory(full_name="Nom Du Compte", email="compte@example.org")
    invitation = Invitation.objects.create(
        organization=org, email="compte@example.org", full_name="Nom Tapé"
    )
    url = reverse("supervision:invitation", args=[org.pk, invitation.pk])
    page = supervisor_client.get(url)
    assert page.status_code == 200
    assert "Nom Tapé" in page.text
    assert "compte@example.org" in page.text
    assert account.full_name not in page.text
    assert reverse("organizations:invitation_resend", args=[org.pk, invitation.pk]) in page.text
    assert reverse("organizations:invitation_cancel", args=[org.pk, invitation.pk]) in page.text
    staff = supervisor_client.get(reverse("organizations:member_list", args=[org.pk]))
    assert url in staff.text
    invitation.state = Invitation.State.CANCELLED
    invitation.save()
    assert supervisor_client.get(url).status_code == 404


def test_another_organizations_supervisor_gets_404_everywhere(client, org, person):
    assignment = assigned_course(org, person)
    other = OrganizationFactory()
    client.force_login(supervisor_of(other))
    invitation = Invitation.objects.create(organization=org, email="x@example.org", full_name="X")
    for url in (
        person_url(org, person),
        action_url(org, assignment, "person_unassign"),
        reverse("supervision:invitation", args=[org.pk, invitation.pk]),
    ):
        assert client.get(url).status_code == 404
    for name in ("person_due_date", "person_unassign", "person_remind"):
        assert client.post(action_url(org, assignment, name), {"due_on": ""}).status_code == 404
    assert client.post(person_url(org, person, "person_invitation_resend")).status_code == 404
    assert Assignment.objects.filter(pk=assignment.pk, due_on=DUE).exists()
    assert mail.outbox == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reminders_now_at_the_same_moment_send_one_email(org, supervisor, person, run_together):
    assignment = assigned_course(org, person)
    supervisors = [supervisor, supervisor_of(org)]

    def remind(index):
        client = Client()
        client.force_login(supervisors[index])
        return client.post(action_url(org, assignment, "person_remind")).status_code

    results = run_together(remind, 2)
    assert results.errors == []
    assert list(results) == [302, 302]
    assert [message.to for message in mail.outbox] == [["dominique@example.org"]]
    assert ReminderLog.objects.count() == 1
    assert OutgoingEmail.objects.count() == 1
