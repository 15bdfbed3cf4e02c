"""The dashboard's queries against a plain Python reading of the same random histories:
same rows, same values, same totals, whatever happened before or after each person
joined the organization."""

import collections
import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certificates.status import expiring_days
from courses.models import LessonProgress
from quizzes.models import Attempt, Quiz
from supervision import selectors
from supervision.selectors import Status
from tests.certificates.factories import CertificateFactory
from tests.factories import CourseFactory, EnrollmentFactory, UserFactory
from tests.organizations.factories import AssignmentFactory, MembershipFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("both_read_paths")]

LESSONS = (3, 2)  # lessons of each of the two courses
days = st.integers(min_value=0, max_value=60)  # how many days ago something happened
maybe_days = st.none() | days
course_history = st.fixed_dictionaries(
    {
        "due_in": st.none() | st.integers(min_value=-5, max_value=5),
        "enrolled": st.booleans(),
        "completed": maybe_days,
        "activity": maybe_days,
        "lessons": st.lists(maybe_days, min_size=3, max_size=3),
        "attempts": st.lists(st.tuples(maybe_days, st.integers(0, 100)), max_size=3),
        "certificates": st.lists(
            st.tuples(days, st.integers(min_value=-40, max_value=60), st.booleans()),
            max_size=2,
        ),
    }
)
person = st.fixed_dictionaries(
    {"joined": days, "courses": st.lists(st.none() | course_history, min_size=2, max_size=2)}
)


def _ago(now, value):
    return None if value is None else now - datetime.timedelta(days=value, hours=1)


def _since(moment, joined):
    return moment if moment is not None and moment >= joined else None


def _build(org, courses, quizzes, people, now, today):
    """The history in the database; returns the rows a plain reading expects."""
    expected = {}
    for history in people:
        learner = UserFactory()
        joined = now - datetime.timedelta(days=history["joined"])
        MembershipFactory(user=learner, organization=org, created_at=joined)
        for course, quiz, lesson_count, story in zip(
            courses, quizzes, LESSONS, history["courses"], strict=True
        ):
            if story is None:
                continue
            due_on = (
                None if story["due_in"] is None else today + datetime.timedelta(story["due_in"])
            )
            AssignmentFactory(organization=org, learner=learner, course=course, due_on=due_on)
            row = {"done": 0, "completed_at": None, "activity": None, "best": None, "cert": None}
            enrolled = bool(story["enrolled"] or story["certificates"])
            if enrolled:
                enrollment = EnrollmentFactory(
                    learner=learner,
                    course=course,
                    completed_at=_ago(now, story["completed"]),
                    last_activity_at=_ago(now, story["activity"]),
                )
                row["completed_at"] = _since(enrollment.completed_at, joined)
                row["activity"] = _since(enrollment.last_activity_at, joined)
            lessons = [lesson for m in course.modules.all() for lesson in m.lessons.all()]
            for lesson, done in zip(lessons, story["lessons"], strict=False):
                if done is not None:
                    progress = LessonProgress.objects.create(learner=learner, lesson=lesson)
                    at = _ago(now, done)
                    LessonProgress.objects.filter(pk=progress.pk).update(completed_at=at)
                    row["done"] += at >= joined
            scores, passed = [], False
            for number, (submitted, score) in enumerate(story["attempts"], start=1):
                open_ = submitted is None and number == len(story["attempts"])
                at = _ago(now, 0 if submitted is None else submitted)
                Attempt.objects.create(
                    learner=learner,
                    quiz=quiz,
                    number=number,
                    submitted_at=None if open_ else at,
                    score=None if open_ else score,
                    passed=None if open_ else score >= 80,
                )
                if not open_ and at >= joined:
                    scores.append(score)
                    # The quiz is a requirement met in the enrollment's cycle (1 here).
                    passed = passed or (enrolled and score >= 80)
            row["best"] = max(scores, default=None)
            shown = None
            for cycle, (issued, expires_in, revoked) in enumerate(story["certificates"], 1):
                certificate = CertificateFactory(
                    enrollment=enrollment,
                    cycle=cycle,
                    issued_at=_ago(now, issued),
                    expires_on=today + datetime.timedelta(expires_in),
                    revoked_at=now if revoked else None,
                    revoked_reason="Erreur" if revoked else "",
                )
                if not revoked and certificate.issued_at >= joined:
                    key = (certificate.issued_at, certificate.pk)
                    if shown is None or key > shown[0]:
                        shown = (key, certificate.expires_on)
            row["cert"] = shown and shown[1]
            row["passed"] = int(passed)
            # Requirements: the course's lessons and its one quiz; 100 only once completed.
            met = (row["done"] + row["passed"]) * 100 // (lesson_count + 1)
            row["progress"] = 100 if row["completed_at"] else min(met, 99)
            row["status"] = _status(row, due_on, today)
            expected[(learner.pk, course.pk)] = row
    return expected


def _status(row, due_on, today):
    if row["completed_at"] is None and due_on is not None and due_on < today:
        return Status.OVERDUE
    if row["cert"] is not None and row["cert"] < today:
        return Status.EXPIRED
    if row["cert"] is not None and row["cert"] <= today + datetime.timedelta(expiring_days()):
        return Status.EXPIRING
    if row["completed_at"]:
        return Status.COMPLETED
    return Status.IN_PROGRESS if row["done"] or row["passed"] else Status.NOT_STARTED


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=st.lists(person, min_size=1, max_size=4))
def test_the_dashboard_agrees_with_a_plain_reading_of_the_history(org, people):
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        courses = [CourseFactory(lessons=n) for n in LESSONS]
        quizzes = [Quiz.objects.create(module=c.modules.first()) for c in courses]
        expected = _build(org, courses, quizzes, people, now, today)
        rows = selectors.dashboard_rows(organization=org, today=today)
        got = {
            (r["learner_id"], r["course_id"]): {
                "done": None,
                "passed": None,
                "completed_at": r["completed_at"],
                "activity": r["last_activity_at"],
                "best": r["best_score"],
                "cert": r["certificate_expires_on"],
                "progress": r["progress"],
                "status": Status.at(r["status_rank"]),
            }
            for r in rows
        }
        assert got == {key: {**row, "done": None, "passed": None} for key, row in expected.items()}
        totals = selectors.dashboard_totals(organization=org, today=today)
        counted = collections.Counter(row["status"] for row in expected.values())
        assert {t.status: t.count for t in totals.by_status} == {
            value: counted[value] for value in Status.values
        }
        transaction.set_rollback(True)
