"""With SQLite, only write transactions take the write lock: a read does not wait for a
writer. Run in a subprocess on a file database (pytest-django's SQLite test database is in
memory, with one connection), synchronised with events, so the test is about blocking and
not about timings."""

import json
import os
import subprocess
import sys

from django.conf import settings

SCRIPT = """
import json, sys, threading
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

call_command("migrate", verbosity=0)
if sys.argv[1] == "atomic-requests":
    settings.DATABASES["default"]["ATOMIC_REQUESTS"] = True
from accounts.models import User

writer_holds_the_lock, reader_done = threading.Event(), threading.Event()
result = {}

def write():
    try:
        with transaction.atomic():  # BEGIN IMMEDIATE: the write lock, as a service takes it
            User.objects.create_user("writer@example.org", "a-long-password-42", full_name="W")
            writer_holds_the_lock.set()
            result["read_while_writing"] = reader_done.wait(timeout=float(sys.argv[2]))
    finally:
        connection.close()

def read():
    try:
        writer_holds_the_lock.wait(timeout=30)
        result["status"] = Client().get("/en/courses/").status_code
    finally:
        reader_done.set()
        connection.close()

threads = [threading.Thread(target=write), threading.Thread(target=read)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join(timeout=60)
print(json.dumps(result))
"""


def run(tmp_path, mode, wait_seconds):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'repere.sqlite3'}")
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode, str(wait_seconds)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_a_read_is_not_delayed_by_a_write_transaction_held_open(tmp_path):
    result = run(tmp_path, "as-configured", wait_seconds=30)
    assert result == {"status": 200, "read_while_writing": True}


def test_with_atomic_requests_the_same_read_waits_for_the_writer(tmp_path):
    """What the setting used to do, to show the test above can fail."""
    result = run(tmp_path, "atomic-requests", wait_seconds=3)
    assert result == {"status": 200, "read_while_writing": False}
