"""Writing a checked file's course, its modules and lessons (the quizzes: `quiz.py`), in the
caller's transaction."""

from courses import services
from courses.models import Course, FormerSlug, Lesson, Module
from curriculum.report import CurriculumError, LoadReport
from curriculum.specs import CurriculumSpec, ModuleSpec
from curriculum.writing.assessment import assessment_write
from curriculum.writing.entries import by_key, entry_sync
from curriculum.writing.quiz import quiz_write
from curriculum.writing.sources import sources_write


def _course_for_update(spec: CurriculumSpec) -> Course | None:
    """The course by its slug or, once renamed in the file, by one of its former slugs:
    learners keep their progress when the address changes."""
    courses = Course.objects.select_for_update()
    course = courses.filter(slug=spec.slug).first()
    if course is None and spec.former_slugs:
        course = (
            courses.filter(slug__in=spec.former_slugs).first()
            or courses.filter(former_slugs__slug__in=spec.former_slugs).first()
        )
    return course


def course_write(spec: CurriculumSpec, *, force: bool, report: LoadReport) -> None:
    """Create or update the course, its modules, lessons and quizzes by key; the course row is
    locked first, so that two loads of an existing course run one after the other."""
    course = _course_for_update(spec)
    created = course is None
    if created:
        course = Course(slug=spec.slug, is_published=False, content_version=spec.version)
    entry_sync(
        course,
        spec.values,
        structure={"slug": spec.slug},
        label=f"course {spec.slug}",
        force=force,
        report=report,
    )
    for slug in spec.former_slugs:
        former, made = FormerSlug.objects.get_or_create(slug=slug, defaults={"course": course})
        if made:
            report.created(f"former address {slug} of course {spec.slug}")
        elif former.course_id != course.pk:
            raise CurriculumError(
                spec.path, "course", f"former_slugs: {slug!r} is a former address of another course"
            )
    loaded = _modules_write(spec, course=course, force=force, report=report)
    sources_write(spec, course=course)
    for module_spec, module in loaded:
        if module_spec.quiz is not None:
            quiz_write(module_spec.quiz, module=module, force=force, report=report)
    assessment_write(spec.assessment_items, course=course, force=force, report=report)
    # Published once everything is written, so that its version keeps the quizzes and the
    # knowledge check's items too; a
    # published course whose content the file changed is a new version (the file's number,
    # or the next one if the admin published versions since: `course_version_record`).
    if created or (force and not course.is_published):
        services.course_set_published(course=course, published=True)
    elif not course.is_published:
        report.kept(f"course {spec.slug} unpublished (an administrator unpublished it)")
    if course.is_published:
        version = services.course_version_record(course=course, at_least=spec.version)
        if version is not None:
            report.updated(f"version {version.number} of course {spec.slug}")


def _modules_write(spec, *, course, force, report) -> list[tuple[ModuleSpec, Module]]:
    modules, unkeyed = by_key(
        Module.objects.filter(course=course), "module", path=spec.path, within="course"
    )
    lessons, more = by_key(
        Lesson.objects.filter(module__course=course).order_by("pk"),
        "lesson",
        path=spec.path,
        within="course",
    )
    loaded = []
    for position, module_spec in enumerate(spec.modules, start=1):
        module = modules.pop(module_spec.key, None) or Module(course=course, key=module_spec.key)
        entry_sync(
            module,
            module_spec.values,
            structure={"position": position},
            label=f"module {module_spec.key}",
            force=force,
            report=report,
        )
        loaded.append((module_spec, module))
        for lesson_position, lesson_spec in enumerate(module_spec.lessons, start=1):
            lesson = lessons.pop(lesson_spec.key, None) or Lesson(key=lesson_spec.key)
            entry_sync(
                lesson,
                lesson_spec.values,
                structure={"module_id": module.pk, "position": lesson_position},
                label=f"lesson {lesson_spec.key}",
                force=force,
                report=report,
            )
    for key in modules:
        report.left(f"module {key} (not in the file: delete it in the admin if it should go)")
    for key in lessons:
        report.left(f"lesson {key} (not in the file: delete it in the admin if it should go)")
    if unkeyed + more:
        report.left(f"{unkeyed + more} module(s) or lesson(s) added in the admin without an id")
    return loaded
