import secrets

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from supervision.demo import seed_demo_organization

DEMO_ACCOUNTS = [
    # (e-mail, full name, administrator?)
    ("admin@example.org", "Alex Administrateur", True),
    ("learner@example.org", "Camille Tremblay", False),
]


class Command(BaseCommand):
    help = "Create the demo accounts (once) and print their random passwords."

    @transaction.atomic
    def handle(self, *args, **options):
        created = []
        for email, full_name, is_admin in DEMO_ACCOUNTS:
            if User.objects.filter(email=email).exists():
                self.stdout.write(f"  {email}: already exists (password unchanged)")
                continue
            password = secrets.token_urlsafe(12)
            if is_admin:
                User.objects.create_superuser(email, password, full_name=full_name)
            else:
                User.objects.create_user(email, password, full_name=full_name)
            created.append((email, password))
        created += seed_demo_organization(write=self.stdout.write)
        if created:
            self.stdout.write(self.style.WARNING("Demo accounts — these passwords are shown once:"))
            for email, password in created:
                self.stdout.write(f"  {email}  {password}")
