"""`make load`: 50 simulated learners against gunicorn (4 workers) on PostgreSQL.

    .venv/bin/python benchmarks/load.py        # LOAD_SECONDS=60 LOAD_LEARNERS=50 by default

1. creates a fresh PostgreSQL database (repere_load), migrates, loads the real course and
   creates the learners;
2. starts `gunicorn config.wsgi` with 4 workers on 127.0.0.1 and a free port, with
   production settings (DEBUG off, secure cookies) minus the HTTPS redirect;
3. each simulated learner (a thread with its own httpx client) logs in, enrolls, then reads
   the lessons in order and marks each done, takes each module's quiz it has not passed
   (answers at random, so that some fail and retake it), looks at its progress, and starts
   again, until the time is up. No think time: this measures capacity, not a typical day;
4. reports requests per second, p50/p95/p99 latency and errors per action, checks that every
   write acknowledged to a client (lesson done → 302, quiz submitted → 302) is in the
   database, and writes the figures to docs/performance.md;
5. stops gunicorn and drops the database. Exits 1 if there was any error or missing write.

Session cookies are `Secure` in production, so an HTTP client would not send them back over
plain HTTP: each simulated learner keeps its cookies itself (`Visitor`), as a browser would
over HTTPS. Nothing but 127.0.0.1 is contacted.

To add an action: write a function `(visitor, world) -> None` that makes its requests with
`visitor.request(...)` and records acknowledged writes with `world.acknowledge(...)`, add it
to `SCENARIO`, and teach `missing_writes` to find those writes in the database.
"""

import os
import random
import re
import signal
import socket
import statistics
import subprocess
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

SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
LEARNERS = int(os.environ.get("LOAD_LEARNERS", "50"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "4"))
DATABASE = os.environ.get("LOAD_DATABASE", "repere_load")
HOST = "127.0.0.1"
MAX_ROUNDS = 1_000  # a bound on each learner's loop, whatever the clock says


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

    def __init__(self, world: World, email: str, language: str):
        import httpx

        self.world, self.email, self.language = world, email, language
        self.http = httpx.Client(base_url=world.base_url, follow_redirects=False, timeout=30)
        self.cookies: dict[str, str] = {}
        self.passed: set[int] = set()  # modules whose quiz this learner has passed

    def request(self, action, method, path, *, data=None, expect=(200,)):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = self.world.base_url  # as a browser sends with a form
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
    return response is not None and "/learning/" in response.headers["location"]


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


def simulate(world: World, email: str, language: str) -> None:
    visitor = Visitor(world, email, language)
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


# --- the server ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, log: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [
        str(gunicorn),
        "config.wsgi",
        "--workers",
        str(WORKERS),
        "--bind",
        f"{HOST}:{port}",
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
    ]
    with log.open("w") as output:
        return subprocess.Popen(
            command,
            cwd=environment.BASE_DIR,
            env=dict(os.environ),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_until_ready(base_url: str, server: subprocess.Popen, log: Path) -> None:
    import httpx

    for _ in range(150):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base_url}/fr/accounts/login/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within 30 s:\n{log.read_text()[-3000:]}")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


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

    stored = set(
        LessonProgress.objects.filter(lesson_id__in=world.lesson_ids).values_list(
            "learner__email", "lesson_id"
        )
    )
    missing = {"lesson done": len(world.acknowledged["lesson done"] - stored)}
    if world.quiz_module_ids:
        from quizzes.models import Attempt

        graded = set(
            Attempt.objects.filter(submitted_at__isnull=False, score__isnull=False).values_list(
                "learner__email", "pk"
            )
        )
        missing["quiz submitted"] = len(world.acknowledged["quiz submitted"] - graded)
    return missing


def quiz_modules(course) -> list[int]:
    """The modules of the course that have a quiz, in order (none before the quizzes app)."""
    from django.apps import apps

    if not apps.is_installed("quizzes"):
        return []
    from quizzes.models import Quiz

    return list(
        Quiz.objects.filter(module__course=course)
        .order_by("module__position", "module_id")
        .values_list("module_id", flat=True)
    )


def main() -> int:
    if not environment.postgres_available():
        print(f"PostgreSQL is not reachable at {environment.POSTGRES_ADMIN_URL}.")
        return 2
    with environment.throwaway_postgres(DATABASE) as database_url:
        environment.production_like_environment(database_url, hosts=HOST)
        # As .env.example recommends; without it each request opens a new connection, which
        # halves the throughput here. LOAD_CONN_MAX_AGE=0 measures that case.
        os.environ["DJANGO_CONN_MAX_AGE"] = os.environ.get("LOAD_CONN_MAX_AGE", "60")
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
        quiz_module_ids = quiz_modules(course)
        connections.close_all()

        port = free_port()
        base_url = f"http://{HOST}:{port}"
        log = Path(tempfile.mkdtemp(prefix="repere-load-")) / "gunicorn.log"
        server = start_gunicorn(port, log)
        try:
            wait_until_ready(base_url, server, log)
            print(
                f"Load: {LEARNERS} learners for {SECONDS:.0f} s against gunicorn "
                f"({WORKERS} workers) on {base_url}, PostgreSQL; {len(lesson_ids)} lessons."
            )
            started = time.monotonic()
            world = World(
                base_url,
                course.slug,
                lesson_ids,
                deadline=started + SECONDS,
                quiz_module_ids=quiz_module_ids,
            )
            threads = [
                threading.Thread(target=simulate, args=(world, email, ("fr", "en")[i % 2]))
                for i, email in enumerate(emails)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=SECONDS + 120)
            elapsed = time.monotonic() - started
        finally:
            stop(server)

        missing = missing_writes(world)
        connections.close_all()

    headers, rows = summarise(world.samples, elapsed)
    errors = sum(not s.ok for s in world.samples)
    acknowledged = {kind: len(items) for kind, items in world.acknowledged.items()}
    print(report.text_table(headers, rows))
    print(f"\nAcknowledged writes: {acknowledged}; missing from the database: {missing}")
    for sample in [s for s in world.samples if not s.ok][:10]:
        print(f"  error: {sample.action}: {sample.error}")
    conn_max_age = os.environ["DJANGO_CONN_MAX_AGE"]
    report.replace_section(
        "load",
        f"""## Load (`make load`)

{LEARNERS} simulated learners, no think time, for {elapsed:.0f} s: log in, enroll, read each
lesson and mark it done, take the quizzes not passed yet (random answers), look at the
progress, again. gunicorn with {WORKERS} sync workers,
PostgreSQL, production settings (DEBUG off, DJANGO_CONN_MAX_AGE={conn_max_age}), on
{report.machine()}; the learners run on the same machine. Logging in hashes the password
(PBKDF2, Django's default cost): fifty people logging in at the same second queue there.

{report.markdown_table(headers, rows)}

Acknowledged writes: {", ".join(f"{n} {kind}" for kind, n in acknowledged.items()) or "none"};
missing from the database: {sum(missing.values())}. Errors: {errors}.
""",
    )
    return 1 if errors or any(missing.values()) or not world.samples else 0


if __name__ == "__main__":
    sys.exit(main())
