from django.core.management.base import BaseCommand

from lti import services


class Command(BaseCommand):
    help = (
        "Create a new LTI signing key. The one it replaces stays in the JWKS for "
        "REPERE_LTI_KEY_GRACE_DAYS days; keys replaced longer ago are retired."
    )

    def handle(self, *args, **options):
        key, retired = services.key_rotate()
        self.stdout.write(f"New key {key}; {retired} retired.")
