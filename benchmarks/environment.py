"""What `make bench` and `make load` share: a throw-away database, production-like settings,
the real course and learners. Never the development database.

Call `production_like_environment(database_url)` before `django.setup()`: settings are read
once per process, from the environment.
"""

import os
import secrets
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
COURSE_SLUG = "frontline-awareness"
PASSWORD = "load-test-password-7351"  # every simulated learner's (the database is dropped after)

if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))


def production_like_environment(database_url: str, *, hosts: str = "127.0.0.1") -> dict:
    """The environment of a production server (DEBUG off, cached templates, secure cookies)
    minus what needs HTTPS and collectstatic. Applied to os.environ and returned."""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": hosts,
        # A throw-away Ed25519 key: production refuses to start without one.
        "REPERE_CREDENTIAL_SIGNING_KEY": secrets.token_urlsafe(32),
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "REPERE_STATIC_MANIFEST": "0",
        "DATABASE_URL": database_url,
        "DJANGO_LOG_LEVEL": "WARNING",
        # No e-mail leaves a benchmark: the console backend is accepted on purpose.
        "REPERE_EMAIL_CONSOLE_OK": "1",
    }
    os.environ.update(env)
    # WhiteNoise warns that STATIC_ROOT is empty: static files are not what is measured.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    return env


def postgres_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", connect_timeout=3):
            return True
    except Exception:  # any failure means "use SQLite"
        return False


@contextmanager
def throwaway_postgres(name: str):
    """A fresh PostgreSQL database `name`, dropped afterwards whatever happens."""
    import psycopg

    def admin(sql):
        with psycopg.connect(f"{POSTGRES_ADMIN_URL}/postgres", autocommit=True) as connection:
            connection.execute(sql)

    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    try:
        yield f"{POSTGRES_ADMIN_URL}/{name}"
    finally:
        from django.db import connections

        connections.close_all()
        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def throwaway_sqlite(folder: Path):
    path = folder / "bench.sqlite3"
    try:
        yield f"sqlite:///{path}"
    finally:
        from django.db import connections

        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def describe(database_url: str) -> str:
    parts = urlsplit(database_url)
    if parts.scheme.startswith("sqlite"):
        return "SQLite (temporary file)"
    return "PostgreSQL " + urlunsplit(("", parts.hostname or "", parts.path, "", "")).lstrip("/")


def prepare_database(*, learners: int = 0) -> dict:
    """Migrate, load the real course (published), create `learners` learners sharing one
    password hash (hashing it 50 times would only slow the setup). Django must be set up."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command, get_commands

    from accounts.models import User
    from courses.models import Course
    from courses.services import course_set_published

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    if "load_curriculum" in get_commands():
        call_command("load_curriculum", verbosity=0)
        course = Course.objects.get(slug=COURSE_SLUG)
    else:  # before the curriculum loader existed
        course = _build_course()
    if not course.is_published:
        course_set_published(course=course, published=True)
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(email=f"learner{i:03d}@example.org", full_name=f"Learner {i:03d}", password=password)
        for i in range(learners)
    )
    return {"course": course, "learners": users}


def _build_course():
    from courses.models import Course, Lesson, Module

    course = Course.objects.create(slug=COURSE_SLUG, title_fr="Cours", title_en="Course")
    for m in range(4):
        module = Module.objects.create(course=course, position=m, title_fr=f"Module {m}")
        for i in range(3):
            Lesson.objects.create(
                module=module, position=i, title_fr=f"Leçon {m}.{i}", body_fr="Texte. " * 200
            )
    return course
