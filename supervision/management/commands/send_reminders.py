from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from certificates.status import within_expiring_days
from supervision.services import reminders_send

DESCRIBE = {
    "sent": "sent",
    "already_sent": "already reminded today, skipped",
    "failed": "FAILED",
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
            "E-mail today's reminders: staff who are overdue or whose certificate expires "
            f"{within_days}, and supervisors a summary of their "
            "organizations. At most one e-mail per person per day, however often it runs. "
            "Run it once a day from cron."
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
            line = f"{reminder.user.email}: {DESCRIBE[outcome.result]} ({'; '.join(parts)})"
            if outcome.error:
                line += f": {outcome.error}"
            style = self.style.ERROR if outcome.result == "failed" else (lambda text: text)
            self.stdout.write(style(line))

        report = reminders_send(dry_run=dry_run, on_outcome=print_outcome)
        self.stdout.write(
            f"Reminders: {report.count('sent')} sent, "
            f"{report.count('already_sent')} already sent today, "
            f"{report.count('failed')} failed"
            + (f", {report.count('dry_run')} to send (dry run)" if dry_run else "")
            + "."
        )
        if report.count("failed"):
            raise CommandError("Some reminders could not be sent; the next run will retry them.")
