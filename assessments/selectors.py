"""Reads of the knowledge check: which form a learner takes, its items, their attempts;
and, for reports, the gain report, as aggregates only.

The gain report: only people who took both the check before and the check after a course
count. For each of them the database computes their score before and after (percent of
right answers), and their normalised gain

    g = (after − before) / (100 − before)

the share of what they did not know before that they knew after (Hake's gain; negative
when the score fell). Someone at 100 % before has no gain to make: they count in the
means of the scores but not in the mean gain, and `gain_people` says how many it is over.
The same per module (a learning objective): a person's module score in a check is their
right answers to the items of their form whose lesson is in the module, over the number of
that form's items in the module (an item left blank has no Answer row: not right).

Everything is summed in SQL, in two statements (courses, then modules) whatever the number
of attempts, plus one each to read the courses' and the modules' titles. A group (a course,
or a module) of fewer than `settings.REPERE_MIN_REPORT_GROUP` people gets `shown=False` and
no figure at all, as the survey's aggregates do. No gain selector returns a person, an
answer, a score of one person or a row: supervisors and administrators read the same
aggregates (administrators may also narrow them by organization and dates).

People whose account was erased are not in the report: their attempts are kept without a
learner, so their check before can no longer be paired with their check after.
"""

import dataclasses
import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, QuerySet, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from assessments.models import Answer, Attempt, Form, Item, ItemChoice, Phase
from courses.models import Course, Lesson, Module
from organizations.models import Membership, Organization
from organizations.selectors import unit_ids_in


def pre_form_of(*, learner, course: Course) -> Form:
    """The form a learner takes before the course: A when the sum of the learner's and the
    course's ids is even, B when it is odd. Deterministic (the same learner always gets
    the same form, with nothing stored), and balanced: learners are numbered one after
    the other, so within a course every second learner takes each form; the course's id
    shifts the pattern, so that the same person does not take form A in every course."""
    return Form.A if (learner.pk + course.pk) % 2 == 0 else Form.B


def form_for(*, learner, course: Course, phase: str, attempts: dict | None = None) -> Form:
    """The form of the check the learner takes in that phase: the pre form by
    `pre_form_of`; after the course, the other form than the one actually taken before
    (or, with no attempt before, the other of the one they would have had), so that
    nobody is measured twice on the same questions. `attempts` (phase -> Attempt, as
    `attempts_of` returns) spares a query when the caller has them."""
    if phase == Phase.PRE:
        return pre_form_of(learner=learner, course=course)
    if attempts is None:
        attempts = attempts_of(learner=learner, course=course)
    pre = attempts.get(Phase.PRE)
    taken = Form(pre.form) if pre is not None else pre_form_of(learner=learner, course=course)
    return taken.other


def attempts_of(*, learner, course: Course) -> dict[str, Attempt]:
    """{phase: the learner's attempt} for the course (one query)."""
    if not learner.is_authenticated:
        return {}
    return {
        attempt.phase: attempt for attempt in Attempt.objects.filter(learner=learner, course=course)
    }


def items_of(*, course: Course, form: str) -> QuerySet[Item]:
    """The form's items in order, each with its choices in order (two queries)."""
    return (
        Item.objects.filter(course=course, form=form)
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch("choices", queryset=ItemChoice.objects.order_by("position", "pk"))
        )
    )


def forms_with_items(*, course: Course) -> set[str]:
    """The forms of the course's check that have at least one item (one query)."""
    return set(Item.objects.filter(course=course).values_list("form", flat=True).distinct())


# --- the gain report ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class GainFigures:
    """The figures of one group; all None when `shown` is False (too few people)."""

    shown: bool
    people: int | None = None  # who took both checks
    before: float | None = None  # mean score before, percent
    after: float | None = None  # mean score after, percent
    gain: float | None = None  # mean normalised gain (None: nobody below 100 % before)
    gain_people: int | None = None  # how many people the mean gain is over


@dataclasses.dataclass(frozen=True)
class ModuleGain:
    module: Module
    figures: GainFigures


@dataclasses.dataclass(frozen=True)
class CourseGain:
    course: Course
    figures: GainFigures
    modules: list[ModuleGain]  # in the course's order; none when the course is hidden


def minimum_group() -> int:
    return settings.REPERE_MIN_REPORT_GROUP


def _figures(people, before, after, gain, gain_people, *, minimum: int) -> GainFigures:
    if people < minimum:
        return GainFigures(shown=False)
    return GainFigures(
        shown=True,
        people=int(people),
        before=float(before),
        after=float(after),
        gain=None if gain is None else float(gain),
        gain_people=int(gain_people or 0),
    )


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _score(right: str, items: str) -> str:
    """A percentage in SQL, in floating point on SQLite and PostgreSQL alike (0 of 0: 0)."""
    return (
        f"CASE WHEN {items} > 0 THEN CAST({right} AS DOUBLE PRECISION) * 100 / {items} ELSE 0 END"
    )


# The sums of one group over rows (pre_score, post_score, pre_perfect), as
# (people, mean before, mean after, mean gain, people in the mean gain).
_SUMS = (
    "COUNT(*), AVG(pre_score), AVG(post_score),"
    " AVG(CASE WHEN pre_perfect = 0 THEN (post_score - pre_score) / (100 - pre_score) END),"
    " SUM(CASE WHEN pre_perfect = 0 THEN 1 ELSE 0 END)"
)


def _pairs_sql(posts: QuerySet) -> tuple[str, list]:
    """The `pairs` CTE: one row per person with both checks of a course, whose check after
    is among `posts` (the scope: organization, dates)."""
    posts_sql, posts_params = posts.order_by().values("pk").query.sql_with_params()
    attempt = _table(Attempt)
    sql = (
        "WITH pairs AS (SELECT post.course_id AS course_id,"
        " pre.id AS pre_id, pre.form AS pre_form,"
        " pre.correct_count AS pre_right, pre.item_count AS pre_items,"
        " post.id AS post_id, post.form AS post_form,"
        " post.correct_count AS post_right, post.item_count AS post_items"
        f" FROM {attempt} post JOIN {attempt} pre ON pre.learner_id = post.learner_id"
        " AND pre.course_id = post.course_id AND pre.phase = %s"
        f" WHERE post.phase = %s AND post.id IN ({posts_sql}))"
    )
    return sql, [Phase.PRE, Phase.POST, *posts_params]


def _course_rows(posts: QuerySet) -> list[tuple]:
    pairs, params = _pairs_sql(posts)
    sql = (
        f"{pairs} SELECT course_id, {_SUMS} FROM (SELECT course_id,"
        f" {_score('pre_right', 'pre_items')} AS pre_score,"
        f" {_score('post_right', 'post_items')} AS post_score,"
        " CASE WHEN pre_items > 0 AND pre_right >= pre_items THEN 1 ELSE 0 END AS pre_perfect"
        " FROM pairs) scores GROUP BY course_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _module_rows(posts: QuerySet) -> list[tuple]:
    """(course id, module id, sums) per module that has items in both forms of a pair.

    Each pair's module scores come from one GROUP BY pair and module over four kinds of
    rows added together: the items of the form before in each module, those of the form
    after, and one row per right answer before and after (found from the pair's attempt
    ids through the answers' index). No table of grouped rights is joined to the pairs:
    with stale statistics (bulk writes before autovacuum) PostgreSQL loops over such a
    join pair by pair, minutes at 10,000 attempts; this shape stays linear whatever the
    plan. An item left blank has no answer row, a wrong answer adds nothing."""
    pairs, params = _pairs_sql(posts)
    item, lesson, answer = _table(Item), _table(Lesson), _table(Answer)

    def items_of(form: str, columns: str) -> str:
        return (
            f" SELECT p.course_id, p.pre_id AS pair, m.module_id, {columns}"
            f" FROM pairs p JOIN module_items m ON m.course_id = p.course_id AND m.form = {form}"
        )

    def rights_of(attempt: str, form: str, columns: str) -> str:
        return (
            f" SELECT p.course_id, p.pre_id AS pair, l.module_id, {columns}"
            f" FROM pairs p JOIN {answer} a ON a.attempt_id = {attempt}"
            f" JOIN {item} i ON i.id = a.item_id AND i.form = {form}"
            f" JOIN {lesson} l ON l.id = i.lesson_id WHERE a.is_correct"
        )

    sql = (
        f"{pairs}, module_items AS (SELECT i.course_id AS course_id, i.form AS form,"
        " l.module_id AS module_id, COUNT(*) AS items"
        f" FROM {item} i JOIN {lesson} l ON l.id = i.lesson_id"
        " WHERE i.course_id IN (SELECT course_id FROM pairs)"
        " GROUP BY i.course_id, i.form, l.module_id),"
        " parts (course_id, pair, module_id, pre_items, post_items, pre_right, post_right) AS ("
        + items_of("p.pre_form", "m.items, 0, 0, 0")
        + " UNION ALL"
        + items_of("p.post_form", "0, m.items, 0, 0")
        + " UNION ALL"
        + rights_of("p.pre_id", "p.pre_form", "0, 0, 1, 0")
        + " UNION ALL"
        + rights_of("p.post_id", "p.post_form", "0, 0, 0, 1")
        + "), pair_modules AS (SELECT course_id, module_id,"
        " SUM(pre_items) AS pre_items, SUM(post_items) AS post_items,"
        " SUM(pre_right) AS pre_right, SUM(post_right) AS post_right"
        " FROM parts GROUP BY course_id, pair, module_id"
        " HAVING SUM(pre_items) > 0 AND SUM(post_items) > 0)"
        f" SELECT course_id, module_id, {_SUMS} FROM (SELECT course_id, module_id,"
        " CAST(pre_right AS DOUBLE PRECISION) * 100 / pre_items AS pre_score,"
        " CAST(post_right AS DOUBLE PRECISION) * 100 / post_items AS post_score,"
        " CASE WHEN pre_right >= pre_items THEN 1 ELSE 0 END AS pre_perfect"
        " FROM pair_modules) scores"
        " GROUP BY course_id, module_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _gain_report(posts: QuerySet) -> list[CourseGain]:
    """Per course, the figures of the pairs whose check after is in `posts` (four
    queries), sorted by course title."""
    minimum = minimum_group()
    course_rows = _course_rows(posts)
    module_rows = _module_rows(posts)
    courses = Course.objects.in_bulk([row[0] for row in course_rows])
    modules = Module.objects.in_bulk([row[1] for row in module_rows])
    by_course: dict[int, list[ModuleGain]] = {}
    for course_id, module_id, *sums in module_rows:
        by_course.setdefault(course_id, []).append(
            ModuleGain(module=modules[module_id], figures=_figures(*sums, minimum=minimum))
        )
    reports = []
    for course_id, *sums in course_rows:
        figures = _figures(*sums, minimum=minimum)
        in_order = sorted(
            by_course.get(course_id, []), key=lambda row: (row.module.position, row.module.pk)
        )
        reports.append(
            CourseGain(
                course=courses[course_id],
                figures=figures,
                modules=in_order if figures.shown else [],
            )
        )
    return sorted(reports, key=lambda report: str(report.course.title))


def _posts(
    *,
    course: Course | None = None,
    organization: Organization | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet:
    posts = Attempt.objects.filter(phase=Phase.POST, learner__isnull=False)
    if course is not None:
        posts = posts.filter(course=course)
    if organization is not None:
        # Members only: a pending invitation is no Membership, and counts for nothing.
        # Those of the units below it too (a board's schools): the report rolls up.
        members = Membership.objects.filter(
            organization_id__in=unit_ids_in(organization), user_id=OuterRef("learner_id")
        )
        posts = posts.filter(Exists(members))
    if since is not None:
        posts = posts.filter(submitted_at__gte=_start_of(since))
    if until is not None:
        posts = posts.filter(submitted_at__lt=_start_of(until + datetime.timedelta(days=1)))
    return posts


def _released(posts: QuerySet, *, minimum: int) -> QuerySet:
    """The checks after among `posts` that make a pair (a check before exists), per
    course the earliest in whole groups of `minimum`: with 13 pairs and a minimum of 5,
    the first 10. A supervisor who reads the figures before and after one more person
    finishes then sees no change, and the change a whole new group brings mixes at least
    `minimum` people (the surveys' aggregates do the same)."""
    before = Attempt.objects.filter(
        phase=Phase.PRE, learner_id=OuterRef("learner_id"), course_id=OuterRef("course_id")
    )
    ranked = posts.filter(Exists(before)).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("course_id")],
            order_by=[F("submitted_at").asc(), F("pk").asc()],
        ),
        pairs=Window(Count("pk"), partition_by=[F("course_id")]),
    )
    # Fewer pairs than the minimum are all kept: the report then says that the group is
    # too small, and shows no figure of them.
    released = Case(
        When(pairs__lt=minimum, then=F("pairs")), default=F("pairs") / minimum * minimum
    )
    return Attempt.objects.filter(pk__in=ranked.filter(rank__lte=released).values("pk"))


def organization_gain_report(*, organization: Organization) -> list[CourseGain]:
    """For the organization's supervisors: per course, the gain of its members and those
    of every unit below it (four queries); a course or module with fewer than the
    minimum group has no figure, and the figures are over whole groups of the minimum
    (`_released`)."""
    return _gain_report(_released(_posts(organization=organization), minimum=minimum_group()))


def course_gain_report(
    *,
    course: Course,
    organization: Organization | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> CourseGain:
    """For administrators: the course's gain, of everyone or of one organization's
    members, for the checks after submitted in the date range (both ends included, in
    the site's time zone); the same minimum group (four queries at most)."""
    reports = _gain_report(
        _posts(course=course, organization=organization, since=since, until=until)
    )
    if reports:
        return reports[0]
    return CourseGain(course=course, figures=GainFigures(shown=False), modules=[])


def courses_with_attempts() -> QuerySet[Course]:
    """The courses that have knowledge check attempts, with their number (one query)."""
    return (
        Course.objects.annotate(attempt_count=Count("assessment_attempts"))
        .filter(attempt_count__gt=0)
        .order_by("slug")
    )


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
