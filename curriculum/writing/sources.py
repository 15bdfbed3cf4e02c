"""Keeping the file's sources with its course (`curriculum.models.CourseSources`), for the
export: the file's whole list, and the ids each entry cites."""

import datetime

from curriculum.models import CourseSources
from curriculum.specs import CurriculumSpec


def _stored(source: dict) -> dict:
    checked = source.get("checked")
    if isinstance(checked, datetime.date):
        source = {**source, "checked": checked.isoformat()}
    return source


def sources_write(spec: CurriculumSpec, *, course) -> None:
    """Store the file's sources and citations (in the caller's transaction); they follow the
    file, like positions: the admin does not edit them."""
    wanted = {
        "sources": [_stored(source) for source in spec.sources],
        "citations": {
            "course": list(spec.course_sources),
            "modules": {m.key: list(m.sources) for m in spec.modules if m.sources},
            "lessons": {
                lesson.key: list(lesson.sources) for m in spec.modules for lesson in m.lessons
            },
        },
    }
    stored = CourseSources.objects.filter(course=course).first()
    if stored is None:
        CourseSources.objects.create(course=course, **wanted)
    elif (stored.sources, stored.citations) != (wanted["sources"], wanted["citations"]):
        # Loading the same file again writes nothing.
        stored.sources, stored.citations = wanted["sources"], wanted["citations"]
        stored.save(update_fields=["sources", "citations"])
