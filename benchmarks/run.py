"""`make bench`: time, SQL queries and peak memory of what matters, each beside a baseline
measured in the same run, printed as a table and written to docs/performance.md.

    .venv/bin/python benchmarks/run.py             # BENCH_SIZES=100,1000,10000,100000 by default
    BENCH_ONLY=assignment,dashboard .venv/bin/python benchmarks/run.py   # some suites only

Runs on a throw-away database: PostgreSQL (repere_bench, created and dropped) when it is
reachable, else a temporary SQLite file; never the development database. Settings are the
production ones (DEBUG off, cached templates), minus HTTPS.

A benchmark is a function in SUITES: it receives the `Bench` (the database is migrated and
the real course loaded) and returns `Row`s. A row may name the row it is compared with
(`baseline=`), which must come earlier in the same run; a baseline is a row like any other.
To add one: write the function, append it to SUITES.
"""

import os
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import environment, report

# Staff per organization for the dashboard and the export; BENCH_SIZES=100,1000,10000 skips
# the largest when time is short (building 100,000 people takes a few minutes).
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "100,1000,10000,100000").split(",") if n]
# Staff of the school board of 100 schools (the board case), whatever BENCH_SIZES says: the
# smaller size shows that the queries and the export's memory do not grow with the staff.
BOARD_SIZES = [int(n) for n in os.environ.get("BENCH_BOARD_SIZES", "2000,20000").split(",") if n]
BOARD_SCHOOLS = 100
MIN_SECONDS = float(os.environ.get("BENCH_MIN_SECONDS", "1.0"))  # per measure, at least…
MIN_RUNS = 5  # …and at least this many runs; the median is reported


@dataclass
class Row:
    name: str
    ms: float | None = None
    queries: int | None = None
    peak_kib: float | None = None
    baseline: str | None = None  # the name of the row this one is compared with
    note: str = ""


@dataclass
class Bench:
    database: str
    rows: list[Row]

    def measure(self, name: str, run: Callable, *, setup: Callable | None = None, **row) -> Row:
        """Median time of `run()` over several runs (`setup()` before each, not timed), its
        SQL queries and the peak of Python memory it allocates (in a separate, traced run)."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def once():
            argument = setup() if setup else None
            start = time.perf_counter()
            run(argument) if setup else run()
            return time.perf_counter() - start

        once()  # warm up: templates compiled, translations and fonts loaded
        times, started = [], time.perf_counter()
        while len(times) < MIN_RUNS or time.perf_counter() - started < MIN_SECONDS:
            times.append(once())
            if len(times) >= 200:
                break
        argument = setup() if setup else None
        with CaptureQueriesContext(connection) as queries:
            run(argument) if setup else run()
        query_count = len(queries)  # now: the next request empties the connection's log
        argument = setup() if setup else None
        tracemalloc.start()
        tracemalloc.reset_peak()
        run(argument) if setup else run()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        measured = Row(
            name,
            ms=statistics.median(times) * 1000,
            queries=query_count,
            peak_kib=peak / 1024,
            **row,
        )
        self.rows.append(measured)
        return measured


# --- benchmarks ----------------------------------------------------------------------------


def _client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def lesson_page(bench: Bench) -> None:
    """The lesson page of the real course, for an enrolled learner half-way through, against
    a bare view rendering a small template through the same middleware and session."""
    from django.test import override_settings

    from accounts.models import User
    from courses.selectors import course_outline
    from courses.services import enrollment_create, lesson_mark_done

    course = environment.prepared["course"]
    learner = User.objects.create_user("bench-reader@example.org", None, full_name="Bench")
    enrollment_create(learner=learner, course=course)
    lessons = course_outline(course=course, user=learner).lessons
    for lesson in lessons[: len(lessons) // 2]:
        lesson_mark_done(learner=learner, lesson=lesson)
    client = _client_for(learner)
    url = lessons[len(lessons) // 2].get_absolute_url()
    with override_settings(ROOT_URLCONF="benchmarks.urls"):
        bare = bench.measure(
            "bare view rendering a template (baseline)",
            lambda: _ok(client.get("/bench/bare/")),
        )
        bench.measure(
            f"lesson page ({len(lessons)} lessons)",
            lambda: _ok(client.get(url)),
            baseline=bare.name,
        )


def quiz_submission(bench: Bench) -> None:
    """Submitting a quiz of 3 and of 30 questions through the view (graded, then redirected
    to the result), against the bare view."""
    from django.apps import apps

    if not apps.is_installed("quizzes"):
        return
    from accounts.models import User
    from courses.services import enrollment_create
    from quizzes.services import attempt_start
    from tests.quizzes.factories import quiz_with_questions

    bare = next(row.name for row in bench.rows if "baseline" in row.name and "bare" in row.name)
    course = environment.prepared["course"]
    for count in (3, 30):
        quiz = quiz_with_questions(count, module=_fresh_module(course, count))
        learner = User.objects.create_user(f"quiz{count}@example.org", None, full_name="Quiz")
        enrollment_create(learner=learner, course=course)
        client = _client_for(learner)

        def start(quiz=quiz, learner=learner):
            attempt = attempt_start(learner=learner, quiz=quiz)
            return attempt, _answers_form(attempt)

        def submit(prepared, client=client):
            attempt, data = prepared
            response = client.post(f"/fr/quizzes/attempts/{attempt.pk}/submit/", data)
            assert response.status_code == 302, response.status_code

        bench.measure(f"quiz submission, {count} questions", submit, setup=start, baseline=bare)


def _fresh_module(course, count):
    from courses.models import Module

    return Module.objects.create(course=course, position=100 + count, title_fr=f"Quiz {count}")


def _answers_form(attempt) -> dict:
    """A wrong answer to every question: the attempt is graded and failed, so that the
    next run can start a new attempt (a passed quiz cannot be taken again)."""
    from quizzes.models import Question

    data = {}
    for question in Question.objects.filter(attempt_questions__attempt=attempt):
        wrong = question.choices.filter(is_correct=False).order_by("position").first()
        data[f"question_{question.pk}"] = [wrong.pk]
    return data


def dashboard(bench: Bench) -> None:
    """The supervisors' dashboard and its CSV export at each size, measured by
    benchmarks/dashboard.py; the baseline is the raw SQL aggregate behind the dashboard."""
    from benchmarks.dashboard import bench_dashboard

    for result in bench_dashboard(SIZES):
        n = f"{result['staff']:,}"
        raw = Row(f"raw SQL aggregate, {n} staff (baseline)", ms=result["raw_sql_totals_ms"])
        bench.rows += [
            raw,
            Row(
                f"dashboard totals (ORM), {n} staff",
                ms=result["orm_totals_ms"],
                baseline=raw.name,
            ),
            Row(
                f"dashboard page, {n} staff",
                ms=result["dashboard_ms"],
                queries=result["dashboard_queries"],
                peak_kib=result["dashboard_peak_kib"],
                baseline=raw.name,
            ),
            Row(
                f"CSV export, {n} staff",
                ms=result["export_ms"],
                queries=result["export_queries"],
                peak_kib=result["export_peak_kib"],
                baseline=raw.name,
                note=f"{result['export_bytes']:,} bytes",
            ),
        ]


def board(bench: Bench) -> None:
    """A school board of 100 schools, its staff spread over them, read by the board's
    supervisor (benchmarks/dashboard.py `bench_board`): the dashboard's first page and its
    CSV export beside the raw SQL aggregate of the whole board, the page filtered by one
    school beside the same aggregate of that school."""
    from benchmarks.dashboard import bench_board

    for result in bench_board(BOARD_SIZES, schools=BOARD_SCHOOLS):
        n, schools = f"{result['staff']:,}", result["schools"]
        raw = Row(
            f"raw SQL aggregate, board of {schools} schools, {n} staff (baseline)",
            ms=result["raw_sql_board_ms"],
        )
        school = Row(
            f"raw SQL aggregate, one school of {result['school_staff']:,} of the {n} (baseline)",
            ms=result["raw_sql_school_ms"],
        )
        bench.rows += [
            raw,
            Row(
                f"board dashboard page, {n} staff",
                ms=result["dashboard_ms"],
                queries=result["dashboard_queries"],
                peak_kib=result["dashboard_peak_kib"],
                baseline=raw.name,
            ),
            Row(
                f"board CSV export, {n} staff",
                ms=result["export_ms"],
                queries=result["export_queries"],
                peak_kib=result["export_peak_kib"],
                baseline=raw.name,
                note=f"{result['export_bytes']:,} bytes",
            ),
            school,
            Row(
                f"board dashboard filtered by one school, {n} staff",
                ms=result["school_ms"],
                queries=result["school_queries"],
                peak_kib=result["school_peak_kib"],
                baseline=school.name,
            ),
        ]


def assignment(bench: Bench) -> None:
    """The first assignment of a course to 10,000 members (assignments and enrollments
    written in bulk, in one transaction), against inserting the same number of bare
    enrollment rows with one bulk_create: the floor of what the database costs."""
    from accounts.models import User
    from courses.models import Course, Enrollment
    from organizations.models import Membership, Organization
    from organizations.services import assignments_create

    count = 10_000
    organization = Organization.objects.create(name="Bench assign", kind="shelter", province="QC")
    users = User.objects.bulk_create(
        User(email=f"assign{index}@example.org", full_name=f"Assign {index}")
        for index in range(count)
    )
    Membership.objects.bulk_create(
        Membership(organization=organization, user=user) for user in users
    )
    learners = User.objects.filter(memberships__organization=organization)

    def fresh_course():
        return Course.objects.create(
            slug=f"assign-{time.monotonic_ns()}", title_fr="Assignation", is_published=True
        )

    def bare(course):
        Enrollment.objects.bulk_create(
            [Enrollment(learner=user, course=course) for user in users], batch_size=2_000
        )

    def assign(course):
        assignments_create(
            organization=organization,
            course=course,
            learners=learners,
            due_on=None,
            assigned_by=None,
        )

    n = f"{count:,}"
    floor = bench.measure(
        f"bulk_create of {n} bare enrollments (baseline)", bare, setup=fresh_course
    )
    bench.measure(
        f"first assignment of a course to {n} people",
        assign,
        setup=fresh_course,
        baseline=floor.name,
    )


def certificates(bench: Bench) -> None:
    """Drawing a certificate as PNG and PDF (benchmarks/certificate_rendering.py) against
    the same library writing a blank page of the same size (and, for the PDF, the same
    fonts)."""
    from benchmarks.certificate_rendering import bench_render

    result = bench_render()
    width, height = result["size_px"]
    for kind in ("png", "pdf"):
        blank = Row(
            f"{result[f'blank_{kind}_label']} (baseline)",
            ms=result[f"blank_{kind}_ms"],
        )
        bench.rows += [
            blank,
            Row(
                f"certificate {kind.upper()}",
                ms=result[f"{kind}_ms"],
                baseline=blank.name,
                note=f"{result[f'{kind}_bytes']:,} bytes",
            ),
        ]


def item_analysis(bench: Bench) -> None:
    """The item analysis of a quiz of 10 questions at 10,000 graded attempts (100,000
    answers), against one raw SQL aggregate over the same answers (count and right per
    question): what reading them once costs the database."""
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from quizzes import item_analysis as analysis
    from quizzes.models import Answer, AnswerChoice, Attempt
    from tests.quizzes.factories import quiz_with_questions

    count, size = 10_000, 10
    course = environment.prepared["course"]
    quiz = quiz_with_questions(size, module=_fresh_module(course, 1000 + size))
    learner = User.objects.create_user("items@example.org", None, full_name="Items")
    questions = [q for scenario in quiz.scenarios.all() for q in scenario.questions.all()]
    choices = {q.pk: list(q.choices.order_by("position", "pk")) for q in questions}
    now = time.time()
    submitted = timezone.now()
    attempts = Attempt.objects.bulk_create(
        (
            Attempt(
                learner=learner,
                quiz=quiz,
                course=course,
                number=index + 1,
                submitted_at=submitted,
                score=(index * 37) % 101,
                passed=False,
            )  # fmt: skip
            for index in range(count)
        ),
        batch_size=2_000,
    )
    answers = Answer.objects.bulk_create(
        (
            Answer(attempt=a, question=q, is_correct=(a.pk * 7 + q.pk) % 3 != 0)
            for a in attempts
            for q in questions
        ),
        batch_size=5_000,
    )
    AnswerChoice.objects.bulk_create(
        (
            AnswerChoice(answer=answer, choice=choices[answer.question_id][answer.pk % 3])
            for answer in answers
        ),
        batch_size=5_000,
    )
    print(f"  item_analysis: data built in {time.time() - now:.0f} s", file=sys.stderr)
    table = connection.ops.quote_name(Answer._meta.db_table)
    attempt_table = connection.ops.quote_name(Attempt._meta.db_table)

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT a.question_id, COUNT(*), SUM(CASE WHEN a.is_correct THEN 1 ELSE 0 END)"
                f" FROM {table} a JOIN {attempt_table} t ON t.id = a.attempt_id"
                " WHERE t.quiz_id = %s AND t.submitted_at IS NOT NULL AND NOT t.practice"
                " GROUP BY a.question_id",
                [quiz.pk],
            )
            assert len(cursor.fetchall()) == size

    def analyse():
        rows = analysis.quiz_item_analysis(quiz=quiz)
        assert all(row.attempts == count for row in rows)

    n = f"{count:,}"
    floor = bench.measure(f"raw SQL count and right per question, {n} attempts (baseline)", raw)
    bench.measure(
        f"item analysis of a quiz of {size} questions, {n} attempts",
        analyse,
        baseline=floor.name,
    )


def gain_report(bench: Bench) -> None:
    """The knowledge check's gain report of a course at 10,000 attempts (5,000 people with
    both checks, 10 items a form over 5 modules, 100,000 answers), against the same figures
    written as two plain SQL aggregates on the tables (no scope, no titles): what reading
    them once costs the database."""
    from django.db import connection

    from accounts.models import User
    from assessments import selectors
    from assessments.models import Answer, Attempt, Form, Item, ItemChoice, Phase
    from courses.models import Course, Lesson, Module

    people, modules, per_module = 5_000, 5, 2
    now = time.time()
    course = Course.objects.create(slug="gain-bench", title_fr="Gain", title_en="Gain")
    lessons = []
    for position in range(modules):
        module = Module.objects.create(
            course=course, position=position, title_fr=f"M{position}", title_en=f"M{position}"
        )
        lessons.append(Lesson.objects.create(module=module, position=0, title_fr="L", title_en="L"))
    items = Item.objects.bulk_create(
        Item(course=course, form=form, lesson=lesson, position=index, text_fr="Q", text_en="Q")
        for form in (Form.A, Form.B)
        for lesson in lessons
        for index in range(per_module)
    )
    choices = ItemChoice.objects.bulk_create(
        ItemChoice(item=item, is_correct=right, position=int(not right), text_fr="C", text_en="C")
        for item in items
        for right in (True, False)
    )
    by_item = {(choice.item_id, choice.is_correct): choice for choice in choices}
    forms = {form: [item for item in items if item.form == form] for form in (Form.A, Form.B)}
    users = User.objects.bulk_create(
        User(email=f"gain{index}@example.org", full_name=f"Gain {index}") for index in range(people)
    )
    attempts, answers = [], []
    for index, user in enumerate(users):
        pre_form = Form.A if index % 2 else Form.B
        for phase, form in ((Phase.PRE, pre_form), (Phase.POST, pre_form.other)):
            rights = [
                (index * 7 + item.pk + (phase == Phase.POST)) % 3 != 0 for item in forms[form]
            ]
            attempts.append(
                Attempt(
                    learner=user, course=course, phase=phase, form=form,
                    item_count=len(rights), correct_count=sum(rights),
                )
            )  # fmt: skip
            answers.append(list(zip(forms[form], rights, strict=True)))
    attempts = Attempt.objects.bulk_create(attempts, batch_size=2_000)
    Answer.objects.bulk_create(
        (
            Answer(attempt=attempt, item=item, choice=by_item[item.pk, right], is_correct=right)
            for attempt, given in zip(attempts, answers, strict=True)
            for item, right in given
        ),
        batch_size=5_000,
    )
    print(f"  gain_report: data built in {time.time() - now:.0f} s", file=sys.stderr)
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would have gathered on a live database (the
        # report stays linear without them: 1.3 s instead of 0.3 s, tested by hand).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    q = connection.ops.quote_name
    attempt, answer = q(Attempt._meta.db_table), q(Answer._meta.db_table)
    item, lesson = q(Item._meta.db_table), q(Lesson._meta.db_table)
    score = "CAST({0}.correct_count AS DOUBLE PRECISION) * 100 / {0}.item_count"
    course_sql = (
        f"SELECT COUNT(*), AVG({score.format('pre')}), AVG({score.format('post')}),"
        f" AVG(CASE WHEN pre.correct_count < pre.item_count THEN"
        f" ({score.format('post')} - {score.format('pre')}) / (100 - {score.format('pre')}) END)"
        f" FROM {attempt} pre JOIN {attempt} post ON post.learner_id = pre.learner_id"
        " AND post.course_id = pre.course_id AND post.phase = 'post'"
        " WHERE pre.course_id = %s AND pre.phase = 'pre'"
    )
    # Per attempt and module: right answers and the form's items there (every item of the
    # bench is answered, so the answers' count is the items').
    per_module = (
        "SELECT t.id AS attempt_id, t.learner_id AS learner_id, t.phase AS phase,"
        " l.module_id AS module_id,"
        " CAST(SUM(CASE WHEN a.is_correct THEN 1 ELSE 0 END) AS DOUBLE PRECISION) * 100"
        " / COUNT(*) AS score"
        f" FROM {answer} a JOIN {attempt} t ON t.id = a.attempt_id"
        f" JOIN {item} i ON i.id = a.item_id JOIN {lesson} l ON l.id = i.lesson_id"
        " WHERE t.course_id = %s GROUP BY t.id, t.learner_id, t.phase, l.module_id"
    )
    module_sql = (
        "SELECT pre.module_id, COUNT(*), AVG(pre.score), AVG(post.score),"
        " AVG(CASE WHEN pre.score < 100 THEN (post.score - pre.score) / (100 - pre.score) END)"
        f" FROM ({per_module}) pre JOIN ({per_module}) post"
        " ON post.learner_id = pre.learner_id AND post.module_id = pre.module_id"
        " AND post.phase = 'post' WHERE pre.phase = 'pre' GROUP BY pre.module_id"
    )

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(course_sql, [course.pk])
            assert cursor.fetchone()[0] == people
            cursor.execute(module_sql, [course.pk, course.pk])
            assert len(cursor.fetchall()) == modules

    def report():
        gain = selectors.course_gain_report(course=course)
        assert gain.figures.people == people
        assert len(gain.modules) == modules

    # The selector's figures are the raw SQL's.
    with connection.cursor() as cursor:
        cursor.execute(course_sql, [course.pk])
        _n, before, after, mean_gain = cursor.fetchone()
    figures = selectors.course_gain_report(course=course).figures
    assert abs(figures.before - before) + abs(figures.after - after) < 1e-9
    assert abs(figures.gain - mean_gain) < 1e-9

    n = f"{2 * people:,}"
    floor = bench.measure(f"raw SQL gain per course and module, {n} attempts (baseline)", raw)
    bench.measure(
        f"gain report of a course of {modules} modules, {n} attempts", report, baseline=floor.name
    )


SUITES = [
    lesson_page,
    quiz_submission,
    assignment,
    dashboard,
    board,
    certificates,
    item_analysis,
    gain_report,
]


def _ok(response):
    assert response.status_code == 200, response.status_code
    return response


# --- the table -------------------------------------------------------------------------------


def ratio(value, base) -> str:
    if value is None or base is None:
        return ""
    if base == 0:
        return "—" if value else "×1"
    return f"×{value / base:.1f}"


def table(rows: list[Row]) -> tuple[list[str], list[list[str]]]:
    by_name = {row.name: row for row in rows}
    headers = ["measure", "ms", "× base", "SQL", "× base", "peak KiB", "× base", "note"]
    lines = []
    for row in rows:
        base = by_name.get(row.baseline) if row.baseline else None
        lines.append(
            [
                row.name,
                "" if row.ms is None else f"{row.ms:.2f}",
                ratio(row.ms, base and base.ms),
                "" if row.queries is None else str(row.queries),
                ratio(row.queries, base and base.queries),
                "" if row.peak_kib is None else f"{row.peak_kib:,.0f}",
                ratio(row.peak_kib, base and base.peak_kib),
                row.note,
            ]
        )
    return headers, lines


def run_all(database_url: str) -> Bench:
    environment.production_like_environment(database_url, hosts="testserver")
    import django

    django.setup()
    from django.utils import translation

    environment.prepared = environment.prepare_database()
    bench = Bench(database=environment.describe(database_url), rows=[])
    with translation.override("fr"):
        only = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
        for suite in [suite for suite in SUITES if not only or suite.__name__ in only]:
            started = time.perf_counter()
            suite(bench)
            print(f"  {suite.__name__}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return bench


def _with_rows_not_run(lines: list[list[str]]) -> list[list[str]]:
    """The table of the previous run with this run's rows in place of theirs, and this
    run's new rows at the end. Rows match by name, a trailing count aside ("lesson page
    (12 lessons)" is replaced by "lesson page (17 lessons)" once the course grows)."""
    fresh = {_row_key(line[0]): line for line in lines}
    previous = report.section_table("bench")
    merged = [fresh.pop(_row_key(line[0]), line) for line in previous]
    return merged + [line for line in lines if _row_key(line[0]) in fresh]


def _row_key(name: str) -> str:
    return re.sub(r" \([\d,]+ [^)]*\)$", "", name)


def main() -> int:
    if environment.postgres_available():
        database = environment.throwaway_postgres(os.environ.get("BENCH_DATABASE", "repere_bench"))
    else:
        database = environment.throwaway_sqlite(Path(tempfile.mkdtemp(prefix="repere-bench-")))
    with database as database_url:
        bench = run_all(database_url)
    headers, lines = table(bench.rows)
    print(f"Benchmarks on {bench.database}, {report.machine()}")
    print(report.text_table(headers, lines))
    only = os.environ.get("BENCH_ONLY", "")
    kept_note = ""
    if only:
        lines = _with_rows_not_run(lines)
        kept_note = (
            f" This run measured only `BENCH_ONLY={only}`: the other rows are kept from"
            " the run before (each beside its own baseline, measured with it)."
        )
    report.replace_section(
        "bench",
        f"""## Benchmarks (`make bench`)

On {bench.database}, {report.machine()}; production settings (DEBUG off). Times are medians
in milliseconds (at least {MIN_RUNS} runs and {MIN_SECONDS:g} s per measure, pages through
Django's test client with every middleware); SQL is the number of queries; peak KiB is the
most Python memory allocated during one run (tracemalloc). "× base" divides a figure by
the same figure of the row's baseline, measured in the same run. The dashboard, export and
certificate rows come from benchmarks/dashboard.py (the median of 5 runs per size, inside a
transaction rolled back afterwards) and benchmarks/certificate_rendering.py (median of 20
drawings).{kept_note}

{report.markdown_table(headers, lines)}
""",
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
