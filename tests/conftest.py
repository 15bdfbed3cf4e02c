"""Fixtures and settings shared by the whole suite.

- Hypothesis runs with the "dev" profile, or "ci" (derandomized: every run draws the same
  examples, so a failure CI found once it finds again) when CI=true; HYPOTHESIS_PROFILE
  chooses either. Locally, "dev" keeps failing examples in .hypothesis/ and replays them.
- Tests marked `postgres` race threads against each other; SQLite runs one writer at a
  time, so on SQLite they are skipped, and the end of the run says so. `.ci/run` runs the
  suite again on PostgreSQL, where they run.
- `task_worker` switches to the database task backend, as in production, and runs its
  worker (`manage.py db_worker --batch`) when called.
- `smtp_server` is a real SMTP server (aiosmtpd) on 127.0.0.1 that the e-mails go to.
- `run_together` is the one way to start such a race; `org`, `supervisor`,
  `supervisor_client` and `staff` are the organization most tests of organizations and
  supervision need.
"""

import datetime
import os
import signal
import socket
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone, translation
from hypothesis import settings as hypothesis_settings

from tests.factories import AdminFactory, EnrollmentFactory, LessonProgressFactory, UserFactory
from tests.organizations.factories import (
    AssignmentFactory,
    OrganizationFactory,
    staff_of,
    supervisor_of,
)

# Both from Hypothesis' own defaults: in a CI environment it makes its own "ci" profile the
# default, which "dev" must not inherit.
_defaults = hypothesis_settings.get_profile("default")
hypothesis_settings.register_profile("dev", parent=_defaults, print_blob=True)
hypothesis_settings.register_profile(
    "ci", parent=_defaults, derandomize=True, database=None, deadline=None, print_blob=True
)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev")
)

POSTGRES_SKIP_REASON = (
    "needs PostgreSQL: SQLite runs one writer at a time, so threads cannot race "
    "(DATABASE_URL=postgres://… make test PYTEST_ARGS='-m postgres')"
)


def pytest_collection_modifyitems(config, items):
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason=POSTGRES_SKIP_REASON)
    for item in items:
        if item.get_closest_marker("postgres"):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if "postgres" in getattr(report, "keywords", {})
    ]
    if skipped:
        terminalreporter.write_sep("=", "PostgreSQL race tests NOT run", yellow=True, bold=True)
        terminalreporter.write_line(
            f"{len(skipped)} tests marked `postgres` were skipped on {connection.vendor}: "
            "they prove exactly-once grading, issuing and importing under concurrent requests."
        )
        terminalreporter.write_line(
            "Run them with DATABASE_URL=postgres://… make test PYTEST_ARGS='-m postgres' "
            "(.ci/run runs the whole suite on PostgreSQL too)."
        )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Every test hashes passwords with MD5. The real hasher (Django's PBKDF2, a million
    iterations: 0.18 s a hash here) ran for each account a factory made and for each
    sign-in, and was most of the suite's time; what the tests assert does not depend on
    it. `tests/test_settings.py` checks that the site itself keeps the slow hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class RaceResults(list):
    """What each thread of `run_together` returned or raised, in order."""

    @property
    def errors(self) -> list[BaseException]:
        return [result for result in self if isinstance(result, BaseException)]


def _run_together(target, count):
    barrier = threading.Barrier(count)
    results = RaceResults([None] * count)

    def worker(index):
        try:
            barrier.wait(timeout=30)
            results[index] = target(index)
        except Exception as error:  # returned to the test, which inspects it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.fixture
def run_together():
    """`run_together(target, count)` calls `target(0)` … `target(count - 1)` in as many
    threads, released at the same instant by a barrier, and returns what each call
    returned or raised, in order (`.errors`: what was raised). Each thread closes its
    database connections, since Django opens one per thread. Use with
    `django_db(transaction=True)`."""
    return _run_together


@pytest.fixture(autouse=True)
def _media_and_language(settings, tmp_path):
    """Tests never write into the project, e-mail only into mail.outbox, and start in the
    default language."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Tasks run as they are enqueued, so that mail.outbox holds what was sent; the tests
    # of tests/accounts/test_tasks.py run the database backend and its worker instead.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.TASKS_ENQUEUE_ON_COMMIT = False
    translation.activate("fr")
    yield
    translation.deactivate()


@pytest.fixture
def task_worker(settings):
    """The database task backend; `task_worker()` runs every task that is due, as the
    `db_worker` of production does, and returns once none is left. Use it with
    `django_db(transaction=True)`: the worker closes a connection it finds in a
    transaction, as it must between tasks in production."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)

    def run():
        handlers = [signal.getsignal(number) for number in signals]
        try:
            call_command(
                "db_worker",
                "--batch",
                "--no-reload",
                "--no-startup-delay",
                "--interval=0",
                verbosity=0,
                stdout=StringIO(),
            )
        finally:  # the worker installs its own, for a graceful stop
            for number, handler in zip(signals, handlers, strict=True):
                signal.signal(number, handler)

    return run


class SmtpInbox:
    """What the `smtp_server` received; `stop()` and `start()` take it down and back."""

    def __init__(self):
        self.messages = []  # email.message.Message, in order of arrival

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        import email

        self.messages.append(email.message_from_bytes(envelope.original_content))
        return "250 Message accepted"

    def to(self, address):
        return [message for message in self.messages if message["To"] == address]


@pytest.fixture
def smtp_server(settings):
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:  # a free port on the loopback interface
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = SmtpInbox()
    running = []

    def start():  # a stopped controller cannot start again: a new one, on the same port
        controller = Controller(inbox, hostname="127.0.0.1", port=port)
        controller.start()
        running.append(controller)

    def stop():
        running.pop().stop()

    inbox.start, inbox.stop = start, stop
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    start()
    yield inbox
    if running:
        stop()


@pytest.fixture
def learner(db):
    return UserFactory()


@pytest.fixture
def admin_user(db):
    return AdminFactory()


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def org(db):
    return OrganizationFactory(name="Refuge Le Phare")


@pytest.fixture
def supervisor(org):
    return supervisor_of(org, full_name="Sam Superviseur")


@pytest.fixture
def supervisor_client(client, supervisor):
    client.force_login(supervisor)
    return client


@pytest.fixture
def staff(org, course):
    """Five people of `org`: not started, in progress, completed, overdue (on the `course`
    the test module gives), and one without a course. For the dashboard and assigning."""
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    people = {}
    for key, name, due in [
        ("not_started", "Alice Arsenault", None),
        ("in_progress", "Bruno Bélanger", None),
        ("completed", "Chloé Côté", None),
        ("overdue", "Dany Dubé", yesterday),
    ]:
        people[key] = staff_of(org, full_name=name, email=f"{key}@example.org")
        AssignmentFactory(organization=org, learner=people[key], course=course, due_on=due)
    lessons = [lesson for module in course.modules.all() for lesson in module.lessons.all()]
    EnrollmentFactory(learner=people["in_progress"], course=course, last_activity_at=timezone.now())
    LessonProgressFactory(learner=people["in_progress"], lesson=lessons[0])
    EnrollmentFactory(learner=people["completed"], course=course, completed_at=timezone.now())
    people["unassigned"] = staff_of(org, full_name="Eve Émond")
    return people


@pytest.fixture(scope="session")
def oidc_provider():
    """A real OpenID Connect provider on 127.0.0.1 for the whole session (tests/oidc.py)."""
    from tests.oidc import start_provider

    provider, stop = start_provider()
    yield provider
    stop()


@pytest.fixture(scope="session")
def saml_idp():
    """A real SAML 2.0 identity provider on 127.0.0.1 for the whole session (tests/saml.py).
    It signs with the xmlsec1 program: without it the tests skip, except in CI (.ci/run
    installs it), where they fail."""
    from tests.saml import start_identity_provider, xmlsec_binary

    if xmlsec_binary() is None and not os.environ.get("CI"):
        pytest.skip("the SAML tests need the xmlsec1 program (apt-get install xmlsec1)")
    provider, stop = start_identity_provider()
    yield provider
    stop()
