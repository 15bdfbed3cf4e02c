"""`make load`: learners and supervisors against two app servers, a task worker and a
mail server that goes down, on PostgreSQL and Redis.

    .venv/bin/python benchmarks/load.py   # LOAD_SECONDS=60 LOAD_LEARNERS=50 LOAD_SUPERVISORS=5

1. creates a fresh PostgreSQL database (repere_load), migrates, loads the real course and
   creates the learners, an organization and its supervisors;
2. starts, on 127.0.0.1 (benchmarks/load_services.py): two gunicorn servers on two ports
   (LOAD_WORKERS workers each, default 2: sync, or gthread with LOAD_THREADS threads each
   when LOAD_THREADS > 1), one task worker (`manage.py db_worker`)
   and an SMTP server (aiosmtpd) that counts what each address receives; the servers and
   the worker share PostgreSQL and, when it answers at 127.0.0.1:6379, Redis as the cache
   (rate limits): nothing that one server needs is in another's memory;
3. each simulated learner (a thread with its own httpx client, on one server or the other
   by turns) logs in, enrolls, then reads the lessons in order and marks each done, takes
   each module's quiz it has not passed (answers at random, so that some fail and retake
   it), looks at its progress, and starts again, until the time is up. No think time: this
   measures capacity, not a typical day. Each simulated supervisor adds a new person to the
   organization every second (an invitation e-mail, sent by the worker);
4. halfway through, the mail server stops for 10 seconds, then starts again: the e-mails
   that failed meanwhile are retried by the worker;
5. then the same number of threads request a bare Django view (benchmarks/urls.py, same
   middleware, signed in) for a third of the time: the baseline of the same run;
6. waits for the worker to send what is queued (up to LOAD_DRAIN_SECONDS, default 150:
   the first retry comes a minute after the failure), then checks that every write
   acknowledged to a client (lesson done → 302, quiz submitted → 302, person added → 302)
   is in the database and that every invitation was received exactly once; writes the
   figures to docs/performance.md;
7. stops everything and drops the database. Exits 1 if there was any error, missing write,
   or an invitation lost or received twice.

Session cookies are `Secure` in production, so an HTTP client would not send them back over
plain HTTP: each simulated visitor keeps its cookies itself (`Visitor`), as a browser would
over HTTPS. Nothing but 127.0.0.1 is contacted.

To add an action: write a function `(visitor, world) -> None` that makes its requests with
`visitor.request(...)` and records acknowledged writes with `world.acknowledge(...)`, add it
to `SCENARIO`, and teach `missing_writes` to find those writes in the database.
"""

import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import environment, report
from benchmarks.load_services import (
    HOST,
    THREADS,
    WORKERS,
    MailSink,
    free_port,
    start_gunicorn,
    start_worker,
    stop,
    wait_until_ready,
)

SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
LEARNERS = int(os.environ.get("LOAD_LEARNERS", "50"))
SUPERVISORS = int(os.environ.get("LOAD_SUPERVISORS", "5"))
DRAIN_SECONDS = float(os.environ.get("LOAD_DRAIN_SECONDS", "150"))
DATABASE = os.environ.get("LOAD_DATABASE", "repere_load")
SERVERS = 2
MAX_ROUNDS = 1_000  # a bound on each visitor's loop, whatever the clock says
OUTAGE_SECONDS = 10  # how long the mail server is down, halfway through


@dataclass
class Sample:
    action: str
    status: int | None
    ms: float
    ok: bool
    error: str = ""


@dataclass
class World:
    """What the simulated learners share: the course, and what the server acknowledged."""

    base_url: str
    course_slug: str
    lesson_ids: list[int]
    deadline: float
    quiz_module_ids: list[int] = field(default_factory=list)
    organization_id: int | None = None
    samples: list[Sample] = field(default_factory=list)
    acknowledged: dict[str, set] = field(default_factory=lambda: defaultdict(set))
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def acknowledge(self, kind: str, item) -> None:
        with self.lock:
            self.acknowledged[kind].add(item)


class Visitor:
    """One learner's browser: its own connection, its own cookies (kept by hand, see above)."""

    def __init__(self, world: World, email: str, language: str, base_url: str | None = None):
        import httpx

        self.world, self.email, self.language = world, email, language
        self.base_url = base_url or world.base_url
        self.http = httpx.Client(base_url=self.base_url, follow_redirects=False, timeout=30)
        self.cookies: dict[str, str] = {}
        self.passed: set[int] = set()  # modules whose quiz this learner has passed

    def request(self, action, method, path, *, data=None, expect=(200,)):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = self.base_url  # as a browser sends with a form
            data = {**(data or {}), "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        start = time.perf_counter()
        try:
            response = self.http.request(method, path, data=data, headers=headers)
        except Exception as error:  # timeouts, resets: all are errors
            ms = (time.perf_counter() - start) * 1000
            self.world.record(Sample(action, None, ms, False, repr(error)))
            return None
        ms = (time.perf_counter() - start) * 1000
        self._keep_cookies(response)
        ok = response.status_code in expect
        error = "" if ok else f"{method} {path}: {response.status_code}"
        self.world.record(Sample(action, response.status_code, ms, ok, error))
        return response if ok else None

    def _keep_cookies(self, response):
        for header in response.headers.get_list("set-cookie"):
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        self.http.cookies.clear()  # httpx's own jar would not send Secure cookies anyway

    def close(self):
        self.http.close()


# --- the learner's actions -------------------------------------------------------------


def log_in(visitor: Visitor, world: World) -> bool:
    path = f"/{visitor.language}/accounts/login/"
    if visitor.request("login page", "GET", path) is None:
        return False
    response = visitor.request(
        "log in",
        "POST",
        path,
        data={"username": visitor.email, "password": environment.PASSWORD},
        expect=(302,),
    )
    return response is not None and "/login/" not in response.headers["location"]


def enroll(visitor: Visitor, world: World) -> bool:
    path = f"/{visitor.language}/courses/{world.course_slug}/enroll/"
    return visitor.request("enroll", "POST", path, expect=(302,)) is not None


def read_lessons(visitor: Visitor, world: World) -> None:
    """Each lesson in order: the page, then "Mark as done" (an acknowledged write)."""
    for lesson_id in world.lesson_ids:
        if time.monotonic() >= world.deadline:
            return
        path = f"/{visitor.language}/courses/{world.course_slug}/lessons/{lesson_id}/"
        if visitor.request("lesson page", "GET", path) is None:
            continue
        if visitor.request("mark as done", "POST", path + "done/", expect=(302,)) is not None:
            world.acknowledge("lesson done", (visitor.email, lesson_id))


ANSWER = re.compile(r'<input type="(?:radio|checkbox)" name="(question_\d+)" value="(\d+)"')


def take_quizzes(visitor: Visitor, world: World) -> None:
    """Each module's quiz not passed yet: start an attempt, answer at random (so some pass,
    some fail and are retaken), submit (an acknowledged write), read the result."""
    for module_id in world.quiz_module_ids:
        if time.monotonic() >= world.deadline:
            return
        if module_id in visitor.passed:
            continue
        quiz = f"/{visitor.language}/courses/{world.course_slug}/modules/{module_id}/quiz/"
        if visitor.request("quiz page", "GET", quiz) is None:
            continue
        started = visitor.request("start quiz", "POST", quiz + "start/", expect=(302,))
        if started is None:
            continue
        attempt = started.headers["location"]
        if "/quizzes/attempts/" not in attempt:  # passed already: back to the quiz page
            visitor.passed.add(module_id)
            continue
        page = visitor.request("quiz questions", "GET", attempt)
        if page is None:
            continue
        choices = defaultdict(list)
        for name, value in ANSWER.findall(page.text):
            choices[name].append(value)
        answers = {name: random.choice(values) for name, values in choices.items()}
        submitted = visitor.request(
            "submit quiz", "POST", attempt + "submit/", data=answers, expect=(302,)
        )
        if submitted is None:
            continue
        attempt_id = int(attempt.rstrip("/").rsplit("/", 1)[1])
        world.acknowledge("quiz submitted", (visitor.email, attempt_id))
        result = visitor.request("quiz result", "GET", submitted.headers["location"])
        if result is not None and 'class="notice notice--success"' in result.text:
            visitor.passed.add(module_id)


def look_at_progress(visitor: Visitor, world: World) -> None:
    visitor.request("course page", "GET", f"/{visitor.language}/courses/{world.course_slug}/")
    visitor.request("my learning", "GET", f"/{visitor.language}/learning/")


# Repeated until the time is up, after logging in and enrolling once.
SCENARIO = [read_lessons, take_quizzes, look_at_progress]
SUPERVISOR_PAUSE = 1.0  # seconds between two additions by one supervisor


def supervise(world: World, email: str, language: str, base_url: str) -> None:
    """A supervisor adding new people one after the other: each addition acknowledged
    (302) is an invitation e-mail that the mail server must receive once."""
    visitor = Visitor(world, email, language, base_url)
    add = f"/{language}/organizations/{world.organization_id}/staff/add/"
    try:
        if not log_in(visitor, world):
            return
        for number in range(MAX_ROUNDS):
            if time.monotonic() >= world.deadline:
                return
            if visitor.request("add person page", "GET", add) is not None:
                invitee = f"invitee-{email.split('@')[0]}-{number}@example.org"
                data = {
                    "full_name": f"Invitee {number}",
                    "email": invitee,
                    "role": "staff",
                    "language": language,
                }
                if visitor.request("add person", "POST", add, data=data, expect=(302,)):
                    world.acknowledge("person added", invitee)
            time.sleep(SUPERVISOR_PAUSE)
    finally:
        visitor.close()


def request_bare_view(world: World, email: str, base_url: str) -> None:
    """The baseline under the same load: a signed-in visitor asking for the bare view."""
    visitor = Visitor(world, email, "fr", base_url)
    try:
        if not log_in(visitor, world):
            return
        for _request in range(MAX_ROUNDS * 10):
            if time.monotonic() >= world.deadline:
                return
            visitor.request("bare view", "GET", "/bench/bare/")
    finally:
        visitor.close()


def simulate(world: World, email: str, language: str, base_url: str | None = None) -> None:
    visitor = Visitor(world, email, language, base_url)
    try:
        if not (log_in(visitor, world) and enroll(visitor, world)):
            return
        for _round in range(MAX_ROUNDS):
            for action in SCENARIO:
                if time.monotonic() >= world.deadline:
                    return
                action(visitor, world)
    finally:
        visitor.close()


# --- results ---------------------------------------------------------------------------


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summarise(samples: list[Sample], seconds: float) -> tuple[list[str], list[list[str]]]:
    by_action = defaultdict(list)
    for sample in samples:
        by_action[sample.action].append(sample)
    headers = ["action", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms"]
    rows = []
    for action, group in [*by_action.items(), ("all", samples)]:
        times = [s.ms for s in group]
        rows.append(
            [
                action,
                str(len(group)),
                str(sum(not s.ok for s in group)),
                f"{len(group) / seconds:.1f}",
                f"{statistics.median(times):.0f}",
                f"{percentile(times, 0.95):.0f}",
                f"{percentile(times, 0.99):.0f}",
                f"{max(times):.0f}",
            ]
        )
    return headers, rows


def missing_writes(world: World) -> dict[str, int]:
    """How many acknowledged writes the database does not have, by kind."""
    from courses.models import LessonProgress
    from organizations.models import Membership
    from quizzes.models import Attempt

    stored = set(
        LessonProgress.objects.filter(lesson_id__in=world.lesson_ids).values_list(
            "learner__email", "lesson_id"
        )
    )
    graded = set(
        Attempt.objects.filter(submitted_at__isnull=False, score__isnull=False).values_list(
            "learner__email", "pk"
        )
    )
    members = set(
        Membership.objects.filter(organization_id=world.organization_id).values_list(
            "user__email", flat=True
        )
    )
    return {
        "lesson done": len(world.acknowledged["lesson done"] - stored),
        "quiz submitted": len(world.acknowledged["quiz submitted"] - graded),
        "person added": len(world.acknowledged["person added"] - members),
    }


def invitation_check(world: World, sink: MailSink) -> dict[str, int]:
    """Each person added must have received exactly one e-mail."""
    added = world.acknowledged["person added"]
    return {
        "invitations received": sum(1 for email in added if sink.received[email] >= 1),
        "lost": sum(1 for email in added if sink.received[email] == 0),
        "received more than once": sum(1 for email in added if sink.received[email] > 1),
    }


def wait_for_emails(seconds: float) -> dict[str, int]:
    """Wait until the worker has sent (or given up on) every queued e-mail; their count by
    status at the end."""
    from django.db import connections
    from django.db.models import Count

    from accounts.models import OutgoingEmail

    done = {OutgoingEmail.Status.SENT, OutgoingEmail.Status.FAILED}
    deadline = time.monotonic() + seconds
    while True:
        counts = dict(
            OutgoingEmail.objects.values_list("status").annotate(n=Count("pk")).order_by()
        )
        connections.close_all()
        if set(counts) <= done or time.monotonic() >= deadline:
            return counts
        time.sleep(1)


def quiz_modules(course) -> list[int]:
    """The modules of the course that have a quiz, in order."""
    from quizzes.models import Quiz

    return list(
        Quiz.objects.filter(module__course=course)
        .order_by("module__position", "module_id")
        .values_list("module_id", flat=True)
    )


def organization_with_supervisors(count: int):
    """An organization and `count` supervisors sharing the load-test password."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from organizations.models import Membership, Organization

    organization = Organization.objects.create(name="Load", kind="shelter", province="QC")
    password = make_password(environment.PASSWORD)
    supervisors = User.objects.bulk_create(
        User(email=f"supervisor{i:02d}@example.org", full_name=f"Sup {i:02d}", password=password)
        for i in range(count)
    )
    Membership.objects.bulk_create(
        Membership(organization=organization, user=user, role=Membership.Role.SUPERVISOR)
        for user in supervisors
    )
    return organization, [user.email for user in supervisors]


def _workers() -> str:
    if THREADS > 1:
        return f"{WORKERS} gthread workers of {THREADS} threads"
    return f"{WORKERS} sync workers"


def redis_cache_url() -> str | None:
    """Redis at 127.0.0.1:6379 (database LOAD_REDIS_DB, 7 by default, emptied first), if
    it answers."""
    number = int(os.environ.get("LOAD_REDIS_DB", "7"))
    try:
        import redis

        client = redis.Redis(host=HOST, port=6379, db=number, socket_connect_timeout=2)
        client.flushdb()
        return f"redis://{HOST}:6379/{number}"
    except Exception:  # no Redis: the database cache, as in the embedded default
        return None


def run_threads(threads: list[threading.Thread], seconds: float) -> float:
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return time.monotonic() - started


def main() -> int:
    if not environment.postgres_available():
        print(f"PostgreSQL is not reachable at {environment.POSTGRES_ADMIN_URL}.")
        return 2
    sink = MailSink()
    sink.start()
    with environment.throwaway_postgres(DATABASE) as database_url:
        environment.production_like_environment(database_url, hosts=HOST)
        # As .env.example recommends; without it each request opens a new connection, which
        # halves the throughput here. LOAD_CONN_MAX_AGE=0 measures that case.
        os.environ["DJANGO_CONN_MAX_AGE"] = os.environ.get("LOAD_CONN_MAX_AGE", "60")
        os.environ["EMAIL_URL"] = sink.url
        os.environ["REPERE_ROOT_URLCONF"] = "benchmarks.urls"  # the site plus the bare view
        cache_url = redis_cache_url()
        if cache_url:
            os.environ["CACHE_URL"] = cache_url
        import django

        django.setup()
        from django.db import connections

        prepared = environment.prepare_database(learners=LEARNERS)
        course = prepared["course"]
        lesson_ids = list(
            course.modules.order_by("position", "pk")
            .values_list("lessons__pk", flat=True)
            .order_by("position", "pk", "lessons__position", "lessons__pk")
        )
        emails = [user.email for user in prepared["learners"]]
        organization, supervisors = organization_with_supervisors(SUPERVISORS)
        quiz_module_ids = quiz_modules(course)
        connections.close_all()

        folder = Path(tempfile.mkdtemp(prefix="repere-load-"))
        base_urls = [f"http://{HOST}:{free_port()}" for _ in range(SERVERS)]
        servers = [
            start_gunicorn(int(url.rsplit(":", 1)[1]), folder / f"gunicorn-{i}.log")
            for i, url in enumerate(base_urls)
        ]
        worker = start_worker(folder / "worker.log")
        try:
            for i, (url, server) in enumerate(zip(base_urls, servers, strict=True)):
                wait_until_ready(url, server, folder / f"gunicorn-{i}.log")
            print(
                f"Load: {LEARNERS} learners and {SUPERVISORS} supervisors for {SECONDS:.0f} s "
                f"against {SERVERS} gunicorn servers ({WORKERS} workers each) on "
                f"{', '.join(base_urls)}, one task worker, PostgreSQL, "
                f"{'Redis' if cache_url else 'the database'} as the cache, mail at {sink.url}."
            )
            world = World(
                base_urls[0],
                course.slug,
                lesson_ids,
                deadline=time.monotonic() + SECONDS,
                quiz_module_ids=quiz_module_ids,
                organization_id=organization.pk,
            )
            threads = [
                threading.Thread(
                    target=simulate,
                    args=(world, email, ("fr", "en")[i % 2], base_urls[i % SERVERS]),
                )
                for i, email in enumerate(emails)
            ] + [
                threading.Thread(
                    target=supervise,
                    args=(world, email, ("fr", "en")[i % 2], base_urls[(i + 1) % SERVERS]),
                )
                for i, email in enumerate(supervisors)
            ]
            sink.outage(after=SECONDS / 2, seconds=OUTAGE_SECONDS, deadline=world.deadline)
            elapsed = run_threads(threads, SECONDS)

            bare_seconds = max(5.0, SECONDS / 3)
            bare_world = World(base_urls[0], course.slug, [], deadline=float("inf"))
            barrier = threading.Barrier(
                len(emails),
                action=lambda: setattr(bare_world, "deadline", time.monotonic() + bare_seconds),
            )
            bare_threads = [
                threading.Thread(
                    target=_bare_after_login,
                    args=(bare_world, barrier, email, base_urls[i % SERVERS]),
                )
                for i, email in enumerate(emails)
            ]
            run_threads(bare_threads, bare_seconds + 60)
            emails_by_status = wait_for_emails(DRAIN_SECONDS)
        finally:
            for process in [*servers, worker]:
                stop(process)
            sink.stop()

        missing = missing_writes(world)
        invitations = invitation_check(world, sink)
        connections.close_all()
    return _report(world, bare_world, elapsed, bare_seconds, missing, invitations,
                   emails_by_status, bool(cache_url))  # fmt: skip


def _bare_after_login(world: World, barrier: threading.Barrier, email: str, base_url: str):
    """Log in, wait for every other visitor to have logged in, then ask for the bare view
    until the deadline the barrier set."""
    visitor = Visitor(world, email, "fr", base_url)
    try:
        logged_in = log_in(visitor, world)
        barrier.wait(timeout=120)
        if not logged_in:
            return
        while time.monotonic() < world.deadline:
            visitor.request("bare view", "GET", "/bench/bare/")
    except threading.BrokenBarrierError:
        return
    finally:
        visitor.close()


AFTER_LOGIN = {"login page", "log in"}


def _report(world, bare_world, elapsed, bare_seconds, missing, invitations, emails, redis):
    headers, rows = summarise(world.samples, elapsed)
    after_login = [s for s in world.samples if s.action not in AFTER_LOGIN]
    bare = [s for s in bare_world.samples if s.action == "bare view"]
    app_rate = len(after_login) / elapsed if elapsed else 0.0
    bare_rate = len(bare) / bare_seconds if bare else 0.0
    ratio = app_rate / bare_rate if bare_rate else 0.0
    p99 = percentile([s.ms for s in after_login], 0.99) if after_login else 0.0
    bare_p99 = percentile([s.ms for s in bare], 0.99) if bare else 0.0
    errors = sum(not s.ok for s in [*world.samples, *bare_world.samples])
    acknowledged = {kind: len(items) for kind, items in world.acknowledged.items()}
    print(report.text_table(headers, rows))
    summary = (
        f"After login: {app_rate:.1f} req/s, p99 {p99:.0f} ms; bare view under the same "
        f"load: {bare_rate:.1f} req/s, p99 {bare_p99:.0f} ms; ratio ×{ratio:.2f}."
    )
    print(f"\n{summary}")
    print(f"Acknowledged writes: {acknowledged}; missing from the database: {missing}")
    print(f"Invitations: {invitations}; e-mails by status at the end: {emails}")
    for sample in [s for s in [*world.samples, *bare_world.samples] if not s.ok][:10]:
        print(f"  error: {sample.action}: {sample.error}")
    conn_max_age = os.environ["DJANGO_CONN_MAX_AGE"]
    report.replace_section(
        "load",
        f"""## Load (`make load`)

{LEARNERS} simulated learners, no think time, for {elapsed:.0f} s: log in, enroll, read each
lesson and mark it done, take the quizzes not passed yet (random answers), look at the
progress, again; beside them {SUPERVISORS} supervisors each add a new person every second
(an invitation e-mail). {SERVERS} gunicorn servers with {_workers()} each, on two
ports, the learners spread over both; one task worker (`manage.py db_worker`); PostgreSQL;
{"Redis" if redis else "the database"} as the cache; production settings (DEBUG off,
DJANGO_CONN_MAX_AGE={conn_max_age}); a local SMTP server (aiosmtpd), stopped for
{OUTAGE_SECONDS} s halfway through. On {report.machine()}; the visitors run on the same
machine. Logging in hashes the password (PBKDF2, Django's default cost): fifty people
logging in at the same second queue there, so the figures below that compare with the
baseline leave the logins out.

{report.markdown_table(headers, rows)}

{summary} (The baseline: as many signed-in visitors asking for a bare Django view, same
servers and middleware, for {bare_seconds:.0f} s right after.)

Acknowledged writes: {", ".join(f"{n} {kind}" for kind, n in acknowledged.items()) or "none"};
missing from the database: {sum(missing.values())}. Invitations: {invitations["lost"]} lost,
{invitations["received more than once"]} received more than once, of
{acknowledged.get("person added", 0)}. E-mails by status at the end: {emails}. Errors: {errors}.
""",
    )
    bad_invitations = invitations["lost"] or invitations["received more than once"]
    return 1 if errors or any(missing.values()) or bad_invitations or not world.samples else 0


if __name__ == "__main__":
    sys.exit(main())
