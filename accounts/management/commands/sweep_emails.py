from django.conf import settings
from django.core.management.base import BaseCommand

from accounts.services import email_sweep


class Command(BaseCommand):
    help = (
        "Enqueue again the e-mails still queued, or waiting to retry, long after they were "
        "due (REPERE_EMAIL_SWEEP_AFTER_MINUTES, 30 by default): a task that was lost, or a "
        "worker that died before sending. Each e-mail still leaves once. Run it from cron, "
        "every few minutes."
    )

    def handle(self, *args, **options):
        count = email_sweep()
        minutes = int(settings.EMAIL_SWEEP_AFTER.total_seconds() // 60)
        self.stdout.write(f"{count} e-mail(s) waiting for more than {minutes} min enqueued again.")
