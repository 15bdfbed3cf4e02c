"""The maintained summary (supervision.summary) never disagrees with the live query
(statuses.assignment_rows): random histories written through the services, then every
row compared; the dashboard reads the same page and totals from either."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from certificates import services as certificate_services
from certificates.models import Certificate
from courses import services as course_services
from courses.models import Enrollment, Lesson
from organizations.models import Assignment, Membership
from organizations.services import assignments as assignment_services
from organizations.services import memberships as membership_services
from quizzes import services as quiz_services
from supervision import selectors, summary
from supervision.models import AssignmentSummary
from tests.factories import CourseFactory, ModuleFactory, UserFactory
from tests.organizations.factories import MembershipFactory
from tests.quizzes.factories import answers_for, quiz_with_questions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _summary_on(settings):
    """The summary is kept (and read) only while REPERE_DASHBOARD_SUMMARY is on."""
    settings.REPERE_DASHBOARD_SUMMARY = True


PEOPLE = 3
person = st.integers(min_value=0, max_value=PEOPLE - 1)
course_index = st.integers(min_value=0, max_value=1)
due_in = st.none() | st.integers(min_value=-3, max_value=3)
action = st.one_of(
    st.tuples(st.just("assign"), person, course_index, due_in),
    st.tuples(st.just("enroll"), person, course_index),
    st.tuples(st.just("lesson"), person, course_index, st.integers(0, 2)),
    st.tuples(st.just("quiz"), person, st.booleans()),
    st.tuples(st.just("complete"), person, course_index),
    st.tuples(st.just("revoke"), person),
    st.tuples(st.just("restart"), person, course_index),
    st.tuples(st.just("due"), person, course_index, due_in),
    st.tuples(st.just("leave"), person),
    st.tuples(st.just("rejoin"), person),
)


def _setup():
    org_supervisor = UserFactory()
    first = CourseFactory(lessons=2)
    quiz = quiz_with_questions(2, module=ModuleFactory(course=first, position=5), pass_mark=100)
    second = CourseFactory(lessons=1)
    org = MembershipFactory(user=org_supervisor, role=Membership.Role.SUPERVISOR).organization
    people = [UserFactory() for _ in range(PEOPLE)]
    for learner in people:
        Membership.objects.create(user=learner, organization=org)
    return org, org_supervisor, [first, second], quiz, people


def _play(step, *, org, supervisor, courses, quiz, people):
    kind, who, *rest = step
    learner = people[who]
    today = timezone.localdate()
    if kind == "assign":
        course, days = courses[rest[0]], rest[1]
        assignment_services.assignments_create(
            organization=org,
            course=course,
            learners=User.objects.filter(pk=learner.pk),
            due_on=None if days is None else today + datetime.timedelta(days=days),
            assigned_by=supervisor,
            notify=False,
        )
    elif kind == "enroll":
        course_services.enrollment_create(learner=learner, course=courses[rest[0]])
    elif kind == "lesson":
        lessons = list(Lesson.objects.filter(module__course=courses[rest[0]]).order_by("pk"))
        course_services.lesson_mark_done(learner=learner, lesson=lessons[rest[1] % len(lessons)])
    elif kind == "quiz":
        attempt = quiz_services.attempt_start(learner=learner, quiz=quiz)
        quiz_services.attempt_submit(attempt=attempt, answers=answers_for(attempt, right=rest[0]))
    elif kind == "complete":
        for lesson in Lesson.objects.filter(module__course=courses[rest[0]]):
            course_services.lesson_mark_done(learner=learner, lesson=lesson)
    elif kind == "revoke":
        certificate = Certificate.objects.filter(holder=learner, revoked_at=None).last()
        if certificate is not None:
            certificate_services.certificate_revoke(
                certificate=certificate, by=supervisor, reason="Test"
            )
    elif kind == "restart":
        enrollment = Enrollment.objects.filter(learner=learner, course=courses[rest[0]]).first()
        if enrollment is not None:
            course_services.enrollment_restart(enrollment=enrollment)
    elif kind == "due":
        days = rest[1]
        assignment = Assignment.objects.filter(learner=learner, course=courses[rest[0]]).first()
        if assignment is not None:
            assignment_services.assignment_change_due_date(
                assignment=assignment,
                due_on=None if days is None else today + datetime.timedelta(days=days),
                by=supervisor,
            )
    elif kind == "leave":
        membership = Membership.objects.filter(user=learner, organization=org).first()
        if membership is not None:
            membership_services.membership_end(membership=membership, by=learner)
    elif kind == "rejoin" and not Membership.objects.filter(user=learner, organization=org):
        # As member_add and invitation_accept write it.
        Membership.objects.create(user=learner, organization=org)


def _dashboard(org, today):
    rows = list(selectors.dashboard_rows(organization=org, today=today))
    totals = selectors.dashboard_totals(organization=org, today=today)
    certificates = list(selectors.dashboard_certificates(organization=org, today=today))
    return rows, [(t.status, t.count) for t in totals.by_status], certificates


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=st.lists(action, min_size=1, max_size=25))
def test_the_summary_agrees_with_the_live_query_after_any_history(history, settings):
    with transaction.atomic():
        org, supervisor, courses, quiz, people = _setup()
        # Most histories begin so: everyone assigned and enrolled (random steps alone
        # rarely reach a quiz).
        start = [("assign", 0, 0, None), ("enroll", 0, 0), ("enroll", 1, 0), ("assign", 1, 0, 1)]
        for step in [*start, *history]:
            try:
                with transaction.atomic():
                    _play(step, org=org, supervisor=supervisor, courses=courses, quiz=quiz,
                          people=people)  # fmt: skip
            except ValidationError:
                pass  # refused by the service (not enrolled, past the limit, …): no change
        assert summary.summary_mismatches() == []
        today = timezone.localdate()
        for day in (today, today + datetime.timedelta(days=400)):
            settings.REPERE_DASHBOARD_SUMMARY = False
            live = _dashboard(org, day)
            settings.REPERE_DASHBOARD_SUMMARY = True
            assert _dashboard(org, day) == live
        transaction.set_rollback(True)


def test_with_the_summary_off_writes_do_not_maintain_it(org, supervisor, settings):
    """Off (the default until the dashboard reads it), a write costs nothing more."""
    settings.REPERE_DASHBOARD_SUMMARY = False
    course = CourseFactory(lessons=1)
    learner = UserFactory()
    MembershipFactory(user=learner, organization=org)
    assignment_services.assignments_create(
        organization=org,
        course=course,
        learners=User.objects.filter(pk=learner.pk),
        due_on=None,
        assigned_by=supervisor,
        notify=False,
    )
    assert Assignment.objects.filter(learner=learner).exists()
    assert not AssignmentSummary.objects.filter(learner=learner).exists()


def test_one_refresh_is_one_statement(django_assert_num_queries, org):
    learner = UserFactory()
    MembershipFactory(user=learner, organization=org)
    with django_assert_num_queries(1):
        summary.summary_refresh(learner_ids=[learner.pk])


def test_a_lesson_added_to_a_course_lowers_everyones_progress(org, supervisor):
    course = CourseFactory(lessons=2)
    learner = UserFactory()
    MembershipFactory(user=learner, organization=org)
    assignment_services.assignments_create(
        organization=org, course=course, learners=User.objects.filter(pk=learner.pk),
        due_on=None, assigned_by=supervisor, notify=False,
    )  # fmt: skip
    course_services.lesson_mark_done(learner=learner, lesson=Lesson.objects.filter(
        module__course=course).first())  # fmt: skip
    assert AssignmentSummary.objects.get().progress == 50
    Lesson.objects.create(module=course.modules.first(), title_fr="Nouvelle", position=9)
    assert AssignmentSummary.objects.get().progress == 33
    assert summary.summary_mismatches() == []


def test_check_summary_reports_and_repairs_a_row_that_drifted(org, supervisor, capsys):
    course = CourseFactory(lessons=1)
    learner = UserFactory()
    MembershipFactory(user=learner, organization=org)
    assignment_services.assignments_create(
        organization=org, course=course, learners=User.objects.filter(pk=learner.pk),
        due_on=None, assigned_by=supervisor, notify=False,
    )  # fmt: skip
    AssignmentSummary.objects.update(lessons_done=7)
    with pytest.raises(SystemExit):
        call_command("check_summary")
    assert "lessons_done" in capsys.readouterr().err
    call_command("check_summary", "--repair")
    assert AssignmentSummary.objects.get().lessons_done == 0
    call_command("check_summary")  # agrees now: no error


def test_bulk_assignment_summarizes_every_row(org, supervisor):
    course = CourseFactory(lessons=1)
    people = [UserFactory() for _ in range(5)]
    for learner in people:
        MembershipFactory(user=learner, organization=org)
    assignment_services.assignments_create(
        organization=org,
        course=course,
        learners=User.objects.filter(pk__in=[p.pk for p in people]),
        due_on=None,
        assigned_by=supervisor,
        notify=False,
    )
    assert AssignmentSummary.objects.filter(joined_at__isnull=False).count() == 5
    assert summary.summary_mismatches() == []


def _assign_to(org, supervisor, count):
    course = CourseFactory(lessons=1)
    people = [UserFactory() for _ in range(count)]
    for learner in people:
        MembershipFactory(user=learner, organization=org)
    assignment_services.assignments_create(
        organization=org,
        course=course,
        learners=User.objects.filter(pk__in=[p.pk for p in people]),
        due_on=None,
        assigned_by=supervisor,
        notify=False,
    )


@pytest.mark.postgres
def test_on_postgresql_a_bulk_refresh_gathers_fresh_statistics(
    org, supervisor, monkeypatch, django_assert_num_queries
):
    """Past ANALYZE_AFTER_ROWS rows, the refresh analyzes the tables the bulk write grew,
    in its transaction (with the statistics of empty tables PostgreSQL would scan them
    once per row); one person's refresh does not."""
    monkeypatch.setattr(summary, "ANALYZE_AFTER_ROWS", 3)
    with CaptureQueriesContext(connection) as bulk:
        _assign_to(org, supervisor, 3)
    assert any(q["sql"].startswith("ANALYZE") for q in bulk.captured_queries)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE relname = %s",
            [AssignmentSummary._meta.db_table],
        )
        assert cursor.fetchone()[0] >= 3  # the transaction's own rows were sampled
    with CaptureQueriesContext(connection) as one:
        _assign_to(org, supervisor, 2)
    assert not any(q["sql"].startswith("ANALYZE") for q in one.captured_queries)
    assert summary.summary_mismatches() == []


def test_on_sqlite_no_refresh_analyzes(org, supervisor, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's planner reads no statistics unless asked")
    monkeypatch.setattr(summary, "ANALYZE_AFTER_ROWS", 1)
    with CaptureQueriesContext(connection) as queries:
        _assign_to(org, supervisor, 3)
    assert not any("ANALYZE" in q["sql"] for q in queries.captured_queries)


def test_migrate_summarizes_the_assignments_written_while_the_summary_was_off(
    org, supervisor, settings
):
    """A database upgraded to the summary (or run with it off) gets its missing rows from
    `migrate`, which every deployment and `make run` call."""
    settings.REPERE_DASHBOARD_SUMMARY = False
    _assign_to(org, supervisor, 2)
    assert not AssignmentSummary.objects.exists()
    settings.REPERE_DASHBOARD_SUMMARY = True
    call_command("migrate", verbosity=0)
    assert AssignmentSummary.objects.count() == 2
    assert summary.summary_mismatches() == []
