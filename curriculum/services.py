"""Loading the course's curriculum file: `curriculum_load`, what `load_curriculum` runs.

The whole file is read and checked first (`curriculum.reading`), then written in one
transaction (`curriculum.writing`): a malformed file changes nothing.
"""

from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from curriculum.reading import DEFAULT_PATH, curriculum_read, shown_path
from curriculum.report import CurriculumError, LoadReport
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
    spec = curriculum_read(path=path)
    report.version = spec.version
    try:
        with transaction.atomic():
            course_write(spec, force=force, report=report)
    except IntegrityError as error:
        # Two first loads at once: the course row they would lock does not exist yet, and
        # the unique slug and keys let only one of them create it.
        raise CurriculumError(
            spec.path, "database", "another load wrote this course at the same time: run again"
        ) from error
    return report
