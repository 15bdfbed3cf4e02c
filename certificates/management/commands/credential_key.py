"""Print a new Ed25519 signing key for credentials, and its public half for rotations."""

from django.core.management.base import BaseCommand

from certificates.credentials import jws, keys


class Command(BaseCommand):
    help = (
        "Print a new signing key for REPERE_CREDENTIAL_SIGNING_KEY (with --env, as a line of "
        "an environment file). Its public key goes on stderr: after a rotation, add it to "
        "REPERE_CREDENTIAL_OLD_PUBLIC_KEYS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--env", action="store_true", help="Print NAME=value.")

    def handle(self, *args, env: bool = False, **options):
        private_text = keys.generate_private_key_text()
        public = keys.raw_public(keys.private_key_from_text(private_text).public_key())
        public_text = jws.b64url(public)
        self.stderr.write(
            f"Public key (for REPERE_CREDENTIAL_OLD_PUBLIC_KEYS later): {public_text}"
        )
        self.stdout.write(f"REPERE_CREDENTIAL_SIGNING_KEY={private_text}" if env else private_text)
