"""A course as the curriculum file that loads it: every key the loader reads, in the file's
order, texts in every content language. `load_curriculum` (or the admin's import) reads the
export back into the same course.

Entries added in the admin have no id: the export names them `<kind>-<row id>` (`lesson-42`),
which loads as a new entry elsewhere (and here, beside the one without an id).
"""

import datetime
import re

import yaml

from curriculum.checking.base import content_languages
from curriculum.models import CourseSources
from quizzes.models import Choice

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


_WORD = re.compile(r"^[a-z0-9_]+(?:-[a-z0-9_]+)*$")
SOURCE_KEYS = ("id", "description", "url", "checked")  # the file's order


class _FileDumper(_Dumper):
    """Texts as in the hand-written file: several lines as a `|` block, one line quoted; keys
    and ids plain (YAML still quotes a word that would read as another type: "true")."""


def _represent_text(dumper, value: str):
    style = "|" if "\n" in value else None if _WORD.match(value) else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_FileDumper.add_representer(str, _represent_text)


def entry_key(entry, kind: str) -> str:
    """The id of an entry in the file: its key, or made from its row for one added in the
    admin without an id."""
    return entry.key or f"{kind}-{entry.pk}"


def _text(instance, name: str) -> dict:
    return {language: getattr(instance, f"{name}_{language}") or "" for language in _languages()}


def _languages():
    return content_languages()


def _source(stored: dict) -> dict:
    # The database's JSON does not keep the order of keys: the file's order is restored.
    source = {key: stored[key] for key in SOURCE_KEYS if key in stored}
    checked = source.get("checked")
    if isinstance(checked, str):
        source["checked"] = (
            datetime.date.fromisoformat(checked)
            if len(checked) == 10
            else datetime.datetime.fromisoformat(checked)
        )
    return source


def course_document(course) -> dict:
    """The file's data for a course fetched by `curriculum.selectors.courses_for_export`."""
    try:
        stored = course.curriculum_sources
    except CourseSources.DoesNotExist:
        stored = CourseSources(course=course)
    citations = stored.citations or {}
    head = {"slug": course.slug}
    former = [former.slug for former in course.former_slugs.all()]
    if former:
        head["former_slugs"] = former
    head["estimated_minutes"] = course.estimated_minutes
    head["validity_months"] = course.validity_months
    if citations.get("course"):
        head["sources"] = list(citations["course"])
    for name in ("title", "summary", "content_note"):
        head[name] = _text(course, name)
    modules = list(course.modules.all())
    lesson_keys = {
        lesson.pk: entry_key(lesson, "lesson")
        for module in modules
        for lesson in module.lessons.all()
    }
    document = {
        "version": course.content_version,
        "sources": [_source(source) for source in stored.sources],
        "course": head,
        "modules": [_module(module, citations, lesson_keys) for module in modules],
    }
    items = list(course.assessment_items.all())
    if items:
        document["assessment"] = {"items": [_item(item, lesson_keys) for item in items]}
    return document


def _module(module, citations, lesson_keys) -> dict:
    key = entry_key(module, "module")
    data = {"id": key}
    for name in ("title", "summary", "objectives"):
        data[name] = _text(module, name)
    content_note = _text(module, "content_note")
    if any(content_note.values()):
        data["content_note"] = content_note
    if citations.get("modules", {}).get(key):
        data["sources"] = list(citations["modules"][key])
    data["lessons"] = [_lesson(lesson, citations) for lesson in module.lessons.all()]
    quiz = getattr(module, "quiz", None)
    if quiz is not None:
        data["quiz"] = _quiz(quiz, lesson_keys)
    return data


def _lesson(lesson, citations) -> dict:
    key = entry_key(lesson, "lesson")
    data = {"id": key, "title": _text(lesson, "title"), "minutes": lesson.minutes}
    if key in citations.get("lessons", {}):
        data["sources"] = list(citations["lessons"][key])
    data["body"] = _text(lesson, "body")
    return data


def _quiz(quiz, lesson_keys) -> dict:
    return {
        "pass_mark": quiz.pass_mark,
        "max_attempts": quiz.max_attempts,
        "shuffle_choices": quiz.shuffle_choices,
        "scenarios": [
            {
                "id": entry_key(scenario, "scenario"),
                "setting": scenario.setting,
                "title": _text(scenario, "title"),
                "situation": _text(scenario, "situation"),
                "questions": [
                    _question(question, lesson_keys) for question in scenario.questions.all()
                ],
            }
            for scenario in quiz.scenarios.all()
        ],
    }


def _question(question, lesson_keys) -> dict:
    data = {"id": entry_key(question, "question"), "kind": question.kind}
    if question.lesson_id in lesson_keys:
        data["lesson"] = lesson_keys[question.lesson_id]
    data["text"] = _text(question, "text")
    data["choices"] = []
    for choice in question.choices.all():
        entry = {"id": entry_key(choice, "choice"), "correct": choice.is_correct}
        if not choice.is_correct:
            entry["level"] = choice.level or Choice.Level.WRONG  # unclassified reads so
        entry["text"] = _text(choice, "text")
        entry["feedback"] = _text(choice, "feedback")
        data["choices"].append(entry)
    return data


def _item(item, lesson_keys) -> dict:
    data = {"id": entry_key(item, "item"), "form": item.form}
    # An item added in the admin without a lesson exports without one: the check of the
    # file then names it, to be given one.
    if item.lesson_id in lesson_keys:
        data["lesson"] = lesson_keys[item.lesson_id]
    data["text"] = _text(item, "text")
    data["choices"] = [
        {
            "id": entry_key(choice, "item-choice"),
            "correct": choice.is_correct,
            "text": _text(choice, "text"),
        }
        for choice in item.choices.all()
    ]
    return data


def course_file_text(course) -> str:
    """The YAML text of `course_document(course)`, UTF-8 as written by hand."""
    return yaml.dump(
        course_document(course),
        Dumper=_FileDumper,
        allow_unicode=True,
        sort_keys=False,
        width=100_000,  # one paragraph, one line: as the file is written
    )


def course_file_name(course) -> str:
    return f"{course.slug}.yaml"
