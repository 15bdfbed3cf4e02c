"""Compare the dashboard's maintained summary with the live query; --repair rebuilds it."""

import sys

from django.core.management.base import BaseCommand

from supervision import summary


class Command(BaseCommand):
    help = (
        "Compare every assignment's summary with the live query (exit status 1 if any "
        "differs); with --repair, recompute every row first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Recompute every row first.")

    def handle(self, *args, repair=False, **options):
        if repair:
            summary.summary_rebuild()
        mismatches = summary.summary_mismatches()
        for found in mismatches[:100]:
            self.stderr.write(
                "assignment {assignment}: {field}: summary {summary!r}, live {live!r}".format(
                    **found
                )
            )
        if mismatches:
            self.stderr.write(f"{len(mismatches)} difference(s).")
            sys.exit(1)
        self.stdout.write("The summary agrees with the live query.")
