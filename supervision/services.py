"""The daily reminders: at most one e-mail per person per day, in their language."""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from certificates.status import within_expiring_days
from supervision.models import ReminderLog
from supervision.selectors import Reminder, reminders_due

logger = logging.getLogger(__name__)


@dataclass
class ReminderOutcome:
    reminder: Reminder
    result: str  # "sent", "already_sent", "failed", "dry_run"
    error: str = ""


@dataclass
class RemindersReport:
    outcomes: list[ReminderOutcome] = field(default_factory=list)

    def count(self, result: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.result == result)


def _kind(reminder: Reminder) -> str:
    if reminder.own and reminder.organizations:
        return ReminderLog.Kind.BOTH
    return ReminderLog.Kind.LEARNER if reminder.own else ReminderLog.Kind.SUPERVISOR


def reminder_message(*, reminder: Reminder) -> mail.EmailMessage:
    """The reminder e-mail, in the recipient's language."""
    user = reminder.user
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
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
    return mail.EmailMessage(" ".join(subject.split()), body, to=[user.email])


def reminders_send(
    *, today: datetime.date | None = None, dry_run: bool = False, on_outcome=None
) -> RemindersReport:
    """E-mail today's reminders (see selectors.reminders_due), each person at most once a
    day however often this runs, even twice at the same moment: the ReminderLog row is
    inserted first, in the same transaction as the sending, and its unique constraint
    (user, sent_on) stops a second one. If sending fails, the row is rolled back, so a
    later run tries again. `on_outcome(outcome)` is called after each person.
    """
    today = today or timezone.localdate()
    report = RemindersReport()
    with mail.get_connection() as connection:
        for reminder in reminders_due(today=today):
            outcome = _send_one(reminder, today=today, dry_run=dry_run, connection=connection)
            report.outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
    return report


def _send_one(reminder: Reminder, *, today, dry_run, connection) -> ReminderOutcome:
    if dry_run:
        already = ReminderLog.objects.filter(user=reminder.user, sent_on=today).exists()
        return ReminderOutcome(reminder, "already_sent" if already else "dry_run")
    message = reminder_message(reminder=reminder)
    message.connection = connection
    try:
        with transaction.atomic():
            ReminderLog.objects.create(user=reminder.user, sent_on=today, kind=_kind(reminder))
            message.send()
    except IntegrityError:
        return ReminderOutcome(reminder, "already_sent")
    except Exception as exc:  # a mail server error: report it, go on
        logger.exception("Could not send a reminder to %s", reminder.user.email)
        return ReminderOutcome(reminder, "failed", error=str(exc))
    return ReminderOutcome(reminder, "sent")
