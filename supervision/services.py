"""The daily reminders: at most one e-mail per person per day, in their language."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import Email, email_queue, email_to, task_enqueue
from certificates.status import within_expiring_days
from organizations.models import Assignment
from supervision.models import ReminderLog
from supervision.selectors import (
    Reminder,
    organizations_needing_attention,
    reminder_people,
    reminders_due,
)

ERROR_ALREADY_REMINDED = _(
    "%(name)s has already received a reminder today. You can send another one tomorrow."
)
ERROR_NOT_ACTIVE = _("This account is deactivated: it receives no e-mail.")
# People per reminder task: a task's work (one transaction per person) stays short, and
# many workers share a large day.
REMINDER_BATCH_SIZE = 200


@dataclass
class ReminderOutcome:
    reminder: Reminder
    result: str  # "queued", "already_sent", "dry_run"


@dataclass
class RemindersReport:
    outcomes: list[ReminderOutcome] = field(default_factory=list)

    def count(self, result: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.result == result)


def _kind(reminder: Reminder) -> str:
    if reminder.own and reminder.organizations:
        return ReminderLog.Kind.BOTH
    return ReminderLog.Kind.LEARNER if reminder.own else ReminderLog.Kind.SUPERVISOR


def reminder_message(*, reminder: Reminder, today: datetime.date) -> Email:
    """The reminder e-mail, in the recipient's language; its key is the person's day."""
    user = reminder.user

    def context():
        return {
            "user": user,
            "own": reminder.own,
            "organizations": [
                {
                    "summary": summary,
                    "url": settings.SITE_URL
                    + reverse(
                        "supervision:dashboard",
                        kwargs={"organization_id": summary.organization.pk},
                    ),
                }
                for summary in reminder.organizations
            ],
            "learning_url": settings.SITE_URL + reverse("courses:my_learning"),
            "within_expiring_days": within_expiring_days(),
        }

    return email_to(
        user, "supervision/email/reminder", context, key=f"reminder:{user.pk}:{today.isoformat()}"
    )


def reminders_send(
    *,
    today: datetime.date | None = None,
    dry_run: bool = False,
    on_outcome=None,
    user_ids: list[int] | None = None,
) -> RemindersReport:
    """Queue today's reminders (see selectors.reminders_due) of the people of `user_ids`
    (every one if None: a page of `reminder_people` is what a task gives), each
    person at most once a day however often this runs, even twice at the same moment:
    the ReminderLog row is inserted in the same transaction as the e-mail is queued, and
    its unique constraint (user, sent_on) stops a second one. Workers send them, and
    retry while the mail server fails (accounts.tasks). `on_outcome(outcome)` is called
    after each person.
    """
    today = today or timezone.localdate()
    report = RemindersReport()
    for reminder in reminders_due(today=today, user_ids=user_ids):
        outcome = _queue_one(reminder, today=today, dry_run=dry_run)
        report.outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return report


@dataclass
class EnqueueReport:
    people: int = 0
    batches: int = 0


def reminder_pages(*, today: datetime.date, size: int = REMINDER_BATCH_SIZE):
    """The ids of the people to remind today, a page of `size` at a time (keyset)."""
    organization_ids = organizations_needing_attention(today=today)
    after = 0
    while page := reminder_people(
        today=today, organization_ids=organization_ids, after=after, limit=size
    ):
        yield page
        after = page[-1]


def reminders_enqueue(
    *, today: datetime.date | None = None, size: int = REMINDER_BATCH_SIZE
) -> EnqueueReport:
    """What the daily command does: enqueue one task (supervision.tasks) per page of
    `size` people to remind today, walking them by keyset, so that no process holds the
    whole list; the tasks queue the e-mails (`reminders_send`), at most one per person a
    day however often either runs."""
    from supervision.tasks import reminders_send_batch  # the task module imports this one

    today = today or timezone.localdate()
    report = EnqueueReport()
    for page in reminder_pages(today=today, size=size):
        task_enqueue(reminders_send_batch, user_ids=page, today=today.isoformat())
        report.people += len(page)
        report.batches += 1
    return report


def _queue_one(reminder: Reminder, *, today, dry_run) -> ReminderOutcome:
    if dry_run:
        already = ReminderLog.objects.filter(user=reminder.user, sent_on=today).exists()
        return ReminderOutcome(reminder, "already_sent" if already else "dry_run")
    message = reminder_message(reminder=reminder, today=today)
    try:
        with transaction.atomic():
            ReminderLog.objects.create(user=reminder.user, sent_on=today, kind=_kind(reminder))
            email_queue(emails=[message])
    except IntegrityError:
        return ReminderOutcome(reminder, "already_sent")
    return ReminderOutcome(reminder, "queued")


def _reminder_now_message(*, assignment: Assignment, today: datetime.date) -> Email:
    """The reminder a supervisor sends now about one course, in the person's language;
    its key is the person's day, like the daily reminder's."""
    user = assignment.learner

    def context():
        return {
            "user": user,
            "organization": assignment.organization.name,
            "course_title": assignment.course.title,
            "due_on": assignment.due_on,
            "overdue": assignment.due_on is not None and assignment.due_on < today,
            "course_url": settings.SITE_URL + assignment.course.get_absolute_url(),
        }

    return email_to(
        user,
        "supervision/email/reminder_now",
        context,
        key=f"reminder:{user.pk}:{today.isoformat()}",
    )


def reminder_send_now(
    *, assignment: Assignment, by: User, today: datetime.date | None = None
) -> None:
    """Queue a reminder about one assigned course now. It is the person's reminder of the
    day: if they already had one (from a supervisor, or the daily reminders), nothing is
    queued and ERROR_ALREADY_REMINDED is raised; the unique constraint of ReminderLog
    (user, sent_on) decides, even for two supervisors clicking at the same moment."""
    today = today or timezone.localdate()
    user = assignment.learner
    if not user.is_active:
        raise ValidationError(ERROR_NOT_ACTIVE, code="inactive")
    message = _reminder_now_message(assignment=assignment, today=today)
    try:
        with transaction.atomic():
            ReminderLog.objects.create(
                user=user,
                sent_on=today,
                kind=ReminderLog.Kind.MANUAL,
                course=assignment.course,
                sent_by=by,
            )
            email_queue(emails=[message])
    except IntegrityError:
        raise ValidationError(
            ERROR_ALREADY_REMINDED, code="already_reminded", params={"name": user.full_name}
        ) from None
