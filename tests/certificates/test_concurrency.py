"""Exactly one certificate per completed cycle, even when requests race (PostgreSQL)."""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from certificates import services
from certificates.models import Certificate
from courses import services as course_services
from courses.models import Enrollment, Lesson
from tests.factories import CourseFactory, EnrollmentFactory, LessonProgressFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 6


def test_marking_the_last_lesson_done_at_once_issues_one_certificate(run_together):
    learner = UserFactory()
    course = CourseFactory(lessons=3)
    EnrollmentFactory(learner=learner, course=course)
    lessons = list(Lesson.objects.filter(module__course=course))
    for lesson in lessons[:-1]:
        LessonProgressFactory(learner=learner, lesson=lesson)

    results = run_together(
        lambda index: course_services.lesson_mark_done(learner=learner, lesson=lessons[-1]),
        THREADS,
    )
    assert not results.errors, results
    assert Certificate.objects.filter(holder=learner).count() == 1
    assert Enrollment.objects.get(learner=learner).completed_at is not None


def test_checking_completion_at_once_issues_one_certificate(run_together):
    learner = UserFactory()
    course = CourseFactory(lessons=2)
    enrollment = EnrollmentFactory(learner=learner, course=course)
    for lesson in Lesson.objects.filter(module__course=course):
        LessonProgressFactory(learner=learner, lesson=lesson)

    def complete(index):
        fresh = Enrollment.objects.get(pk=enrollment.pk)
        return course_services.enrollment_update_completion(enrollment=fresh)

    results = run_together(complete, THREADS)
    assert not results.errors, results
    assert results.count(True) == 1
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1


def test_issuing_at_once_gives_every_caller_the_one_certificate(run_together):
    """The constraint decides: whoever inserts second gets the first one's certificate."""
    enrollment = EnrollmentFactory(completed_at=timezone.now())
    results = run_together(
        lambda index: (
            services.certificate_issue(
                enrollment=Enrollment.objects.select_related("learner", "course").get(
                    pk=enrollment.pk
                )
            ).pk
        ),
        THREADS,
    )
    assert not results.errors, results
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1
    assert set(results) == {Certificate.objects.get(enrollment=enrollment).pk}


def test_the_loser_of_an_insert_race_returns_the_winners_certificate():
    """Deterministic race: the first caller has inserted but not committed when the second
    looks, so the second sees nothing, inserts, waits on the unique index, then fails."""
    enrollment = EnrollmentFactory(completed_at=timezone.now())
    inserted, done = threading.Event(), threading.Event()
    results = {}

    def first():
        try:
            with transaction.atomic():
                results["first"] = services.certificate_issue(enrollment=enrollment).pk
                inserted.set()
                done.wait(timeout=2)  # hold the transaction open while the second inserts
        finally:
            inserted.set()
            connection.close()

    def second():
        try:
            inserted.wait(timeout=10)
            timer = threading.Timer(0.5, done.set)
            timer.start()
            results["second"] = services.certificate_issue(enrollment=enrollment).pk
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results["first"] == results["second"]
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1
