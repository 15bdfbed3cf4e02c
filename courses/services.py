"""Writes of the courses app. Views, the admin and commands call these; nothing else saves."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses import bulk, completion, hooks, signals, translation_status, versions
from courses.models import Course, CourseVersion, Enrollment, Lesson, LessonProgress

ERROR_PUBLISH_WITHOUT_LESSONS = _("A course cannot be published before it has at least one lesson.")
ERROR_NOT_ENROLLED = _("Enroll in the course before marking its lessons as done.")


@transaction.atomic(savepoint=False)  # the caller's transaction, or one of its own
def enrollment_create(*, learner, course: Course) -> Enrollment:
    """Enroll the learner; enrolling twice returns the existing enrollment."""
    enrollment, created = Enrollment.objects.get_or_create(learner=learner, course=course)
    if created:
        hooks.progress_changed_for(learner_ids=[learner.pk], course_ids=[course.pk])
        signals.enrolled.send(sender=Enrollment, enrollment=enrollment)
    return enrollment


def enrollments_create_many(*, course: Course, learners: QuerySet) -> int:
    """Enroll in the course every one of `learners` not enrolled in it yet, in one
    INSERT … SELECT (no row passes through Python); returns how many were enrolled now.

    Enrolling again changes nothing, and two callers at the same moment cannot collide:
    the unique constraint settles it (ON CONFLICT DO NOTHING, on SQLite as on PostgreSQL).
    """
    learner_sql, params = bulk.pk_subquery(learners)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Enrollment._meta.db_table}"
            " (learner_id, course_id, enrolled_at, cycle, cycle_started_at)"
            f" SELECT chosen.pk, %s, %s, 1, %s FROM ({learner_sql}) AS chosen"
            # WHERE true: SQLite needs it to read ON CONFLICT after a SELECT.
            " WHERE true ON CONFLICT (learner_id, course_id) DO NOTHING",
            [course.pk, now, now, *params],
        )
        created = cursor.rowcount
    signals.enrolled_many.send(sender=Enrollment, course=course, learners=learners)
    return created


@transaction.atomic
def lesson_mark_done(*, learner, lesson: Lesson) -> LessonProgress:
    """Record that the learner has read the lesson, then see whether the course is complete.

    Marking a lesson twice changes nothing. Raises ValidationError if the learner is not
    enrolled in the lesson's course.
    """
    enrollment = (
        Enrollment.objects.select_for_update()
        .filter(learner=learner, course_id=lesson.module.course_id)
        .first()
    )
    if enrollment is None:
        raise ValidationError(ERROR_NOT_ENROLLED, code="not_enrolled")
    try:
        with transaction.atomic():
            progress, created = LessonProgress.objects.get_or_create(
                learner=learner, lesson=lesson, defaults={"course_id": lesson.module.course_id}
            )
    except IntegrityError:
        # Two requests raced: the other one recorded it.
        progress, created = LessonProgress.objects.get(learner=learner, lesson=lesson), False
    enrollment_touch(enrollment=enrollment)
    if created:
        signals.lesson_completed.send(
            sender=LessonProgress, progress=progress, lesson=lesson, enrollment=enrollment
        )
    enrollment_update_completion(enrollment=enrollment)
    hooks.progress_changed_for(
        learner_ids=[enrollment.learner_id], course_ids=[enrollment.course_id]
    )
    return progress


def enrollment_touch(*, enrollment: Enrollment) -> None:
    """Record activity on the enrollment (supervisors see the last activity)."""
    now = timezone.now()
    Enrollment.objects.filter(pk=enrollment.pk).update(last_activity_at=now)
    enrollment.last_activity_at = now


@transaction.atomic
def enrollment_update_completion(*, enrollment: Enrollment) -> bool:
    """Complete the enrollment if it meets what the course requires (`courses.completion`).
    Returns True if this call did.

    The conditional UPDATE lets only one of several concurrent callers complete a cycle,
    so `course_completed` is sent once per completion.
    """
    if enrollment.completed_at is not None:
        return False
    if not completion.enrollment_requirements_met(enrollment=enrollment):
        return False
    now = timezone.now()
    updated = Enrollment.objects.filter(pk=enrollment.pk, completed_at__isnull=True).update(
        completed_at=now
    )
    if not updated:
        return False
    enrollment.completed_at = now
    hooks.course_completed.send(sender=Enrollment, enrollment=enrollment)
    return True


@transaction.atomic
def enrollment_restart(*, enrollment: Enrollment) -> Enrollment:
    """Start a new cycle (renewal): lessons are to be read again, the old completion stays
    on record wherever other apps kept it (certificates)."""
    enrollment = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
    LessonProgress.objects.filter(
        learner_id=enrollment.learner_id, lesson__module__course_id=enrollment.course_id
    ).delete()
    now = timezone.now()
    enrollment.cycle += 1
    enrollment.cycle_started_at = now
    enrollment.completed_at = None
    enrollment.last_activity_at = now
    enrollment.save(update_fields=["cycle", "cycle_started_at", "completed_at", "last_activity_at"])
    hooks.progress_changed_for(
        learner_ids=[enrollment.learner_id], course_ids=[enrollment.course_id]
    )
    return enrollment


class TranslationsMissing(ValidationError):
    """The course misses translations: `gaps` lists them (`courses.translation_status.Gap`,
    each with its message and the admin page where it is filled)."""

    def __init__(self, gaps: list):
        super().__init__(ERROR_TRANSLATIONS_MISSING, code="translations_missing")
        self.gaps = gaps


ERROR_TRANSLATIONS_MISSING = translation_status.ERROR_TRANSLATIONS_MISSING


def course_check_publishable(*, course: Course) -> None:
    """Raise ValidationError unless the course may be published: it has a lesson, and no
    field of it or of anything in it is empty in French or English (`TranslationsMissing`,
    with the list). The course's own fields are checked as they are in memory."""
    if course.pk is None or not Lesson.objects.filter(module__course=course).exists():
        raise ValidationError(ERROR_PUBLISH_WITHOUT_LESSONS, code="no_lessons")
    gaps = translation_status.course_missing_translations(course=course)
    if gaps:
        raise TranslationsMissing(gaps)


@transaction.atomic
def course_set_published(*, course: Course, published: bool, by=None) -> Course:
    """Publish or unpublish a course; a course without lessons, or missing a translation,
    cannot be published.

    Publishing (again) records the content as a new version when it changed since the last
    one (`course_version_record`); `by` is the administrator who published, if any.
    """
    if published:
        course_check_publishable(course=course)
    course.is_published = published
    course.save(update_fields=["is_published"])
    if published:
        course_version_record(course=course, by=by)
    return course


@transaction.atomic
def course_version_record(*, course: Course, by=None, at_least: int = 1) -> CourseVersion | None:
    """Keep the course's content as a new version if it differs from the last one kept;
    returns the new version, or None when nothing changed.

    The one rule of `Course.content_version`: the first version keeps the course's number,
    each next one is the previous one + 1 — or `at_least` if higher (the curriculum file's
    `version`, so that a file numbered 3 gives version 3). Certificates copy the number.
    """
    # The lock makes two publications of one course number their versions one after the other.
    locked = Course.objects.select_for_update().get(pk=course.pk)
    content = versions.snapshot(locked)
    fingerprint = versions.snapshot_fingerprint(content)
    last = locked.versions.order_by("-number").first()
    if last is not None and last.fingerprint == fingerprint:
        return None
    number = max(locked.content_version if last is None else last.number + 1, at_least)
    version = CourseVersion.objects.create(
        course=locked,
        number=number,
        published_at=timezone.now(),
        published_by=by,
        content=content,
        fingerprint=fingerprint,
    )
    Course.objects.filter(pk=course.pk).update(content_version=number)
    course.content_version = number
    return version
