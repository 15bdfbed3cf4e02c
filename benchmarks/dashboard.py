"""Dashboard and export benchmark, for `make bench`: `bench_dashboard(sizes) -> list[dict]`.

For each size, builds an organization of that many staff in bulk (a quarter not started, a
quarter half-way, a quarter completed with a certificate and quiz scores, a quarter
overdue), then measures, through the real views (Django's test client):

- the dashboard page (first page, default sort): time, SQL queries, peak Python memory;
- the CSV export of every row, consumed chunk by chunk: time, SQL queries, peak memory,
  bytes — the peak must not grow with the rows, since the export streams;
- the totals query of the ORM against a hand-written SQL aggregate over the same rows
  (joins and GROUP BY, no correlated subqueries): the floor of what the database costs.

Needs a migrated database (the configured one or a test one). Everything is created in a
transaction that is rolled back: the database is left as it was. Times in milliseconds.

    DJANGO_DEBUG=1 .venv/bin/python -m benchmarks.dashboard 100 1000 10000

`bench_board(sizes, schools)` measures the same for a school board whose staff are spread
over its schools, read by the board's supervisor, and the page filtered by one school:

    DJANGO_DEBUG=1 .venv/bin/python -m benchmarks.dashboard board 2000 20000
"""

import datetime
import statistics
import time
import tracemalloc

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

LESSONS_PER_MODULE = 3
MODULES = 4


class _Rollback(Exception):
    pass


def _build(n: int, *, schools: int = 0):
    """An organization of n staff plus its supervisor; returns (organization, supervisor).

    With `schools`, the organization is a school board with that many schools placed
    under it, and the staff are spread over the schools (person i in school i % schools,
    as members, assignments and certificates are: `assignments_create_in_units`); the
    supervisor is the board's."""
    from accounts.models import User
    from certificates.models import Certificate
    from courses.models import Course, Enrollment, Lesson, LessonProgress, Module
    from organizations.models import Assignment, Membership, Organization
    from quizzes.models import Attempt, Quiz

    now = timezone.now()
    today = timezone.localdate()
    course = Course.objects.create(
        slug=f"bench-{n}-{time.monotonic_ns()}", title_fr="Banc d’essai", is_published=True
    )
    lessons = []
    quizzes = []
    for position in range(MODULES):
        module = Module.objects.create(course=course, position=position, title_fr=f"M{position}")
        lessons += Lesson.objects.bulk_create(
            Lesson(module=module, position=i, title_fr=f"L{position}.{i}")
            for i in range(LESSONS_PER_MODULE)
        )
        quizzes.append(Quiz.objects.create(module=module))
    organization = Organization.objects.create(
        name=f"Bench {n}", kind="school" if schools else "shelter", province="QC"
    )
    # save() gives each its path under the board: a hundred inserts, not bulk_create.
    places = [
        Organization.objects.create(
            name=f"École {index:03d}", kind="school", province="QC", parent=organization
        )
        for index in range(schools)
    ] or [organization]
    password = make_password(None)
    supervisor = User.objects.create(
        email=f"bench-supervisor-{n}-{time.monotonic_ns()}@example.org",
        full_name="Bench Supervisor",
        password=password,
    )
    Membership.objects.create(user=supervisor, organization=organization, role="supervisor")
    stamp = time.monotonic_ns()
    users = User.objects.bulk_create(
        User(email=f"b{stamp}-{i}@example.org", full_name=f"Personne {i:05d}", password=password)
        for i in range(n)
    )
    place = {u.pk: places[i % len(places)] for i, u in enumerate(users)}
    Membership.objects.bulk_create(Membership(user=u, organization=place[u.pk]) for u in users)
    # 0 not started, 1 half, 2 done, 3 late: a quarter each, in each school too.
    stage = {u.pk: (i // len(places)) % 4 for i, u in enumerate(users)}
    Assignment.objects.bulk_create(
        Assignment(
            organization=place[u.pk],
            learner=u,
            course=course,
            due_on=today - datetime.timedelta(days=3) if stage[u.pk] == 3 else None,
        )
        for u in users
    )
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(
            learner=u,
            course=course,
            last_activity_at=now,
            completed_at=now if stage[u.pk] == 2 else None,
        )
        for u in users
        if stage[u.pk] != 0
    )
    half = len(lessons) // 2
    LessonProgress.objects.bulk_create(
        LessonProgress(learner_id=e.learner_id, lesson=lesson, course=course)
        for e in enrollments
        for lesson in (lessons if stage[e.learner_id] == 2 else lessons[:half])
    )
    Certificate.objects.bulk_create(
        Certificate(
            holder_id=e.learner_id,
            course=course,
            enrollment=e,
            cycle=1,
            code=f"B{stamp % 10**6:06d}{i:09d}",
            holder_name="Bench",
            content_version=1,
            completed_at=now,
            # Some expire within 30 days, some have expired, most are valid.
            expires_on=today + datetime.timedelta(days=(i % 5) * 100 - 15),
            organization=place[e.learner_id],
        )
        for i, e in enumerate(e for e in enrollments if stage[e.learner_id] == 2)
    )
    Attempt.objects.bulk_create(
        Attempt(
            learner_id=e.learner_id,
            quiz=quiz,
            course=course,
            cycle=1,
            number=1,
            submitted_at=now,
            score=60 + (e.learner_id + index) % 41,
            passed=True,
        )
        for e in enrollments
        if stage[e.learner_id] == 2
        for index, quiz in enumerate(quizzes)
    )
    return organization, supervisor


RUNS = 5  # timed runs per measure; the median is reported


def _measure(function):
    """(result, milliseconds, queries, peak KiB of Python memory): the median time of RUNS
    runs, the queries of one, and the peak memory of another, traced apart since tracing
    every allocation slows Python down several times."""
    times = []
    for _run in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            result = function()
            times.append(time.perf_counter() - start)
        count = len(queries)  # now: a later request empties the connection's query log
    tracemalloc.start()
    tracemalloc.reset_peak()
    function()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, round(statistics.median(times) * 1000, 1), count, round(peak / 1024)


TOTALS_SQL = """
WITH done AS (
    SELECT lp.learner_id, m.course_id, COUNT(*) AS n
    FROM courses_lessonprogress lp
    JOIN courses_lesson l ON l.id = lp.lesson_id
    JOIN courses_module m ON m.id = l.module_id
    GROUP BY lp.learner_id, m.course_id
)
SELECT
    COUNT(*),
    SUM(CASE WHEN e.completed_at IS NULL AND a.due_on < %s THEN 1 ELSE 0 END),
    SUM(CASE WHEN e.completed_at IS NOT NULL THEN 1 ELSE 0 END),
    SUM(CASE WHEN e.completed_at IS NULL AND COALESCE(d.n, 0) > 0 THEN 1 ELSE 0 END)
FROM organizations_assignment a
LEFT JOIN courses_enrollment e ON e.learner_id = a.learner_id AND e.course_id = a.course_id
LEFT JOIN done d ON d.learner_id = a.learner_id AND d.course_id = a.course_id
WHERE a.organization_id = %s
"""


def _bench_one(n: int) -> dict:
    from supervision import selectors

    build_start = time.perf_counter()
    organization, supervisor = _build(n)
    build_ms = round((time.perf_counter() - build_start) * 1000)
    from organizations.models import Assignment
    from supervision.summary import summary_refresh

    # The rows above were written with bulk_create, past the services: summarize them all
    # (what a bulk assignment's one statement does), then time one person's refresh.
    # Statistics first: with those of the empty tables, PostgreSQL scans the lessons done
    # and the attempts once per row (seconds at 10,000) instead of probing their indexes.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    start = time.perf_counter()
    summary_refresh(
        assignment_ids=Assignment.objects.filter(organization=organization).values("pk")
    )
    summary_all_ms = round((time.perf_counter() - start) * 1000, 1)
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would have gathered on a live database.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    one = Assignment.objects.filter(organization=organization).order_by("pk")[n // 2]
    _r, summary_one_ms, _q, _k = _measure(
        lambda: summary_refresh(learner_ids=[one.learner_id], course_ids=[one.course_id])
    )
    client = Client()
    client.force_login(supervisor)
    dashboard_url = reverse("supervision:dashboard", kwargs={"organization_id": organization.pk})
    export_url = reverse("supervision:export", kwargs={"organization_id": organization.pk})
    client.get(dashboard_url)  # warm up: templates compiled, translations loaded

    response, page_ms, page_queries, page_kib = _measure(lambda: client.get(dashboard_url))
    assert response.status_code == 200, response.status_code

    def export():
        response = client.get(export_url)
        size = rows = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            rows += chunk.count(b"\n")
        # (The test client closes the response once its content is consumed.)
        return size, rows - 1

    (size, rows), export_ms, export_queries, export_kib = _measure(export)
    assert rows == n, (rows, n)

    def orm_totals():
        return selectors.dashboard_totals(organization=organization)

    def raw_totals():
        with connection.cursor() as cursor:
            cursor.execute(TOTALS_SQL, [timezone.localdate(), organization.pk])
            return cursor.fetchone()

    totals, orm_ms, _q, _k = _measure(orm_totals)
    raw, raw_ms, _q, _k = _measure(raw_totals)
    assert raw[0] == totals.total == n
    return {
        "staff": n,
        "build_ms": build_ms,
        "dashboard_ms": page_ms,
        "dashboard_queries": page_queries,
        "dashboard_peak_kib": page_kib,
        "export_ms": export_ms,
        "export_queries": export_queries,
        "export_peak_kib": export_kib,
        "export_bytes": size,
        "orm_totals_ms": orm_ms,
        "raw_sql_totals_ms": raw_ms,
        "summary_refresh_all_ms": summary_all_ms,
        "summary_refresh_one_ms": summary_one_ms,
        "database": connection.vendor,
    }


def bench_dashboard(sizes=(100, 1_000, 10_000)) -> list[dict]:
    """Measure each size in its own transaction, rolled back afterwards."""
    results = []
    with translation.override("fr"):
        for n in sizes:
            try:
                with transaction.atomic():
                    results.append(_bench_one(n))
                    raise _Rollback
            except _Rollback:
                pass
    return results


# The raw aggregate of a subtree: the same, over the organization and the units below it
# (the `path LIKE '/3/%'` of organizations.selectors.units, written by hand).
SUBTREE_TOTALS_SQL = TOTALS_SQL.replace(
    "WHERE a.organization_id = %s",
    "WHERE a.organization_id IN (SELECT o.id FROM organizations_organization o"
    " WHERE o.id = %s OR o.path LIKE %s)",
)


def _subtree_totals(organization) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(
            SUBTREE_TOTALS_SQL,
            [timezone.localdate(), organization.pk, f"{organization.path}%"],
        )
        return cursor.fetchone()


def _bench_board(n: int, schools: int) -> dict:
    """A board of `schools` schools and n staff spread over them, read by the board's
    supervisor: the dashboard's first page, the same page filtered by one school, the CSV
    export of every row; each beside the raw aggregate of its rows (the board's, the
    school's)."""
    from organizations.models import Assignment, Organization
    from organizations.selectors import unit_ids_in
    from supervision import selectors
    from supervision.summary import summary_refresh

    build_start = time.perf_counter()
    board, supervisor = _build(n, schools=schools)
    build_ms = round((time.perf_counter() - build_start) * 1000)
    # As _bench_one: statistics, then the summary of the rows written past the services.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    summary_refresh(
        assignment_ids=Assignment.objects.filter(organization_id__in=unit_ids_in(board)).values(
            "pk"
        )
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    school = Organization.objects.filter(parent=board).order_by("pk")[schools // 2]
    client = Client()
    client.force_login(supervisor)
    kwargs = {"organization_id": board.pk}
    dashboard_url = reverse("supervision:dashboard", kwargs=kwargs)
    school_url = f"{dashboard_url}?unit={school.pk}"
    export_url = reverse("supervision:export", kwargs=kwargs)
    client.get(dashboard_url)  # warm up: templates compiled, translations loaded

    response, page_ms, page_queries, page_kib = _measure(lambda: client.get(dashboard_url))
    assert response.status_code == 200, response.status_code
    response, school_ms, school_queries, school_kib = _measure(lambda: client.get(school_url))
    assert response.status_code == 200, response.status_code
    # What the two pages count (the test client gives no context outside the tests).
    assert selectors.dashboard_totals(organization=board).total == n
    school_staff = selectors.dashboard_totals(organization=board, unit=school).total
    assert school_staff == len(range(schools // 2, n, schools)), school_staff

    def export():
        response = client.get(export_url)
        size = rows = 0
        for chunk in response.streaming_content:
            size += len(chunk)
            rows += chunk.count(b"\n")
        return size, rows - 1

    (size, rows), export_ms, export_queries, export_kib = _measure(export)
    assert rows == n, (rows, n)
    board_raw, board_raw_ms, _q, _k = _measure(lambda: _subtree_totals(board))
    school_raw, school_raw_ms, _q, _k = _measure(lambda: _subtree_totals(school))
    assert board_raw[0] == n
    assert school_raw[0] == school_staff
    return {
        "staff": n,
        "schools": schools,
        "school_staff": school_staff,
        "build_ms": build_ms,
        "dashboard_ms": page_ms,
        "dashboard_queries": page_queries,
        "dashboard_peak_kib": page_kib,
        "school_ms": school_ms,
        "school_queries": school_queries,
        "school_peak_kib": school_kib,
        "export_ms": export_ms,
        "export_queries": export_queries,
        "export_peak_kib": export_kib,
        "export_bytes": size,
        "raw_sql_board_ms": board_raw_ms,
        "raw_sql_school_ms": school_raw_ms,
        "database": connection.vendor,
    }


def bench_board(sizes=(2_000, 20_000), schools: int = 100) -> list[dict]:
    """Measure a board of `schools` schools at each number of staff, each in its own
    transaction, rolled back afterwards."""
    results = []
    with translation.override("fr"):
        for n in sizes:
            try:
                with transaction.atomic():
                    results.append(_bench_board(n, schools))
                    raise _Rollback
            except _Rollback:
                pass
    return results


if __name__ == "__main__":  # pragma: no cover
    import json
    import os
    import sys

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    if sys.argv[1:2] == ["board"]:  # python -m benchmarks.dashboard board 2000 20000
        sizes = [int(arg) for arg in sys.argv[2:]] or [2_000, 20_000]
        results = bench_board(sizes)
    else:
        results = bench_dashboard([int(arg) for arg in sys.argv[1:]] or [100, 1_000, 10_000])
    for result in results:
        print(json.dumps(result))
