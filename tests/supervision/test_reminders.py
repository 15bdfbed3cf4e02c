import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates.models import Certificate
from courses.models import Enrollment
from organizations.models import Assignment
from supervision.models import ReminderLog
from supervision.selectors.reminders import reminders_due
from supervision.services import reminders_send
from tests.factories import CourseFactory, EnrollmentFactory
from tests.organizations.factories import (
    AssignmentFactory,
    MembershipFactory,
    OrganizationFactory,
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
    assert first.count("sent") == 2
    assert second.count("sent") == 0
    assert second.count("already_sent") == 2
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_next_day_reminds_again(org, course):
    overdue(org, course)
    reminders_send(today=TODAY)
    reminders_send(today=TODAY + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_a_failed_send_is_not_recorded_and_is_retried(org, course, settings):
    overdue(org, course)
    settings.EMAIL_BACKEND = "tests.supervision.test_reminders.FailingBackend"
    report = reminders_send()
    assert report.count("failed") == 1
    assert not ReminderLog.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert reminders_send().count("sent") == 1


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
def test_the_command_prints_what_it_sent(org, course):
    overdue(org, course, email="late@example.org")
    out = StringIO()
    call_command("send_reminders", stdout=out)
    call_command("send_reminders", stdout=out)
    output = out.getvalue()
    assert "late@example.org: sent" in output
    assert "late@example.org: already reminded today" in output
    assert "Reminders: 0 sent, 1 already sent today, 0 failed." in output


@pytest.mark.django_db
def test_the_command_dry_run_sends_nothing(org, course):
    overdue(org, course, email="late@example.org")
    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert "would be sent" in out.getvalue()
    assert mail.outbox == []
    assert not ReminderLog.objects.exists()


@pytest.mark.django_db
def test_the_command_fails_loudly_when_mail_cannot_be_sent(org, course, settings):
    overdue(org, course)
    settings.EMAIL_BACKEND = "tests.supervision.test_reminders.FailingBackend"
    with pytest.raises(CommandError):
        call_command("send_reminders", stdout=StringIO())


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
