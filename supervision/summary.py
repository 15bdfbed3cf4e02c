"""The dashboard's maintained summary: one `AssignmentSummary` row per assignment.

`summary_refresh()` recomputes the rows of some assignments in ONE statement,
`INSERT … SELECT … ON CONFLICT (assignment_id) DO UPDATE`, on PostgreSQL as on SQLite.
Its SELECT starts from the assignments asked for and computes each column by a
correlated subquery on an existing index (the learner's lessons of the course, their
attempts at its quizzes, their certificates of it), so that refreshing one person's
course costs a few index probes whatever the size of the organization; refreshing a
course for 10,000 people (a bulk assignment) is the same statement over 10,000 rows.

The writes below supervision call it through `courses.hooks.progress_changed` (see
`SupervisionConfig.ready`), in their own transaction: the summary commits or rolls back
with what it summarizes. The values are the live query's (`statuses.assignment_rows`),
column for column; `summary_mismatches()` compares the two, and `check_summary` repairs.
"""

import datetime

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from accounts.names import name_order
from certificates import status as certificate_status
from certificates.models import Certificate
from courses.models import Enrollment, Lesson, LessonProgress, Module
from organizations.models import Assignment, Membership
from quizzes.models import Attempt, Quiz
from supervision.models import AssignmentSummary
from supervision.selectors.statuses import (
    Status,
    _localized_course_title,
    assignment_rows,
    shown_certificate,
)

# The columns written, in the order of the SELECT below.
_COLUMNS = (
    "assignment_id",
    "organization_id",
    "course_id",
    "learner_id",
    "joined_at",
    "due_on",
    "lessons_done",
    "quizzes_passed",
    "requirements",
    "progress",
    "completed_at",
    "best_score",
    "last_activity_at",
    "certificate_id",
    "certificate_expires_on",
)

# `live` is one assignment with its membership (joined_at) and enrollment: every other
# column is a correlated subquery probing an index with the row's learner and course.
_REFRESH_SQL = """
INSERT INTO {summary} ({columns})
SELECT id, organization_id, course_id, learner_id, joined_at, due_on,
    lessons_done, quizzes_passed, requirements,
    CASE WHEN completed_at IS NOT NULL THEN 100
         WHEN requirements = 0 THEN 0
         ELSE MIN_OF((lessons_done + quizzes_passed) * 100 / requirements, 99) END,
    completed_at, best_score, last_activity_at, certificate_id, certificate_expires_on
FROM (
    SELECT a.id, a.organization_id, a.course_id, a.learner_id, m.created_at AS joined_at,
        a.due_on,
        CASE WHEN e.completed_at >= m.created_at THEN e.completed_at END AS completed_at,
        CASE WHEN e.last_activity_at >= m.created_at THEN e.last_activity_at END
            AS last_activity_at,
        (SELECT COUNT(*) FROM {lessonprogress} lp
         WHERE lp.learner_id = a.learner_id AND lp.course_id = a.course_id
           AND lp.completed_at >= m.created_at) AS lessons_done,
        (SELECT COUNT(DISTINCT t.quiz_id) FROM {attempt} t
         WHERE t.learner_id = a.learner_id AND t.course_id = a.course_id
           AND t.practice = %(false)s AND t.passed = %(true)s
           AND t.submitted_at >= m.created_at AND t.cycle = e.cycle) AS quizzes_passed,
        COALESCE(lc.n, 0) + COALESCE(qc.n, 0) AS requirements,
        (SELECT MAX(t.score) FROM {attempt} t
         WHERE t.learner_id = a.learner_id AND t.course_id = a.course_id
           AND t.practice = %(false)s AND t.submitted_at >= m.created_at) AS best_score,
        (SELECT c.id FROM {certificate} c
         WHERE c.holder_id = a.learner_id AND c.course_id = a.course_id
           AND c.revoked_at IS NULL AND c.issued_at >= m.created_at
         ORDER BY c.issued_at DESC, c.id DESC LIMIT 1) AS certificate_id,
        (SELECT c.expires_on FROM {certificate} c
         WHERE c.holder_id = a.learner_id AND c.course_id = a.course_id
           AND c.revoked_at IS NULL AND c.issued_at >= m.created_at
         ORDER BY c.issued_at DESC, c.id DESC LIMIT 1) AS certificate_expires_on
    FROM {assignment} a
    LEFT JOIN {membership} m ON m.organization_id = a.organization_id AND m.user_id = a.learner_id
    LEFT JOIN {enrollment} e ON e.learner_id = a.learner_id AND e.course_id = a.course_id
    -- A course's lessons and quizzes, counted once per course rather than once per row
    -- (a correlated subquery runs again for each of 10,000 rows of one course).
    LEFT JOIN (SELECT mo.course_id, COUNT(*) AS n FROM {lesson} l
               JOIN {module} mo ON mo.id = l.module_id GROUP BY mo.course_id) lc
        ON lc.course_id = a.course_id
    LEFT JOIN (SELECT mo.course_id, COUNT(*) AS n FROM {quiz} q
               JOIN {module} mo ON mo.id = q.module_id GROUP BY mo.course_id) qc
        ON qc.course_id = a.course_id
    WHERE a.id IN ({chosen})
    -- OFFSET 0 keeps the planner from folding this SELECT into the outer one, which
    -- would evaluate (and plan) each subquery again wherever its column is used
    -- (SQLite reads OFFSET only after a LIMIT: LIMIT -1, no limit).
    NO_FOLD
) AS live
WHERE true
ON CONFLICT (assignment_id) DO UPDATE SET {updates}
"""


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _chosen(assignment_ids, learner_ids, course_ids) -> tuple[str, tuple]:
    """The SQL of the ids of the assignments to refresh (each argument a list of ids or
    a queryset of them; those given all apply)."""
    chosen = Assignment.objects.all()
    if assignment_ids is not None:
        chosen = chosen.filter(pk__in=assignment_ids)
    if learner_ids is not None:
        chosen = chosen.filter(learner_id__in=learner_ids)
    if course_ids is not None:
        chosen = chosen.filter(course_id__in=course_ids)
    return chosen.order_by().values("pk").query.sql_with_params()


def summary_refresh(*, assignment_ids=None, learner_ids=None, course_ids=None) -> None:
    """Recompute the summary of the assignments given (by id, learner or course: lists or
    querysets of ids; at least one), in one statement, inside the caller's transaction."""
    if assignment_ids is None and learner_ids is None and course_ids is None:
        raise ValueError("summary_refresh needs the assignments, learners or courses")
    try:
        chosen_sql, chosen_params = _chosen(assignment_ids, learner_ids, course_ids)
    except EmptyResultSet:  # an empty list of ids: nothing to refresh
        return
    postgresql = connection.vendor == "postgresql"
    sql = (
        _REFRESH_SQL.replace("MIN_OF", "LEAST" if postgresql else "MIN")
        .replace("NO_FOLD", "OFFSET 0" if postgresql else "LIMIT -1 OFFSET 0")
        .format(
            summary=_table(AssignmentSummary),
            columns=", ".join(_COLUMNS),
            lessonprogress=_table(LessonProgress),
            attempt=_table(Attempt),
            lesson=_table(Lesson),
            module=_table(Module),
            quiz=_table(Quiz),
            certificate=_table(Certificate),
            assignment=_table(Assignment),
            membership=_table(Membership),
            enrollment=_table(Enrollment),
            chosen=chosen_sql.replace("%s", "%%s"),
            updates=", ".join(f"{name} = excluded.{name}" for name in _COLUMNS[1:]),
        )
    )
    # Named parameters for the constants, positional ones for the chosen ids: turn the
    # named ones into literals the database reads the same on both vendors.
    sql = sql % {"false": "false", "true": "true"}
    with connection.cursor() as cursor:
        cursor.execute(sql, chosen_params)
        refreshed = cursor.rowcount
    if postgresql and refreshed >= ANALYZE_AFTER_ROWS:
        _analyze_bulk_written()


# A refresh of this many rows follows a bulk write (a course assigned to a whole
# organization, a rebuild): one person's writes refresh a few rows.
ANALYZE_AFTER_ROWS = 1_000


def _analyze_bulk_written() -> None:
    """Fresh statistics for the tables a bulk assignment grows and the dashboard reads.

    Autovacuum analyzes a table only after its transaction commits and its next round
    (a minute or more later); until then PostgreSQL plans the dashboard's reads, and the
    next bulk write's, with the statistics of the table before thousands of rows were
    added (those of an empty table after a first import), and picks plans that scan a
    table once per row. ANALYZE runs inside the transaction, sees its uncommitted rows
    and commits (or rolls back) with it; it samples at most 30,000 rows per table, so it
    costs tens of milliseconds whatever the size. Its lock (SHARE UPDATE EXCLUSIVE, held
    to the end of the transaction) blocks neither reads nor writes, only VACUUM, DDL and
    another ANALYZE of those tables: two bulk assignments at once finish one after the
    other. Not on SQLite, whose planner does not use such statistics unless asked (and
    `ANALYZE` there rewrites sqlite_stat1)."""
    tables = ", ".join(
        _table(model) for model in (Assignment, Membership, Enrollment, AssignmentSummary)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def summary_refresh_hook(*, assignment_ids=None, learner_ids=None, course_ids=None) -> None:
    """What `courses.hooks.progress_changed` calls (see `SupervisionConfig.ready`); only
    while the summary is on (REPERE_DASHBOARD_SUMMARY), so that writes cost nothing more
    until the dashboard reads it."""
    if not settings.REPERE_DASHBOARD_SUMMARY:
        return
    summary_refresh(assignment_ids=assignment_ids, learner_ids=learner_ids, course_ids=course_ids)


@transaction.atomic
def summary_rebuild() -> None:
    """Recompute every row (after a migration, or a repair), and drop the rows of
    assignments that no longer exist (none can: the rows cascade)."""
    summary_refresh(assignment_ids=Assignment.objects.values("pk"))


def summary_fill_missing(sender=None, using="default", **kwargs) -> None:
    """Summarize every assignment without a row (`post_migrate`): a database migrated to
    the summary, or written while it was off, gets its rows from `migrate` itself. Rows
    that exist but went stale while it was off need `check_summary --repair`."""
    if not settings.REPERE_DASHBOARD_SUMMARY or using != "default":
        return
    if AssignmentSummary._meta.db_table not in connection.introspection.table_names():
        return  # migrated back before the summary's table
    with transaction.atomic():
        summary_refresh(assignment_ids=summary_missing().values("pk"))


# --- reading it ---------------------------------------------------------------------------


def _status_rank(today: datetime.date):
    """The live query's status rule (statuses.Status, statuses._status_rank) on the
    summary's columns: overdue and expiring compared with today, here."""
    rank = Status.rank
    urgency = Case(
        *certificate_status.status_whens(
            today=today,
            fields={"expires_on": "certificate_expires_on"},
            then={
                certificate_status.Status.EXPIRED: Value(rank(Status.EXPIRED)),
                certificate_status.Status.EXPIRING: Value(rank(Status.EXPIRING)),
            },
        ),
        default=None,
        output_field=IntegerField(),
    )
    return Case(
        When(Q(completed_at__isnull=True, due_on__lt=today), then=Value(rank(Status.OVERDUE))),
        When(urgency__isnull=False, then=F("urgency")),
        When(completed_at__isnull=False, then=Value(rank(Status.COMPLETED))),
        When(Q(lessons_done__gt=0) | Q(quizzes_passed__gt=0), then=Value(rank(Status.IN_PROGRESS))),
        default=Value(rank(Status.NOT_STARTED)),
        output_field=IntegerField(),
    ), urgency


def summary_statuses(*, today: datetime.date | None = None) -> QuerySet[AssignmentSummary]:
    """The summary rows of current members, with `status_rank`: what the totals need."""
    today = today or timezone.localdate()
    status_rank, urgency = _status_rank(today)
    return (
        AssignmentSummary.objects.filter(joined_at__isnull=False)
        .alias(urgency=urgency)
        .annotate(status_rank=status_rank)
    )


def summary_rows(*, today: datetime.date | None = None) -> QuerySet[AssignmentSummary]:
    """The summary rows of current members with every annotation `dashboard_rows` reads
    (the names of statuses.assignment_rows)."""
    return summary_statuses(today=today).annotate(
        learner_name=F("learner__full_name"),
        learner_sort=name_order("learner"),
        learner_email=F("learner__email"),
        course_title=_localized_course_title(),
        unit_name=F("organization__name"),
    )


# --- checking it --------------------------------------------------------------------------

COMPARED = (
    "joined_at",
    "due_on",
    "lessons_done",
    "quizzes_passed",
    "requirements",
    "progress",
    "completed_at",
    "best_score",
    "last_activity_at",
    "certificate_expires_on",
)


def summary_mismatches() -> list[dict]:
    """Every assignment whose summary differs from the live query, or is missing, or that
    shows in one and not the other: [{assignment id, field, summary value, live value}]."""
    live = {
        row["pk"]: row
        for row in assignment_rows()
        .annotate(
            lessons_done=F("done_count"),
            quizzes_passed=F("passed_count"),
            requirements=F("requirement_count"),
            certificate=Subquery(shown_certificate().values("pk")[:1]),
        )
        .values("pk", "certificate", *COMPARED)
    }
    kept = {
        row["pk"]: row
        for row in AssignmentSummary.objects.filter(joined_at__isnull=False).values(
            "pk", "certificate", *COMPARED
        )
    }
    found = []
    for pk in sorted(set(live) | set(kept)):
        mine, theirs = kept.get(pk), live.get(pk)
        if mine is None or theirs is None:
            found.append({"assignment": pk, "field": "row", "summary": mine, "live": theirs})
            continue
        for name in ("certificate", *COMPARED):
            if mine[name] != theirs[name]:
                found.append(
                    {"assignment": pk, "field": name, "summary": mine[name], "live": theirs[name]}
                )
    return found


def summary_missing() -> QuerySet[Assignment]:
    """Assignments without a summary row at all."""
    return Assignment.objects.filter(~Exists(AssignmentSummary.objects.filter(pk=OuterRef("pk"))))


def content_changed(sender, instance, created=None, **kwargs) -> None:
    """A lesson or quiz saved or deleted: refresh its course's rows if their count of
    requirements may have changed (a new one, or one removed; an edit changes nothing)."""
    if created is False or not settings.REPERE_DASHBOARD_SUMMARY:
        return
    module = Module.objects.filter(pk=instance.module_id).values("course_id").first()
    if module is not None:
        summary_refresh(course_ids=[module["course_id"]])


def membership_changed(sender, instance, **kwargs) -> None:
    """A membership saved or deleted: refresh the person's rows in its organization."""
    if not settings.REPERE_DASHBOARD_SUMMARY:
        return
    summary_refresh(
        learner_ids=[instance.user_id],
        assignment_ids=Assignment.objects.filter(organization_id=instance.organization_id)
        .filter(learner_id=instance.user_id)
        .values("pk"),
    )
