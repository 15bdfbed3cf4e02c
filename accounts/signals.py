from django.conf import settings
from django.core.management import call_command
from django.dispatch import Signal

# Sent inside the transaction that changed a person's name (keyword arguments `user`,
# `before`, `after`): the hook through which the apps above record it (the audit log of
# the organizations app), since accounts imports none of them.
user_renamed = Signal()


def create_cache_table(*, using="default", **kwargs):
    """The default cache lives in the database: make sure its table exists after every migrate."""
    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)
