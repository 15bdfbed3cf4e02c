"""What the xapi app does on the signals of courses and quizzes: for a learner who belongs
to an organization with an active LRS, queue the event's statements (services). For
anyone else, one query (selectors.endpoints_for) and nothing more."""

from django.conf import settings

from courses.hooks import course_completed
from courses.models import Course, Lesson
from courses.signals import enrolled, enrolled_many, lesson_completed
from quizzes.models import Quiz
from quizzes.signals import attempt_submitted
from xapi import selectors, services
from xapi import statements as xapi_statements


def connect() -> None:
    enrolled.connect(on_enrolled, dispatch_uid="xapi.enrolled")
    enrolled_many.connect(on_enrolled_many, dispatch_uid="xapi.enrolled_many")
    lesson_completed.connect(on_lesson_completed, dispatch_uid="xapi.lesson_completed")
    attempt_submitted.connect(on_attempt_submitted, dispatch_uid="xapi.attempt_submitted")
    course_completed.connect(on_course_completed, dispatch_uid="xapi.course_completed")


def _names(instance) -> dict[str, str]:
    return {"fr-CA": instance.title_fr or "", "en-CA": instance.title_en or ""}


def _iri(kind: str, pk: int) -> str:
    return xapi_statements.activity_iri(site_url=settings.SITE_URL, kind=kind, pk=pk)


def _course(course_id: int) -> xapi_statements.Activity:
    course = Course.objects.only("title_fr", "title_en").get(pk=course_id)
    return xapi_statements.Activity(
        _iri("course", course_id), xapi_statements.COURSE_TYPE, _names(course)
    )


def _registration(enrollment) -> object:
    """One registration per learner, course and round of it (a restarted course is new)."""
    return xapi_statements.derived_id(
        "registration", enrollment.learner_id, enrollment.course_id, enrollment.cycle
    )


def _queue(enrollment, events) -> None:
    endpoints = selectors.endpoints_for(enrollment=enrollment)
    if endpoints:
        services.statements_queue(
            learner_id=enrollment.learner_id, endpoints=endpoints, events=events()
        )


def _registered(enrollment, course: xapi_statements.Activity) -> services.Event:
    # Keyed by the enrollment: a learner who enrolled themself, then was assigned the
    # course, is registered once in each LRS.
    return services.Event(
        key=f"registered:{enrollment.pk}",
        verb=xapi_statements.REGISTERED,
        activity=course,
        timestamp=enrollment.enrolled_at,
        registration=_registration(enrollment),
    )


def on_enrolled(sender, *, enrollment, **kwargs):
    _queue(enrollment, lambda: [_registered(enrollment, _course(enrollment.course_id))])


def on_enrolled_many(sender, *, course, learners, **kwargs):
    """An assignment enrolled (or found enrolled) many learners at once: each LRS of an
    organization that assigned them the course receives their registration, once. One
    query when no such LRS exists; otherwise a few per LRS, whatever the people."""
    endpoints = selectors.endpoints_for_many(course_id=course.pk, learners=learners)
    if not endpoints:
        return
    activity = _course(course.pk)
    for endpoint in endpoints:
        enrollments = selectors.enrollments_registered_in(
            endpoint=endpoint, course_id=course.pk, learners=learners
        ).only("pk", "learner_id", "course_id", "cycle", "enrolled_at")
        services.statements_queue_many(
            endpoint=endpoint,
            events_by_learner={
                enrollment.learner_id: [_registered(enrollment, activity)]
                for enrollment in enrollments
            },
        )


def on_lesson_completed(sender, *, progress, lesson: Lesson, enrollment, **kwargs):
    def events():
        return [
            services.Event(
                key=f"lesson-completed:{progress.pk}",
                verb=xapi_statements.COMPLETED,
                activity=xapi_statements.Activity(
                    _iri("lesson", lesson.pk), xapi_statements.LESSON_TYPE, _names(lesson)
                ),
                timestamp=progress.completed_at,
                registration=_registration(enrollment),
                parent=_course(enrollment.course_id),
            )
        ]

    _queue(enrollment, events)


def on_attempt_submitted(sender, *, attempt, enrollment, right: int, total: int, **kwargs):
    # A practice attempt, after the pass, changes no recorded result (README): the LRS
    # receives the attempts that count, as the supervisors' dashboard does.
    if attempt.practice:
        return

    def events():
        module = Quiz.objects.select_related("module").get(pk=attempt.quiz_id).module
        quiz = xapi_statements.Activity(
            _iri("quiz", attempt.quiz_id), xapi_statements.QUIZ_TYPE, _names(module)
        )
        course = _course(enrollment.course_id)
        registration = _registration(enrollment)
        return [
            services.Event(
                key=f"attempted:{attempt.pk}",
                verb=xapi_statements.ATTEMPTED,
                activity=quiz,
                timestamp=attempt.started_at,
                registration=registration,
                parent=course,
            ),
            services.Event(
                key=f"graded:{attempt.pk}",
                verb=xapi_statements.PASSED if attempt.passed else xapi_statements.FAILED,
                activity=quiz,
                timestamp=attempt.submitted_at,
                registration=registration,
                parent=course,
                result=xapi_statements.score_result(
                    right=right, total=total, passed=bool(attempt.passed)
                ),
            ),
        ]

    _queue(enrollment, events)


def on_course_completed(sender, *, enrollment, **kwargs):
    _queue(
        enrollment,
        lambda: [
            services.Event(
                key=f"course-completed:{enrollment.pk}:{enrollment.cycle}",
                verb=xapi_statements.COMPLETED,
                activity=_course(enrollment.course_id),
                timestamp=enrollment.completed_at,
                registration=_registration(enrollment),
                result={"completion": True},
            )
        ],
    )
