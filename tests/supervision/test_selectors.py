import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from certificates.models import Certificate
from certificates.models import Status as CertificateStatus
from courses.models import Enrollment, LessonProgress
from quizzes.models import Attempt, Quiz
from supervision import selectors
from supervision.selectors import Status
from supervision.selectors import dashboard as dashboard_selectors
from tests.certificates.factories import CertificateFactory
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory
from tests.organizations.factories import (
    AssignmentFactory,
    MembershipFactory,
    OrganizationFactory,
    staff_of,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("both_read_paths")]

TODAY = datetime.date(2025, 6, 15)


def lessons_of(course):
    return [lesson for module in course.modules.all() for lesson in module.lessons.all()]


def certificate(learner, course, *, expires_on, revoked=False, issued_days_ago=10):
    enrollment = Enrollment.objects.get(learner=learner, course=course)
    issued_at = timezone.now() - datetime.timedelta(days=issued_days_ago)
    return Certificate.objects.create(
        holder=learner,
        course=course,
        enrollment=enrollment,
        cycle=Certificate.objects.filter(enrollment=enrollment).count() + 1,
        code=f"TEST{Certificate.objects.count():012d}",
        holder_name=learner.full_name,
        content_version=1,
        completed_at=issued_at,
        issued_at=issued_at,
        expires_on=expires_on,
        revoked_at=timezone.now() if revoked else None,
        revoked_reason="Erreur" if revoked else "",
    )


def row_for(organization, learner, course=None, today=TODAY):
    rows = selectors.dashboard_rows(organization=organization, today=today)
    matching = [r for r in rows if r["learner_id"] == learner.pk]
    if course is not None:
        matching = [r for r in matching if r["course_id"] == course.pk]
    assert len(matching) == 1
    return {**matching[0], "status": Status.at(matching[0]["status_rank"])}


@pytest.fixture
def course():
    return CourseFactory(lessons=4)


# Members of the organization since well before any training in these tests.
JOINED = timezone.now() - datetime.timedelta(days=1000)


def assigned(org, course, due_on=None, joined=JOINED, **learner_kwargs):
    learner = MembershipFactory(
        organization=org, created_at=joined, **{f"user__{k}": v for k, v in learner_kwargs.items()}
    ).user
    AssignmentFactory(organization=org, learner=learner, course=course, due_on=due_on)
    return learner


# --- statuses ------------------------------------------------------------------------------


def test_assigned_but_never_opened_is_not_started(org, course):
    learner = assigned(org, course)
    row = row_for(org, learner)
    assert row["status"] == Status.NOT_STARTED
    assert row["progress"] == 0
    assert row["last_activity_at"] is None


def test_some_lessons_done_is_in_progress_with_the_percentage(org, course):
    learner = assigned(org, course)
    EnrollmentFactory(learner=learner, course=course, last_activity_at=timezone.now())
    for lesson in lessons_of(course)[:3]:
        LessonProgress.objects.create(learner=learner, lesson=lesson)
    row = row_for(org, learner)
    assert row["status"] == Status.IN_PROGRESS
    assert row["progress"] == 75
    assert row["last_activity_at"] is not None


def test_completed_course_shows_its_completion_date(org, course):
    learner = assigned(org, course, due_on=TODAY - datetime.timedelta(days=3))
    done = timezone.now() - datetime.timedelta(days=5)
    EnrollmentFactory(learner=learner, course=course, completed_at=done)
    row = row_for(org, learner)
    assert (
        Status.at(row["status_rank"]) == Status.COMPLETED
    )  # finished: a past due date no longer matters
    assert row["progress"] == 100
    assert row["completed_at"] == done


def test_unfinished_after_the_due_date_is_overdue(org, course):
    learner = assigned(org, course, due_on=TODAY - datetime.timedelta(days=1))
    EnrollmentFactory(learner=learner, course=course)
    LessonProgress.objects.create(learner=learner, lesson=lessons_of(course)[0])
    assert row_for(org, learner)["status"] == Status.OVERDUE


def test_due_today_is_not_yet_overdue(org, course):
    learner = assigned(org, course, due_on=TODAY)
    assert row_for(org, learner)["status"] == Status.NOT_STARTED


def test_certificate_expiring_within_thirty_days(org, course):
    learner = assigned(org, course)
    EnrollmentFactory(learner=learner, course=course, completed_at=timezone.now())
    certificate(learner, course, expires_on=TODAY + datetime.timedelta(days=30))
    row = row_for(org, learner)
    assert row["status"] == Status.EXPIRING
    assert row["certificate_expires_on"] == TODAY + datetime.timedelta(days=30)


def test_certificate_expiring_in_thirty_one_days_is_just_completed(org, course):
    learner = assigned(org, course)
    EnrollmentFactory(learner=learner, course=course, completed_at=timezone.now())
    certificate(learner, course, expires_on=TODAY + datetime.timedelta(days=31))
    assert row_for(org, learner)["status"] == Status.COMPLETED


def test_certificate_past_its_date_is_expired(org, course):
    learner = assigned(org, course)
    EnrollmentFactory(learner=learner, course=course, completed_at=timezone.now())
    certificate(learner, course, expires_on=TODAY - datetime.timedelta(days=1))
    assert row_for(org, learner)["status"] == Status.EXPIRED


def test_a_revoked_certificate_does_not_count(org, course):
    learner = assigned(org, course)
    EnrollmentFactory(learner=learner, course=course, completed_at=timezone.now())
    certificate(learner, course, expires_on=TODAY + datetime.timedelta(days=300), issued_days_ago=1)
    certificate(learner, course, expires_on=TODAY + datetime.timedelta(days=5), revoked=True)
    # The latest one is revoked: the valid one decides.
    row = row_for(org, learner)
    assert row["status"] == Status.COMPLETED
    assert row["certificate_expires_on"] == TODAY + datetime.timedelta(days=300)


def test_the_latest_certificate_decides_after_a_renewal(org, course):
    learner = assigned(org, course)
    EnrollmentFactory(learner=learner, course=course, completed_at=timezone.now(), cycle=2)
    certificate(
        learner, course, expires_on=TODAY - datetime.timedelta(days=20), issued_days_ago=400
    )
    certificate(
        learner, course, expires_on=TODAY + datetime.timedelta(days=340), issued_days_ago=20
    )
    assert row_for(org, learner)["status"] == Status.COMPLETED


def test_renewal_started_after_expiry_still_shows_the_certificate_expired(org, course):
    learner = assigned(org, course)
    EnrollmentFactory(learner=learner, course=course, completed_at=timezone.now())
    certificate(learner, course, expires_on=TODAY - datetime.timedelta(days=2))
    Enrollment.objects.filter(learner=learner).update(completed_at=None, cycle=2)
    LessonProgress.objects.create(learner=learner, lesson=lessons_of(course)[0])
    row = row_for(org, learner)
    assert row["status"] == Status.EXPIRED
    assert row["progress"] == 25


def test_overdue_wins_over_an_expired_certificate(org, course):
    """Overdue comes first: someone late on a renewal whose certificate has expired needs
    the same action as anyone late, and is reminded of it."""
    learner = assigned(org, course, due_on=TODAY - datetime.timedelta(days=1))
    EnrollmentFactory(learner=learner, course=course, completed_at=None, cycle=2)
    certificate(learner, course, expires_on=TODAY - datetime.timedelta(days=2))
    row = row_for(org, learner)
    assert row["status"] == Status.OVERDUE
    assert row["certificate_expires_on"] == TODAY - datetime.timedelta(days=2)


def test_best_quiz_score_is_the_highest_submitted_attempt_of_the_course(org, course):
    learner = assigned(org, course)
    EnrollmentFactory(learner=learner, course=course)
    module = course.modules.first()
    quiz = Quiz.objects.create(module=module)
    now = timezone.now()
    Attempt.objects.create(
        learner=learner, quiz=quiz, number=1, submitted_at=now, score=60, passed=False
    )
    Attempt.objects.create(
        learner=learner, quiz=quiz, number=2, submitted_at=now, score=85, passed=True
    )
    Attempt.objects.create(learner=learner, quiz=quiz, number=3)  # open, not graded
    other_course = CourseFactory(lessons=1)
    other_quiz = Quiz.objects.create(module=other_course.modules.first())
    Attempt.objects.create(
        learner=learner, quiz=other_quiz, submitted_at=now, score=100, passed=True
    )
    assert row_for(org, learner)["best_score"] == 85


# --- progress counts every requirement (lessons and quizzes) ----------------------------------


def _attempt(learner, quiz, *, passed, cycle=1, at=None, number=None):
    return Attempt.objects.create(
        learner=learner,
        quiz=quiz,
        cycle=cycle,
        number=number
        or Attempt.objects.filter(learner=learner, quiz=quiz, cycle=cycle).count() + 1,
        submitted_at=at or timezone.now(),
        score=90 if passed else 40,
        passed=passed,
    )


@pytest.fixture
def quizzed():
    """Six lessons in two modules, each module with its quiz: eight requirements."""
    course = CourseFactory(lessons=6)
    quizzes = [Quiz.objects.create(module=module) for module in course.modules.all()]
    return course, quizzes


def test_every_lesson_done_but_no_quiz_passed_is_not_100(org, quizzed):
    """The issue's case: all the lessons done, no quiz passed, is in progress at 6 of 8."""
    course, quizzes = quizzed
    learner = assigned(org, course)
    EnrollmentFactory(learner=learner, course=course)
    for lesson in lessons_of(course):
        LessonProgress.objects.create(learner=learner, lesson=lesson)
    _attempt(learner, quizzes[0], passed=False)
    row = row_for(org, learner)
    assert row["status"] == Status.IN_PROGRESS
    assert row["progress"] == 75  # 6 of 8
    assert selectors.row_cells(row)[4] == "75"
    counts = selectors.assignment_rows(today=TODAY).values(
        "lesson_count", "requirement_count", "done_count", "passed_count"
    )
    assert list(counts) == [
        {"lesson_count": 6, "requirement_count": 8, "done_count": 6, "passed_count": 0}
    ]


def test_a_quiz_passed_since_joining_in_the_current_cycle_is_a_requirement_met(org, quizzed):
    """Passed twice counts once; failed, from an earlier cycle or from before joining,
    not at all."""
    course, quizzes = quizzed
    joined = timezone.now() - datetime.timedelta(days=10)
    learner = assigned(org, course, joined=joined)
    EnrollmentFactory(learner=learner, course=course, cycle=2)
    LessonProgress.objects.create(learner=learner, lesson=lessons_of(course)[0])
    _attempt(learner, quizzes[0], passed=True, cycle=2)
    _attempt(learner, quizzes[0], passed=True, cycle=2)
    _attempt(learner, quizzes[1], passed=False, cycle=2)
    _attempt(learner, quizzes[1], passed=True, cycle=1)
    _attempt(learner, quizzes[1], passed=True, cycle=2, at=joined - datetime.timedelta(days=1))
    assert row_for(org, learner)["progress"] == 25  # a lesson and a quiz: 2 of 8


def test_a_quiz_passed_without_a_lesson_done_is_in_progress(org, quizzed):
    course, quizzes = quizzed
    learner = assigned(org, course)
    EnrollmentFactory(learner=learner, course=course)
    _attempt(learner, quizzes[1], passed=True)
    row = row_for(org, learner)
    assert row["status"] == Status.IN_PROGRESS
    assert row["progress"] == 12  # 1 of 8


def test_every_requirement_met_shows_100_only_once_completed(org, quizzed):
    course, quizzes = quizzed
    learner = assigned(org, course)
    enrollment = EnrollmentFactory(learner=learner, course=course)
    for lesson in lessons_of(course):
        LessonProgress.objects.create(learner=learner, lesson=lesson)
    for quiz in quizzes:
        _attempt(learner, quiz, passed=True)
    # Met, but not recorded as completed (a quiz added since, say): not 100 yet.
    assert row_for(org, learner)["progress"] == 99
    Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=timezone.now())
    assert row_for(org, learner)["progress"] == 100


def test_the_export_counts_every_requirement_too(org, quizzed):
    course, quizzes = quizzed
    learner = assigned(org, course)
    EnrollmentFactory(learner=learner, course=course)
    for lesson in lessons_of(course)[:2]:
        LessonProgress.objects.create(learner=learner, lesson=lesson)
    _attempt(learner, quizzes[0], passed=True)
    (row,) = selectors.dashboard_export_rows(organization=org, today=TODAY)
    assert row["progress"] == 37  # 3 of 8, the same as the page
    assert row["progress"] == row_for(org, learner)["progress"]


def test_no_submitted_attempt_means_no_score(org, course):
    learner = assigned(org, course)
    assert row_for(org, learner)["best_score"] is None


def test_someone_who_left_the_organization_disappears_from_its_dashboard(org, course):
    learner = assigned(org, course)
    learner.memberships.all().delete()
    assert list(selectors.dashboard_rows(organization=org, today=TODAY)) == []


def test_each_organization_sees_only_its_own_rows(org, course):
    learner = assigned(org, course)
    other = OrganizationFactory()
    assigned(other, course)
    rows = list(selectors.dashboard_rows(organization=org, today=TODAY))
    assert [row["learner_id"] for row in rows] == [learner.pk]


# --- filters, search, sort, totals ------------------------------------------------------------


@pytest.fixture
def mixed(org, course):
    """Four people at four different stages of the same course."""
    yesterday = TODAY - datetime.timedelta(days=1)
    people = {
        "not_started": assigned(
            org, course, full_name="Alice Arsenault", email="alice@example.org"
        ),
        "in_progress": assigned(org, course, full_name="Bruno Bélanger", email="bruno@example.org"),
        "completed": assigned(org, course, full_name="Chloé Côté", email="chloe@example.org"),
        "overdue": assigned(
            org, course, due_on=yesterday, full_name="Dany Dubé", email="dany@example.org"
        ),
    }
    EnrollmentFactory(learner=people["in_progress"], course=course)
    LessonProgress.objects.create(learner=people["in_progress"], lesson=lessons_of(course)[0])
    EnrollmentFactory(learner=people["completed"], course=course, completed_at=timezone.now())
    return people


def names(rows):
    return [row["learner_name"] for row in rows]


def test_filtering_by_status(org, mixed):
    rows = selectors.dashboard_rows(organization=org, status=Status.OVERDUE, today=TODAY)
    assert names(rows) == ["Dany Dubé"]


def test_filtering_by_course(org, course, mixed):
    other = CourseFactory(lessons=1)
    AssignmentFactory(organization=org, learner=mixed["completed"], course=other)
    rows = selectors.dashboard_rows(organization=org, course=other, today=TODAY)
    assert [(r["learner_name"], r["course_id"]) for r in rows] == [("Chloé Côté", other.pk)]


@pytest.mark.parametrize("search", ["bruno", "BÉLANGER", "bruno@example"])
def test_searching_by_name_or_email(org, mixed, search):
    rows = selectors.dashboard_rows(organization=org, search=search, today=TODAY)
    assert names(rows) == ["Bruno Bélanger"]


def test_default_sort_puts_what_needs_action_first(org, mixed):
    rows = selectors.dashboard_rows(organization=org, today=TODAY)
    assert [Status.at(row["status_rank"]) for row in rows] == [
        Status.OVERDUE,
        Status.NOT_STARTED,
        Status.IN_PROGRESS,
        Status.COMPLETED,
    ]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Alice Arsenault", "Bruno Bélanger", "Chloé Côté", "Dany Dubé"]),
        ("-name", ["Dany Dubé", "Chloé Côté", "Bruno Bélanger", "Alice Arsenault"]),
        ("-progress", ["Chloé Côté", "Bruno Bélanger", "Alice Arsenault", "Dany Dubé"]),
        ("due", ["Dany Dubé", "Alice Arsenault", "Bruno Bélanger", "Chloé Côté"]),
        ("-completed", ["Chloé Côté", "Alice Arsenault", "Bruno Bélanger", "Dany Dubé"]),
    ],
)
def test_sorting_by_a_column_keeps_empty_values_last(org, mixed, sort, expected):
    assert names(selectors.dashboard_rows(organization=org, sort=sort, today=TODAY)) == expected


# Code points put the accented and lower-case names last; a French reader does not.
FRENCH_ORDER = ["Aubé, Éric", "élodie Martin", "Éloïse Côté", "Emma Roy", "Thomas Nguyen"]


def test_sorting_by_name_is_as_a_french_reader_expects(org, course):
    for name in reversed(FRENCH_ORDER):
        assigned(org, course, full_name=name)
    for sort, expected in [("name", FRENCH_ORDER), ("-name", FRENCH_ORDER[::-1])]:
        rows = selectors.dashboard_rows(organization=org, sort=sort, today=TODAY)
        assert [row["learner_name"] for row in rows] == expected, sort
    # Ties of another sort (all not started here) are in the same order.
    rows = selectors.dashboard_rows(organization=org, sort="status", today=TODAY)
    assert [row["learner_name"] for row in rows] == FRENCH_ORDER


def test_an_unknown_sort_falls_back_to_the_default(org, mixed):
    rows = selectors.dashboard_rows(organization=org, sort="password; DROP", today=TODAY)
    assert names(rows)[0] == "Dany Dubé"


def _page_as_two_statements(org, filters, number, size):
    """The page and totals read the plain way: the totals, then a slice of the rows."""
    totals = selectors.dashboard_totals(organization=org, course=filters["course"])
    rows = selectors.dashboard_rows(organization=org, **filters)
    return totals, list(rows[(number - 1) * size : number * size])


@pytest.mark.parametrize("sort", [key for key, _label in selectors.SORT_CHOICES])
def test_the_unfiltered_page_and_its_totals_from_one_statement_are_the_plain_ones(
    monkeypatch, org, course, mixed, sort
):
    """Without a status or a search, one statement counts the statuses and picks the
    page's rows: the same totals and rows, in the same order, on every page."""
    monkeypatch.setattr(dashboard_selectors, "PAGE_SIZE", 3)
    for name in FRENCH_ORDER:  # ties on status, and names that code points misplace
        assigned(org, course, full_name=name)
    filters = {"course": None, "status": "", "search": "", "sort": sort}
    for number in (1, 2, 3):
        shown = selectors.dashboard_page(organization=org, filters=filters, page_number=number)
        totals, rows = _page_as_two_statements(org, filters, number, 3)
        assert shown["totals"] == totals
        assert list(shown["page"].object_list) == rows, (sort, number)
        assert shown["page"].paginator.num_pages == 3


@pytest.mark.parametrize("sort", ["status", "name"])
def test_a_page_past_the_end_or_not_a_number_is_read_as_the_paginator_reads_it(
    monkeypatch, org, mixed, sort
):
    monkeypatch.setattr(dashboard_selectors, "PAGE_SIZE", 3)
    filters = {"course": None, "status": "", "search": "", "sort": sort}
    for asked, number in [(99, 2), ("x", 1), (-4, 2), (0, 2), (None, 1), ("2", 2)]:
        shown = selectors.dashboard_page(organization=org, filters=filters, page_number=asked)
        assert shown["page"].number == number, asked
        assert shown["totals"].total == 4
        _totals, rows = _page_as_two_statements(org, filters, number, 3)
        assert list(shown["page"].object_list) == rows


def test_totals_count_each_status_and_the_completion_rate(org, mixed):
    totals = selectors.dashboard_totals(organization=org, today=TODAY)
    counts = {item.status: item.count for item in totals.by_status}
    assert totals.total == 4
    assert counts == {
        Status.OVERDUE: 1,
        Status.EXPIRED: 0,
        Status.EXPIRING: 0,
        Status.NOT_STARTED: 1,
        Status.IN_PROGRESS: 1,
        Status.COMPLETED: 1,
    }
    assert totals.completion_rate == 25


def test_course_title_follows_the_language_with_french_fallback(org):
    course = CourseFactory(title_fr="Reconnaître", title_en="", lessons=1)
    assigned(org, course)
    with translation.override("en"):
        (row,) = selectors.dashboard_rows(organization=org, today=TODAY)
    assert row["course_title"] == "Reconnaître"
    course.title_en = "Recognising"
    course.save()
    with translation.override("en"):
        (row,) = selectors.dashboard_rows(organization=org, today=TODAY)
    assert row["course_title"] == "Recognising"


def test_cells_show_dates_in_iso_and_empty_values_as_blanks(org, course):
    learner = assigned(
        org, course, due_on=datetime.date(2025, 7, 1), full_name="Éloïse", email="e@example.org"
    )
    (row,) = selectors.dashboard_rows(organization=org, today=TODAY)
    with translation.override("fr"):
        cells = selectors.row_cells(row)
    assert cells == [
        "Éloïse",
        "e@example.org",
        course.title_fr,
        "Pas commencé",
        "0",
        "2025-07-01",
        "",
        "",
        "",
        "",
    ]
    assert learner.pk == row["learner_id"]


def _populate(org, course, n):
    for _index in range(n):
        learner = staff_of(org)
        AssignmentFactory(organization=org, learner=learner, course=course)


def test_dashboard_selectors_run_the_same_queries_for_10_or_200_staff(org, course):
    # The selectors' own module: the summary's run reads the rows the factories kept,
    # with no repair first (see both_read_paths).
    def run():
        with CaptureQueriesContext(connection) as queries:
            list(dashboard_selectors.dashboard_rows(organization=org, today=TODAY)[:50])
            dashboard_selectors.dashboard_totals(organization=org, today=TODAY)
        return len(queries)

    _populate(org, course, 10)
    small = run()
    _populate(org, course, 190)
    assert run() == small == 2


def test_nothing_from_before_the_person_joined_reaches_the_dashboard(org, course):
    """Progress, completion, activity, scores and certificates from before the learner
    joined stay theirs: the organization sees its assignment as not started."""
    earlier = timezone.now() - datetime.timedelta(days=60)
    learner = UserFactory()
    enrollment = EnrollmentFactory(
        learner=learner, course=course, completed_at=earlier, last_activity_at=earlier
    )
    progress = LessonProgress.objects.create(learner=learner, lesson=lessons_of(course)[0])
    LessonProgress.objects.filter(pk=progress.pk).update(completed_at=earlier)
    CertificateFactory(enrollment=enrollment, issued_at=earlier)
    MembershipFactory(user=learner, organization=org)  # joins now
    AssignmentFactory(organization=org, learner=learner, course=course)
    row = row_for(org, learner)
    assert row["status"] == Status.NOT_STARTED
    assert row["progress"] == 0
    assert row["completed_at"] is None
    assert row["last_activity_at"] is None
    assert row["certificate_expires_on"] is None


@pytest.mark.parametrize("days", [30, 5])
def test_assignment_statuses_follow_the_certificates_own_rule(settings, org, days):
    """The dashboard says expired or expiring exactly when the certificate says so."""
    settings.REPERE_CERTIFICATE_EXPIRING_DAYS = days
    as_assignment = {
        CertificateStatus.EXPIRED: Status.EXPIRED,
        CertificateStatus.EXPIRING: Status.EXPIRING,
        CertificateStatus.VALID: Status.COMPLETED,
    }
    for offset in (-1, 0, days - 1, days, days + 1):
        course = CourseFactory(lessons=1)
        learner = assigned(org, course)
        EnrollmentFactory(learner=learner, course=course, completed_at=timezone.now())
        issued = certificate(learner, course, expires_on=TODAY + datetime.timedelta(days=offset))
        assert row_for(org, learner, course)["status"] == as_assignment[issued.status(TODAY)]
