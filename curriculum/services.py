"""Loading a curriculum file: `curriculum_load` (what `load_curriculum` runs) and
`curriculum_import` (a file uploaded in the admin, tried first without writing).

The whole file is read and checked first (`curriculum.reading`), then written in one
transaction (`curriculum.writing`): a malformed file changes nothing.
"""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from curriculum.models import CourseSources
from curriculum.reading import DEFAULT_PATH, curriculum_parse, curriculum_read, shown_path
from curriculum.report import CurriculumError, LoadReport
from curriculum.specs import CurriculumSpec
from curriculum.writing.course import course_write


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
    return _write(curriculum_read(path=path), force=force, report=report, dry_run=False)


def curriculum_import(*, text: str, name: str, force: bool, dry_run: bool) -> LoadReport:
    """Load a file's `text` (`name` names it in messages) as `curriculum_load` does.

    With `dry_run`, the load runs whole and is rolled back: the report tells what applying
    the file would create, update, keep and leave, and nothing is written.
    """
    report = LoadReport(source=name)
    return _write(
        curriculum_parse(text=text, path=name), force=force, report=report, dry_run=dry_run
    )


def _write(spec: CurriculumSpec, *, force: bool, report: LoadReport, dry_run: bool) -> LoadReport:
    report.version, report.slug = spec.version, spec.slug
    try:
        with transaction.atomic():
            course_write(spec, force=force, report=report)
            if dry_run:
                # The same writes, the same checks (a question left ungradable by kept
                # edits), then nothing of it stays.
                transaction.set_rollback(True)
    except ValidationError as error:
        # A rule of the courses the file cannot break today (publishing a new course needs
        # its lessons), should such a rule grow: refused like the file's own problems.
        raise CurriculumError(spec.path, "course", " ".join(error.messages)) from error
    except IntegrityError as error:
        # Two first loads at once: the course row they would lock does not exist yet, and
        # the unique slug and keys let only one of them create it.
        raise CurriculumError(
            spec.path, "database", "another load wrote this course at the same time: run again"
        ) from error
    return report


def course_sources_set(*, course, sources: list[dict], lesson_citations: dict) -> None:
    """Store a course's sources and what each lesson cites, as written in the admin
    (curriculum.sources_editing); the course's and its modules' citations are kept."""
    with transaction.atomic():
        stored, _created = CourseSources.objects.select_for_update().get_or_create(course=course)
        citations = dict(stored.citations or {})
        citations.setdefault("course", [])
        citations.setdefault("modules", {})
        citations["lessons"] = {key: list(ids) for key, ids in lesson_citations.items()}
        stored.sources, stored.citations = sources, citations
        stored.save(update_fields=["sources", "citations"])
