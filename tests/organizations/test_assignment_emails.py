"""Assigning a course, or changing its due date, e-mails the person: the course, the
organization and the date, in their language; in bulk, without one object per person."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from accounts.dates import date_format
from accounts.models import OutgoingEmail, User
from organizations import services
from organizations.tasks import assignment_emails_enqueue
from tests.factories import CourseFactory, UserFactory
from tests.organizations.factories import bulk_staff, staff_of

DUE = datetime.date(2026, 12, 15)


def assign(org, people, course, due_on=DUE):
    return services.assignments_create(
        organization=org,
        course=course,
        learners=User.objects.filter(pk__in=[person.pk for person in people]),
        due_on=due_on,
        assigned_by=None,
    )


@pytest.mark.django_db
def test_each_person_assigned_is_emailed_the_course_organization_and_date_in_their_language(
    org,
):
    course = CourseFactory(lessons=1, title_fr="Reconnaître", title_en="Recognising")
    french = staff_of(org, email="fr@example.org", preferred_language="fr")
    english = staff_of(org, email="en@example.org", preferred_language="en")
    assign(org, [french, english], course)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"fr@example.org", "en@example.org"}
    assert "Reconnaître" in by_address["fr@example.org"].subject
    assert "15 décembre 2026" in by_address["fr@example.org"].body
    assert "Refuge Le Phare" in by_address["fr@example.org"].body
    assert "/fr/" in by_address["fr@example.org"].body
    assert "Recognising" in by_address["en@example.org"].body
    with translation.override("en"):
        assert date_format(DUE, "DATE_FORMAT") in by_address["en@example.org"].body
    assert "/en/" in by_address["en@example.org"].body


@pytest.mark.django_db
def test_assigning_twice_emails_once_and_a_new_date_emails_only_those_whose_date_changed(org):
    course = CourseFactory(lessons=1)
    first, second = staff_of(org), staff_of(org)
    assign(org, [first], course)
    assign(org, [first], course)
    assert [message.to for message in mail.outbox] == [[first.email]]
    assign(org, [first, second], course)  # the second is new, the first keeps its date
    assert [message.to for message in mail.outbox[1:]] == [[second.email]]
    later = datetime.date(2027, 1, 31)
    assign(org, [first, second], course, due_on=later)
    changed = mail.outbox[2:]
    assert sorted(message.to[0] for message in changed) == sorted([first.email, second.email])
    assert all("31 janvier 2027" in message.body for message in changed)


@pytest.mark.django_db
def test_an_assignment_that_fails_emails_nobody(org):
    course = CourseFactory(lessons=1)
    with pytest.raises(ValidationError):
        assign(org, [staff_of(org), UserFactory()], course)
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_a_deactivated_account_is_not_emailed(org):
    course = CourseFactory(lessons=1)
    gone = staff_of(org, is_active=False)
    assign(org, [gone], course)
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_bulk_assignment_queues_one_task_that_enqueues_batches_each_sent_once(org, task_worker):
    course = CourseFactory(lessons=1)
    people = bulk_staff(org, 1_200, "many-")
    assign(org, people, course)
    # The request queued the e-mails and one task, nothing per person.
    assert OutgoingEmail.objects.filter(status="queued").count() == 1_200
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "organizations.tasks.assignment_emails_enqueue"
    ]
    task_worker()
    deliveries = DBTaskResult.objects.filter(task_path="accounts.tasks.email_deliver")
    assert deliveries.count() == 3  # 500, 500, 200
    assert len(mail.outbox) == 1_200
    assert len({message.to[0] for message in mail.outbox}) == 1_200
    # The fan-out run again (a task enqueued twice), the assignment made again: nothing
    # more leaves.
    fan_out = DBTaskResult.objects.get(task_path="organizations.tasks.assignment_emails_enqueue")
    assert assignment_emails_enqueue.call(**fan_out.args_kwargs["kwargs"]) == 0
    assign(org, people, course)
    task_worker()
    assert len(mail.outbox) == 1_200
