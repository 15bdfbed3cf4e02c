"""The daily reminders: at most one e-mail per person per day, in their language."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.services import Email, email_queue
from certificates.status import within_expiring_days
from supervision.models import ReminderLog
from supervision.selectors import Reminder, reminders_due


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
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
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
        subject = render_to_string("supervision/email/reminder_subject.txt", context)
        body = render_to_string("supervision/email/reminder.txt", context)
    return Email(
        recipient=user.email,
        subject=" ".join(subject.split()),
        body=body,
        user=user,
        language=language,
        key=f"reminder:{user.pk}:{today.isoformat()}",
    )


def reminders_send(
    *, today: datetime.date | None = None, dry_run: bool = False, on_outcome=None
) -> RemindersReport:
    """Queue today's reminders (see selectors.reminders_due), one task per person, each
    person at most once a day however often this runs, even twice at the same moment:
    the ReminderLog row is inserted in the same transaction as the e-mail is queued, and
    its unique constraint (user, sent_on) stops a second one. Workers send them, and
    retry while the mail server fails (accounts.tasks). `on_outcome(outcome)` is called
    after each person.
    """
    today = today or timezone.localdate()
    report = RemindersReport()
    for reminder in reminders_due(today=today):
        outcome = _queue_one(reminder, today=today, dry_run=dry_run)
        report.outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
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
