from django.core.management.base import BaseCommand, CommandError

from curriculum.reading import DEFAULT_PATH
from curriculum.report import CurriculumError
from curriculum.services import curriculum_load

# Lines worth reading even without -v 2: something was not done as the file says.
ATTENTION = ("kept", "left", "skipped")


class Command(BaseCommand):
    help = (
        "Create or update a course from its curriculum file (YAML). The whole file is checked "
        "first: a malformed file changes nothing. Edits made in the admin are kept unless "
        "--force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            default=DEFAULT_PATH,
            help=f"The curriculum file (default: {DEFAULT_PATH}).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite what administrators changed in the admin, and publish the course.",
        )

    def handle(self, *args, path, force, verbosity, **options):
        try:
            report = curriculum_load(path=path, force=force)
        except CurriculumError as error:
            raise CommandError(str(error)) from error
        for action, label in report.lines:
            if verbosity >= 2 or (verbosity >= 1 and action in ATTENTION):
                self.stdout.write(f"  {action:<9} {label}")
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{report.source} (version {report.version}): {report.summary()}."
                )
            )
            if report.counts["kept"] and not force:
                self.stdout.write(
                    "Entries marked “kept” were edited in the admin since the last load; "
                    "run with --force to replace them with the file's text."
                )
