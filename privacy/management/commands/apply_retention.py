from django.core.management.base import BaseCommand

from privacy.retention import BATCH_SIZE, KINDS, retention_apply


class Command(BaseCommand):
    help = (
        "Delete what is past its retention period (the REPERE_RETENTION_* settings): audit "
        "events, e-mail and reminder logs, unanswered invitations, abandoned quiz attempts "
        "and accounts never signed in to, in batches. Prints the count of each kind. Run "
        "it once a day from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, batch_size=BATCH_SIZE, **options):
        counts = retention_apply(batch_size=batch_size)
        for kind in KINDS:
            self.stdout.write(f"{kind.key}: {counts[kind.key]} deleted")
