"""The content of a course as a published version keeps it, and what changed between two.

A snapshot is `{"entries": [entry, …]}`: one entry per row of content (the course, its
modules and lessons, and what the apps above add through `hooks.content_snapshots`: the
quizzes, scenarios, questions and choices). An entry is `{"kind", "id", "label", "parent",
"fields"}`, where `fields` are the model's `curriculum_fields` (every translated field of
the row, both languages), normalised as the loader compares them. Entries are found again
across versions by kind and database id, so a renamed lesson is "changed", not "removed
then added".
"""

import hashlib
import json
from dataclasses import dataclass, field

from courses import hooks
from courses.entries import normal
from courses.models import Course, Lesson, Module

KINDS = (
    *("course", "module", "lesson", "quiz", "scenario", "question", "choice"),
    *("check item", "check choice"),  # assessments: the knowledge check's
)


LANGUAGES = ("fr", "en")


def names(row, label_field: str) -> dict:
    """{language: the row's `label_field` in it}, shortened: how the history names it."""
    if row is None:
        return {}
    return {lang: str(getattr(row, f"{label_field}_{lang}") or "")[:120] for lang in LANGUAGES}


def entry(*, kind: str, row, label: str = "title", parent=None, parent_label: str = "title"):
    """The entry of one `Fingerprinted` row; `parent` names where it sits in the history."""
    return {
        "kind": kind,
        "id": row.pk,
        "label": names(row, label),
        "parent": names(parent, parent_label),
        "fields": {name: normal(getattr(row, name)) for name in type(row).curriculum_fields},
    }


def courses_snapshot(course: Course) -> list[dict]:
    """The course, its modules and lessons: two queries."""
    entries = [entry(kind="course", row=course)]
    modules = list(Module.objects.filter(course=course).order_by("position", "pk"))
    by_id = {module.pk: module for module in modules}
    entries += [entry(kind="module", row=module) for module in modules]
    lessons = Lesson.objects.filter(module__course=course).order_by(
        "module__position", "module_id", "position", "pk"
    )
    entries += [
        entry(kind="lesson", row=lesson, parent=by_id[lesson.module_id]) for lesson in lessons
    ]
    return entries


def snapshot(course: Course) -> dict:
    """The whole content of the course now, in a fixed number of queries."""
    entries = courses_snapshot(course)
    for contribution in hooks.content_snapshots:
        entries += contribution(course)
    return {"entries": entries}


def snapshot_fingerprint(content: dict) -> str:
    payload = json.dumps(content["entries"], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass
class FieldChange:
    name: str
    old: object
    new: object


@dataclass
class EntryChange:
    kind: str
    label: dict
    parent: dict
    fields: list[FieldChange] = field(default_factory=list)

    def name(self, language: str) -> str:
        return self.label.get(language) or self.label.get("fr", "")

    def parent_name(self, language: str) -> str:
        return self.parent.get(language) or self.parent.get("fr", "")


@dataclass
class VersionDiff:
    """What changed from one version to the next, each list in the order of `KINDS`."""

    added: list[EntryChange] = field(default_factory=list)
    changed: list[EntryChange] = field(default_factory=list)
    removed: list[EntryChange] = field(default_factory=list)

    def __bool__(self):
        return bool(self.added or self.changed or self.removed)


def _by_kind(changes: list[EntryChange]) -> list[EntryChange]:
    return sorted(changes, key=lambda change: KINDS.index(change.kind))


def diff(before: dict, after: dict) -> VersionDiff:
    """Entries added, changed (field by field, old → new) and removed from `before` to
    `after`."""
    old = {(e["kind"], e["id"]): e for e in before["entries"]}
    new = {(e["kind"], e["id"]): e for e in after["entries"]}
    result = VersionDiff()
    for key, e in new.items():
        if key not in old:
            result.added.append(EntryChange(e["kind"], e["label"], e["parent"]))
            continue
        was = old[key]
        fields = [
            FieldChange(name, was["fields"].get(name), value)
            for name, value in e["fields"].items()
            if was["fields"].get(name) != value
        ]
        if fields:
            result.changed.append(EntryChange(e["kind"], e["label"], e["parent"], fields))
    result.removed = [
        EntryChange(e["kind"], e["label"], e["parent"]) for key, e in old.items() if key not in new
    ]
    result.added = _by_kind(result.added)
    result.changed = _by_kind(result.changed)
    result.removed = _by_kind(result.removed)
    return result
