import pytest
from django.core.exceptions import ValidationError

from courses import completion, hooks, services
from courses.models import Enrollment, LessonProgress
from tests.factories import CourseFactory, EnrollmentFactory, LessonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_enrolling_twice_keeps_one_enrollment(learner):
    course = CourseFactory(lessons=1)
    first = services.enrollment_create(learner=learner, course=course)
    second = services.enrollment_create(learner=learner, course=course)
    assert first.pk == second.pk
    assert Enrollment.objects.filter(learner=learner, course=course).count() == 1


def test_marking_a_lesson_twice_records_it_once(learner):
    course = CourseFactory(lessons=2)
    EnrollmentFactory(learner=learner, course=course)
    lesson = course.modules.first().lessons.first()
    services.lesson_mark_done(learner=learner, lesson=lesson)
    services.lesson_mark_done(learner=learner, lesson=lesson)
    assert LessonProgress.objects.filter(learner=learner, lesson=lesson).count() == 1


def test_marking_a_lesson_without_enrollment_is_refused_and_saves_nothing(learner):
    lesson = LessonFactory()
    with pytest.raises(ValidationError) as error:
        services.lesson_mark_done(learner=learner, lesson=lesson)
    assert error.value.messages == [str(services.ERROR_NOT_ENROLLED)]
    assert not LessonProgress.objects.exists()


def test_course_completes_when_every_lesson_is_done(learner):
    course = CourseFactory(lessons=3)
    enrollment = EnrollmentFactory(learner=learner, course=course)
    lessons = list(course.modules.first().lessons.all())
    for lesson in lessons[:-1]:
        services.lesson_mark_done(learner=learner, lesson=lesson)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is None
    services.lesson_mark_done(learner=learner, lesson=lessons[-1])
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    assert enrollment.last_activity_at is not None


def test_lessons_done_in_another_course_do_not_complete_this_one(learner):
    course = CourseFactory(lessons=2)
    other = CourseFactory(lessons=3)
    enrollment = EnrollmentFactory(learner=learner, course=course)
    EnrollmentFactory(learner=learner, course=other)
    for lesson in other.modules.first().lessons.all():
        services.lesson_mark_done(learner=learner, lesson=lesson)
    # As many lessons done elsewhere as this course has, and one of its own.
    services.lesson_mark_done(learner=learner, lesson=course.modules.first().lessons.first())

    enrollment.refresh_from_db()
    assert enrollment.completed_at is None
    assert completion.enrollment_requirements_met(enrollment=enrollment) is False


def test_completion_is_announced_once(learner):
    course = CourseFactory(lessons=1)
    enrollment = EnrollmentFactory(learner=learner, course=course)
    received = []

    def receiver(sender, enrollment, **kwargs):
        received.append(enrollment.pk)

    hooks.course_completed.connect(receiver)
    try:
        services.lesson_mark_done(learner=learner, lesson=course.modules.first().lessons.first())
        assert services.enrollment_update_completion(enrollment=enrollment) is False
        fresh = Enrollment.objects.get(pk=enrollment.pk)
        assert services.enrollment_update_completion(enrollment=fresh) is False
    finally:
        hooks.course_completed.disconnect(receiver)
    assert received == [enrollment.pk]


def test_a_registered_requirement_holds_completion_back(learner):
    course = CourseFactory(lessons=1)
    enrollment = EnrollmentFactory(learner=learner, course=course)

    def never(enrollment):
        return False

    hooks.completion_requirements.register(never)
    try:
        services.lesson_mark_done(learner=learner, lesson=course.modules.first().lessons.first())
    finally:
        hooks.completion_requirements.unregister(never)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is None


def test_a_course_without_lessons_completes_never(learner):
    course = CourseFactory()
    enrollment = EnrollmentFactory(learner=learner, course=course)
    assert services.enrollment_update_completion(enrollment=enrollment) is False


def test_restarting_an_enrollment_starts_a_new_cycle(learner):
    course = CourseFactory(lessons=1)
    enrollment = EnrollmentFactory(learner=learner, course=course)
    services.lesson_mark_done(learner=learner, lesson=course.modules.first().lessons.first())
    other_learner_progress = UserFactory()
    EnrollmentFactory(learner=other_learner_progress, course=course)
    services.lesson_mark_done(
        learner=other_learner_progress, lesson=course.modules.first().lessons.first()
    )

    restarted = services.enrollment_restart(enrollment=enrollment)

    assert restarted.cycle == 2
    assert restarted.completed_at is None
    assert not LessonProgress.objects.filter(learner=learner).exists()
    assert LessonProgress.objects.filter(learner=other_learner_progress).count() == 1


def test_publishing_a_course_without_lessons_is_refused():
    course = CourseFactory(is_published=False)
    with pytest.raises(ValidationError) as error:
        services.course_set_published(course=course, published=True)
    assert error.value.messages == [str(services.ERROR_PUBLISH_WITHOUT_LESSONS)]
    course.refresh_from_db()
    assert course.is_published is False


def test_publishing_a_course_with_a_lesson_works():
    course = CourseFactory(is_published=False, lessons=1)
    services.course_set_published(course=course, published=True)
    course.refresh_from_db()
    assert course.is_published is True
