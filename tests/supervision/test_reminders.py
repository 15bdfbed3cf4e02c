import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import OutgoingEmail
from accounts.services import email_retry
from certificates.models import Certificate
from courses.models import Enrollment
from organizations.models import Assignment
from supervision.models import ReminderLog
from supervision.selectors.reminders import reminders_due
from supervision.services import reminder_pages, reminders_send
from supervision.tasks import reminders_send_batch
from tests.factories import CourseFactory, EnrollmentFactory
from tests.organizations.factories import (
    AssignmentFactory,
    MembershipFactory,
    OrganizationFactory,
    bulk_staff,
    staff_of,
    supervisor_of,
)

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


@pytest.fixture
def course(db):
    return CourseFactory(lessons=2, title_fr="Reconnaître", title_en="Recognising")


def overdue(org, course, **user_fields):
    learner = staff_of(org, **user_fields)
    AssignmentFactory(organization=org, learner=learner, course=course, due_on=YESTERDAY)
    return learner


def expiring(org, course, days=10, **user_fields):
    learner = staff_of(org, **user_fields)
    AssignmentFactory(organization=org, learner=learner, course=course)
    enrollment = EnrollmentFactory(learner=learner, course=course, completed_at=timezone.now())
    Certificate.objects.create(
        holder=learner,
        course=course,
        enrollment=enrollment,
        cycle=1,
        code=f"REMIND{learner.pk:010d}",
        holder_name=learner.full_name,
        content_version=1,
        completed_at=timezone.now(),
        expires_on=TODAY + datetime.timedelta(days=days),
    )
    return learner


def sent_to():
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.mark.django_db
def test_overdue_staff_are_reminded_in_their_language(org, course):
    overdue(org, course, email="fr@example.org", preferred_language="fr")
    overdue(org, course, email="en@example.org", preferred_language="en")
    on_time = staff_of(org, email="ontime@example.org")
    AssignmentFactory(organization=org, learner=on_time, course=course, due_on=TODAY)
    reminders_send()
    messages = {message.to[0]: message for message in mail.outbox}
    assert sorted(messages) == ["en@example.org", "fr@example.org"]
    assert "Reconnaître" in messages["fr@example.org"].body
    assert "à terminer" in messages["fr@example.org"].body
    assert "Recognising" in messages["en@example.org"].body
    assert "to be completed by" in messages["en@example.org"].body
    assert "/en/learning/" in messages["en@example.org"].body


@pytest.mark.django_db
def test_a_certificate_expiring_within_30_days_is_a_reason_to_remind(org, course):
    expiring(org, course, days=30, email="soon@example.org", preferred_language="en")
    expiring(org, course, days=31, email="later@example.org")
    expiring(org, course, days=-1, email="expired@example.org")
    reminders_send()
    assert sent_to() == ["soon@example.org"]
    assert "your certificate expires on" in mail.outbox[0].body


@pytest.mark.django_db
def test_overdue_with_an_expired_certificate_is_still_reminded_as_overdue(org, course):
    learner = expiring(org, course, days=-5, email="late@example.org", preferred_language="en")
    Enrollment.objects.filter(learner=learner).update(completed_at=None, cycle=2)
    Assignment.objects.filter(learner=learner).update(due_on=YESTERDAY)
    supervisor_of(org, email="boss@example.org", preferred_language="en")

    (own,) = [reminder for reminder in reminders_due() if reminder.user == learner]
    assert [item.is_overdue for item in own.own] == [True]
    reminders_send()
    assert sent_to() == ["boss@example.org", "late@example.org"]
    (late,) = [m for m in mail.outbox if m.to == ["late@example.org"]]
    assert "to be completed by" in late.body
    (summary,) = [m for m in mail.outbox if m.to == ["boss@example.org"]]
    assert "1 course overdue" in summary.body


@pytest.mark.django_db
def test_supervisors_get_a_summary_of_their_organization(org, course):
    supervisor = supervisor_of(org, email="boss@example.org", preferred_language="en")
    overdue(org, course)
    expiring(org, course, days=-3)  # expired: no e-mail to them, but counted for the boss
    quiet = OrganizationFactory(name="Calme")
    supervisor_of(quiet, email="quiet@example.org")
    AssignmentFactory(organization=quiet, learner=staff_of(quiet), course=course)
    reminders_send()
    (summary,) = [m for m in mail.outbox if m.to == [supervisor.email]]
    assert "Refuge Le Phare" in summary.body
    assert "1 course overdue" in summary.body
    assert "1 certificate expired" in summary.body
    assert f"/en/organizations/{org.pk}/" in summary.body
    assert "quiet@example.org" not in sent_to()


@pytest.mark.django_db
def test_a_supervisor_who_is_late_too_gets_one_email(org, course):
    supervisor = supervisor_of(org, email="boss@example.org")
    AssignmentFactory(organization=org, learner=supervisor, course=course, due_on=YESTERDAY)
    reminders_send()
    assert sent_to() == ["boss@example.org"]
    assert ReminderLog.objects.get().kind == ReminderLog.Kind.BOTH


@pytest.mark.django_db
def test_running_twice_the_same_day_sends_nothing_more(org, course):
    overdue(org, course)
    supervisor_of(org)
    first = reminders_send()
    second = reminders_send()
    assert first.count("queued") == 2
    assert second.count("queued") == 0
    assert second.count("already_sent") == 2
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_next_day_reminds_again(org, course):
    overdue(org, course)
    reminders_send(today=TODAY)
    reminders_send(today=TODAY + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_failed_send_waits_for_a_retry_and_still_counts_as_the_day_s_reminder(
    org, course, settings
):
    overdue(org, course, email="late@example.org")
    settings.EMAIL_BACKEND = "tests.supervision.test_reminders.FailingBackend"
    assert reminders_send().count("queued") == 1
    email = OutgoingEmail.objects.get(recipient="late@example.org")
    assert (email.status, email.last_error) == (
        OutgoingEmail.Status.RETRYING,
        "ConnectionRefusedError: mail server down",
    )
    assert reminders_send().count("already_sent") == 1  # not a second e-mail that day
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    email_retry(emails=OutgoingEmail.objects.all())
    assert sent_to() == ["late@example.org"]


@pytest.mark.django_db
def test_deactivated_accounts_and_former_members_get_nothing(org, course):
    overdue(org, course, is_active=False)
    former = overdue(org, course)
    former.memberships.all().delete()
    reminders_send()
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_course_assigned_by_two_organizations_is_listed_once(org, course):
    learner = overdue(org, course)
    other = OrganizationFactory()
    MembershipFactory(user=learner, organization=other)
    AssignmentFactory(organization=other, learner=learner, course=course, due_on=YESTERDAY)
    (reminder,) = reminders_due()
    assert len(reminder.own) == 1


@pytest.mark.django_db
def test_completing_the_course_stops_the_reminders(org, course):
    learner = overdue(org, course)
    Enrollment.objects.create(learner=learner, course=course, completed_at=timezone.now())
    assert reminders_due() == []


@pytest.mark.django_db
def test_reading_who_to_remind_takes_the_same_queries_for_5_or_50_people(org, course):
    def count():
        with CaptureQueriesContext(connection) as queries:
            reminders_due()
        return len(queries)

    supervisor_of(org)
    for _ in range(5):
        overdue(org, course)
    small = count()
    for _ in range(45):
        overdue(org, course)
        expiring(org, course)
    assert count() == small


@pytest.mark.django_db
def test_the_command_says_what_it_enqueued_and_twice_sends_once(org, course):
    overdue(org, course, email="late@example.org")
    out = StringIO()
    call_command("send_reminders", stdout=out)
    call_command("send_reminders", stdout=out)
    output = out.getvalue()
    assert "Reminders: 1 person to remind, in 1 task queued for the task workers." in output
    assert sent_to() == ["late@example.org"]


@pytest.mark.django_db
def test_the_command_dry_run_sends_nothing(org, course):
    overdue(org, course, email="late@example.org")
    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert "late@example.org: would be sent" in out.getvalue()
    assert "Reminders: 1 to send (dry run), 0 already sent today." in out.getvalue()
    assert mail.outbox == []
    assert not ReminderLog.objects.exists()


@pytest.mark.django_db
def test_the_command_only_queues_so_a_mail_server_failure_is_left_to_the_retries(
    org, course, settings
):
    overdue(org, course)
    settings.EMAIL_BACKEND = "tests.supervision.test_reminders.FailingBackend"
    call_command("send_reminders", stdout=StringIO())
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.RETRYING


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_moment_email_each_person_once(org, course, run_together):
    people = [overdue(org, course) for _ in range(20)]
    supervisor_of(org)
    results = run_together(lambda index: reminders_send(), 3)
    assert results.errors == []
    assert len(mail.outbox) == len(people) + 1
    assert len(set(sent_to())) == len(people) + 1
    assert ReminderLog.objects.count() == len(people) + 1


@pytest.mark.django_db
def test_the_reminder_window_is_the_setting_and_the_summary_says_it(org, course, settings):
    settings.REPERE_CERTIFICATE_EXPIRING_DAYS = 7
    supervisor_of(org, email="boss@example.org", preferred_language="en")
    expiring(org, course, days=7, email="soon@example.org", preferred_language="fr")
    expiring(org, course, days=8, email="later@example.org")
    reminders_send()
    assert sent_to() == ["boss@example.org", "soon@example.org"]
    (summary,) = [m for m in mail.outbox if m.to == ["boss@example.org"]]
    assert "1 certificate expiring within 7 days" in summary.body


# --- before the due date ---------------------------------------------------------------------


def due_in(org, course, days, **user_fields):
    learner = staff_of(org, **user_fields)
    AssignmentFactory(
        organization=org,
        learner=learner,
        course=course,
        due_on=TODAY + datetime.timedelta(days=days),
    )
    return learner


@pytest.mark.django_db
def test_a_course_is_reminded_seven_days_before_its_due_date_and_the_day_before(org, course):
    due_in(org, course, 7, email="in7@example.org")
    due_in(org, course, 1, email="in1@example.org", preferred_language="en")
    due_in(org, course, 3, email="in3@example.org")
    due_in(org, course, 8, email="in8@example.org")
    due_in(org, course, 0, email="today@example.org")
    reminders_send()
    assert sent_to() == ["in1@example.org", "in7@example.org"]
    by_address = {message.to[0]: message for message in mail.outbox}
    french = by_address["in7@example.org"].body
    assert "Reconnaître" in french
    assert "quelques courtes leçons à la fois suffisent" in french
    assert "en retard" not in french.lower()
    english = by_address["in1@example.org"].body
    assert "Recognising" in english
    assert "a few short lessons at a time are enough" in english


@pytest.mark.django_db
def test_a_completed_course_is_not_reminded_before_its_due_date(org, course):
    learner = due_in(org, course, 7)
    Enrollment.objects.create(learner=learner, course=course, completed_at=timezone.now())
    reminders_send()
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_days_before_the_due_date_are_the_setting(org, course, settings):
    settings.REPERE_REMINDER_DAYS_BEFORE_DUE = 10
    due_in(org, course, 10, email="in10@example.org")
    due_in(org, course, 7, email="in7@example.org")
    reminders_send()
    assert sent_to() == ["in10@example.org"]
    mail.outbox.clear()
    settings.REPERE_REMINDER_DAYS_BEFORE_DUE = 0
    due_in(org, course, 1, email="in1@example.org")
    reminders_send(today=TODAY + datetime.timedelta(days=1))
    assert mail.outbox == []


# --- the scheduled enqueue -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_command_enqueues_a_task_per_200_people_and_workers_send_each_once(
    org, course, task_worker
):
    bulk_staff(org, 450, "late-", course=course)
    Assignment.objects.filter(organization=org).update(due_on=YESTERDAY)
    supervisor_of(org, email="boss@example.org")
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert "451 people to remind, in 3 tasks" in out.getvalue()
    assert mail.outbox == []  # the command only enqueued
    assert not OutgoingEmail.objects.exists()
    batches = DBTaskResult.objects.filter(task_path="supervision.tasks.reminders_send_batch")
    assert sorted(len(b.args_kwargs["kwargs"]["user_ids"]) for b in batches) == [51, 200, 200]
    task_worker()
    assert len(mail.outbox) == 451
    assert len(set(sent_to())) == 451
    # Each batch run again (a task enqueued twice), and the command run again: no more.
    for batch in batches:
        assert reminders_send_batch.call(**batch.args_kwargs["kwargs"])["queued"] == 0
    call_command("send_reminders", stdout=StringIO())
    task_worker()
    assert len(mail.outbox) == 451
    assert ReminderLog.objects.count() == 451


@pytest.mark.django_db
def test_the_keyset_pages_cover_everyone_once_in_id_order(org, course):
    people = [overdue(org, course) for _ in range(7)]
    pages = list(reminder_pages(today=TODAY, size=3))
    assert [len(page) for page in pages] == [3, 3, 1]
    assert [pk for page in pages for pk in page] == sorted(person.pk for person in people)
