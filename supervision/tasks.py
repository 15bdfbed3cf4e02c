"""Background tasks of the supervision app."""

import datetime

from django_tasks import task

from supervision.services import reminders_send


@task()
def reminders_send_batch(*, user_ids: list[int], today: str) -> dict[str, int]:
    """Queue the reminders of one page of people for `today` (the day the command ran,
    even if this runs after midnight). Run twice, it queues nothing more: ReminderLog's
    unique (person, day) stops a second e-mail. Returns the counts by outcome."""
    report = reminders_send(today=datetime.date.fromisoformat(today), user_ids=user_ids)
    return {"queued": report.count("queued"), "already_sent": report.count("already_sent")}
