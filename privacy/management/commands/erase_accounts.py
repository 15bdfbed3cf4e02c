from django.core.management.base import BaseCommand

from privacy.erasure import accounts_erase_due


class Command(BaseCommand):
    help = (
        "Erase the accounts whose closing was asked for and whose grace period "
        "(REPERE_ERASURE_GRACE_DAYS) has passed, one transaction each. Running it again "
        "erases nothing twice. Run it once a day from cron."
    )

    def handle(self, *args, **options):
        erased = accounts_erase_due()
        self.stdout.write(f"{erased} account(s) erased.")
