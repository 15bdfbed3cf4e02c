from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from certificates.expiring import certificates_announce_expiring
from certificates.status import within_expiring_days
from supervision.overdue import assignments_announce_overdue
from supervision.services import reminder_pages, reminders_enqueue, reminders_send

DESCRIBE = {
    "queued": "queued",
    "already_sent": "already reminded today, skipped",
    "dry_run": "would be sent (dry run)",
}


class Command(BaseCommand):
    @property
    def help(self):
        # The window is the setting's (REPERE_CERTIFICATE_EXPIRING_DAYS), read when shown;
        # in English like the rest of the help (commands run in the site's language).
        with translation.override("en"):
            within_days = str(within_expiring_days())
        return (
            "Queue today's reminders: staff who are overdue, whose course is due soon "
            "(REPERE_REMINDER_DAYS_BEFORE_DUE) or whose certificate expires "
            f"{within_days}, and supervisors a summary of their organizations. It only "
            "enqueues one task per few hundred people; the task workers queue and send the "
            "e-mails and retry failures. At most one e-mail per person per day, however "
            "often it runs. It also announces, once each, the assignments newly overdue "
            "and the certificates newly expiring (to the organizations' webhooks). Run it "
            "once a day from cron."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print who would be e-mailed; send nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        def print_outcome(outcome):
            reminder = outcome.reminder
            parts = []
            if reminder.own:
                parts.append(f"{len(reminder.own)} own course(s)")
            if reminder.organizations:
                names = ", ".join(s.organization.name for s in reminder.organizations)
                parts.append(f"summary of {names}")
            self.stdout.write(
                f"{reminder.user.email}: {DESCRIBE[outcome.result]} ({'; '.join(parts)})"
            )

        if not dry_run:
            overdue = assignments_announce_overdue()
            expiring = certificates_announce_expiring()
            self.stdout.write(
                f"Announced: {overdue} assignment(s) newly overdue, "
                f"{expiring} certificate(s) newly expiring."
            )
            enqueued = reminders_enqueue()
            people = "person" if enqueued.people == 1 else "people"
            tasks = "task" if enqueued.batches == 1 else "tasks"
            self.stdout.write(
                f"Reminders: {enqueued.people} {people} to remind, in {enqueued.batches} "
                f"{tasks} queued for the task workers."
            )
            return
        today = timezone.localdate()
        counts = {"already_sent": 0, "dry_run": 0}
        for page in reminder_pages(today=today):
            report = reminders_send(
                today=today, dry_run=True, on_outcome=print_outcome, user_ids=page
            )
            for result in counts:
                counts[result] += report.count(result)
        self.stdout.write(
            f"Reminders: {counts['dry_run']} to send (dry run), "
            f"{counts['already_sent']} already sent today."
        )
