"""Writing a checked curriculum into the database, in one transaction."""

from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from courses import services
from courses.loader.reading import (
    DEFAULT_PATH,
    CurriculumSpec,
    ModuleSpec,
    curriculum_read,
    quiz_hooks,
    shown_path,
)
from courses.loader.report import CurriculumError, LoadReport, digest, fingerprint, normal
from courses.models import Course, FormerSlug, Lesson, Module

COURSE_FIELDS = (
    *("title_fr", "title_en", "summary_fr", "summary_en", "content_note_fr", "content_note_en"),
    *("estimated_minutes", "validity_months"),
)
MODULE_FIELDS = (
    *("title_fr", "title_en", "summary_fr", "summary_en"),
    *("objectives_fr", "objectives_en", "content_note_fr", "content_note_en"),
)
LESSON_FIELDS = ("title_fr", "title_en", "body_fr", "body_en", "minutes")


def curriculum_load(*, path=DEFAULT_PATH, force: bool = False) -> LoadReport:
    """Check the whole file, then create or update its course in one transaction.

    `force` overwrites administrators' edits and publishes the course. Raises CurriculumError
    (and writes nothing) when the file is malformed. Concurrent loads of an existing course
    run one after the other (the course row is locked).
    """
    path = Path(path)
    if not path.is_absolute() and not path.exists():
        path = Path(settings.BASE_DIR) / path
    report = LoadReport(source=shown_path(path))
    spec = curriculum_read(path=path, report=report)
    report.version = spec.version
    try:
        with transaction.atomic():
            _apply(spec, force=force, report=report)
    except IntegrityError as error:
        # Two first loads at once: the course row they would lock does not exist yet, and
        # the unique slug and keys let only one of them create it.
        raise CurriculumError(
            spec.path, "database", "another load wrote this course at the same time: run again"
        ) from error
    return report


def entry_sync(instance, values, fields, *, structure, label, force, report) -> None:
    """Write the file's `values` unless an administrator edited them; `structure` always.

    Shared by every loader of curriculum entries (lessons, quizzes): one rule for admin edits.
    """
    wanted = digest((name, values[name]) for name in fields)
    if instance.pk is None:
        for name, value in {**values, **structure}.items():
            setattr(instance, name, value)
        instance.curriculum_fingerprint = wanted
        instance.save()
        report.created(label)
        return
    current = fingerprint(instance, fields)
    changed = [name for name, value in structure.items() if getattr(instance, name) != value]
    if current == wanted:
        action = "updated" if changed else "unchanged"
    elif current == instance.curriculum_fingerprint or force:
        action = "updated"
        changed += [name for name in fields if normal(getattr(instance, name)) != values[name]]
        for name in fields:
            setattr(instance, name, values[name])
    else:
        action = "kept"
    for name, value in structure.items():
        setattr(instance, name, value)
    if action != "kept" and instance.curriculum_fingerprint != wanted:
        # Also when the content already matches (an edit undone): follow the file again.
        instance.curriculum_fingerprint = wanted
        changed.append("curriculum_fingerprint")
    if changed:
        instance.save(update_fields=sorted(set(changed)))
    getattr(report, action)(label)


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


def _apply(spec: CurriculumSpec, *, force: bool, report: LoadReport) -> None:
    course = _course_for_update(spec)
    created = course is None
    if created:
        course = Course(slug=spec.slug, is_published=False)
    entry_sync(
        course,
        spec.values,
        COURSE_FIELDS,
        structure={"content_version": spec.version, "slug": spec.slug},
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
    modules: dict[str, Module] = {}
    unkeyed = 0  # modules and lessons an administrator added in the admin, without an id
    for module in Module.objects.filter(course=course).order_by("position", "pk"):
        if module.key:
            modules[module.key] = module
        else:
            unkeyed += 1
    lessons: dict[str, Lesson] = {}
    for lesson in Lesson.objects.filter(module__course=course).order_by("pk"):
        if not lesson.key:
            unkeyed += 1
        elif lesson.key in lessons:
            raise CurriculumError(
                spec.path,
                f"lesson {lesson.key}",
                "two lessons of this course in the database have this id: "
                "change one of them in the admin, then load again",
            )
        else:
            lessons[lesson.key] = lesson
    loaded: list[tuple[ModuleSpec, Module]] = []
    for position, module_spec in enumerate(spec.modules, start=1):
        module = modules.pop(module_spec.key, None) or Module(course=course, key=module_spec.key)
        entry_sync(
            module,
            module_spec.values,
            MODULE_FIELDS,
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
                LESSON_FIELDS,
                structure={"module_id": module.pk, "position": lesson_position},
                label=f"lesson {lesson_spec.key}",
                force=force,
                report=report,
            )
    for key in modules:
        report.left(f"module {key} (not in the file: delete it in the admin if it should go)")
    for key in lessons:
        report.left(f"lesson {key} (not in the file: delete it in the admin if it should go)")
    if unkeyed:
        report.left(f"{unkeyed} module(s) or lesson(s) added in the admin without an id")
    if created or (force and not course.is_published):
        services.course_set_published(course=course, published=True)
    elif not course.is_published:
        report.kept(f"course {spec.slug} unpublished (an administrator unpublished it)")
    hooks = quiz_hooks() if any(m.quiz is not None for m, _ in loaded) else None
    for module_spec, module in loaded:
        if module_spec.quiz is not None and hooks is not None:
            hooks.load_quiz(module=module, data=module_spec.quiz, force=force, report=report)
