from django.conf import settings
from django.core.management import call_command


def create_cache_table(*, using="default", **kwargs):
    """The default cache lives in the database: make sure its table exists after every migrate."""
    if any(c["BACKEND"].endswith("DatabaseCache") for c in settings.CACHES.values()):
        call_command("createcachetable", database=using, verbosity=0)
