"""Reading a curriculum file and checking all of it, without touching the database."""

import datetime
import importlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings

from courses.loader.report import CurriculumError, LoadReport, normal

LANGUAGES = {"fr": "French", "en": "English"}
LESSON_MINUTES = (2, 5)  # short lessons: 2 to 5 minutes of reading each
VALIDITY_MONTHS = (1, 120)
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX_LENGTH = 80
TITLE_MAX_LENGTH = 200
DEFAULT_PATH = "courses/curriculum/sex-trafficking.yaml"


class _Mapping(dict):
    """A YAML mapping that remembers its line and the line of each key, for error messages."""

    line: int = 0
    key_lines: dict


# LibYAML's parser when PyYAML was built with it: eight times faster on the course file.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    pass


def _construct_mapping(loader, node):
    mapping = _Mapping()
    mapping.line, mapping.key_lines = node.start_mark.line + 1, {}
    yield mapping
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str | int | float | bool | None):
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain word", key_node.start_mark
            )
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


@dataclass
class LessonSpec:
    key: str
    values: dict


@dataclass
class ModuleSpec:
    key: str
    values: dict
    lessons: list[LessonSpec]
    quiz: dict | None = None


@dataclass
class CurriculumSpec:
    path: str
    version: int
    slug: str
    values: dict
    modules: list[ModuleSpec]
    former_slugs: tuple[str, ...] = ()


def shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


def quiz_hooks():
    """`quizzes.curriculum` if it exists, else None (quizzes are then skipped)."""
    try:
        return importlib.import_module("quizzes.curriculum")
    except ModuleNotFoundError as error:
        if error.name in ("quizzes", "quizzes.curriculum"):
            return None
        raise


def curriculum_read(*, path, report: LoadReport | None = None) -> CurriculumSpec:
    """Read and check the whole file; raises CurriculumError. Touches no database."""
    path = Path(path)
    shown = shown_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise CurriculumError(shown, "file", "not found") from error
    except UnicodeDecodeError as error:
        raise CurriculumError(shown, "file", "is not UTF-8 text") from error
    except OSError as error:
        raise CurriculumError(shown, "file", error.strerror or str(error)) from error
    try:
        document = yaml.load(text, Loader=_Loader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = ": ".join(part for part in (error.context, error.problem) if part)
        line = mark.line + 1 if mark else None
        raise CurriculumError(shown, "YAML syntax", problem, line=line) from error
    except yaml.YAMLError as error:
        raise CurriculumError(shown, "YAML syntax", str(error)) from error
    return _Checker(shown, report or LoadReport()).document(document)


def _named(entry: str, value) -> str:
    """`modules[2]` → `modules[2] (m3-control)` when the entry has an id, to find it by name."""
    if isinstance(value, dict) and isinstance(value.get("id"), str | int):
        return f"{entry} ({value['id']})"
    return entry


class _Checker:
    def __init__(self, path: str, report: LoadReport):
        self.path = path
        self.report = report
        self.source_ids: set[str] = set()

    def fail(self, entry, problem, mapping=None, key=None):
        line = None
        if isinstance(mapping, _Mapping):
            line = mapping.key_lines.get(key, mapping.line)
        raise CurriculumError(self.path, entry, problem, line=line)

    def mapping(self, value, entry, required, optional=(), *, parent=None, key=None):
        if not isinstance(value, dict):
            self.fail(entry, "must be a mapping of `key: value` lines", parent, key)
        # Unknown keys first: a misspelt key is then named as such, not as a missing one.
        for name in value:
            if name not in required and name not in optional:
                expected = ", ".join((*required, *optional))
                self.fail(entry, f"unknown key `{name}` (expected: {expected})", value, name)
        for name in required:
            if name not in value:
                self.fail(entry, f"the required key `{name}` is missing", value)
        return value

    def items(self, mapping, key, entry):
        value = mapping[key]
        if not isinstance(value, list) or not value:
            self.fail(entry, f"{key}: must be a non-empty list", mapping, key)
        return value

    def identifier(self, mapping, key, entry) -> str:
        value = mapping[key]
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.fail(
                entry,
                f"{key}: {value!r} is not a valid id (lower-case letters, digits and hyphens)",
                mapping,
                key,
            )
        if len(value) > ID_MAX_LENGTH:
            self.fail(entry, f"{key}: longer than {ID_MAX_LENGTH} characters", mapping, key)
        return value

    def integer(self, mapping, key, entry, low, high) -> int:
        value = mapping[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(entry, f"{key}: must be a whole number from {low} to {high}", mapping, key)
        return value

    def text(self, mapping, key, entry, *, max_length=None) -> dict[str, str]:
        """`key: {fr: ..., en: ...}` → `{"key_fr": ..., "key_en": ...}`, both non-empty."""
        value = mapping[key]
        if not isinstance(value, dict):
            self.fail(entry, f"{key}: must give the text in each language (fr:, en:)", mapping, key)
        for language in value:
            if language not in LANGUAGES:
                self.fail(entry, f"{key}: unknown language `{language}`", value, language)
        values = {}
        for language, name in LANGUAGES.items():
            if language not in value:
                self.fail(entry, f"{key}: the {name} text ({language}) is missing", value)
            text = value[language]
            if not isinstance(text, str):
                self.fail(entry, f"{key}.{language}: must be text", value, language)
            text = normal(text)
            if not text:
                self.fail(entry, f"{key}.{language}: the {name} text is empty", value, language)
            if max_length and len(text) > max_length:
                self.fail(entry, f"{key}.{language}: longer than {max_length} characters", value)
            values[f"{key}_{language}"] = text
        return values

    def source_list(self, mapping, key, entry) -> None:
        for source in self.items(mapping, key, entry):
            if source not in self.source_ids:
                known = ", ".join(sorted(self.source_ids))
                self.fail(entry, f"{key}: unknown source {source!r} (known: {known})", mapping, key)

    def document(self, document) -> CurriculumSpec:
        root = self.mapping(document, "file", ("version", "sources", "course", "modules"))
        version = self.integer(root, "version", "version", 1, 10**6)
        for index, source in enumerate(self.items(root, "sources", "sources")):
            entry = _named(f"sources[{index}]", source)
            self.mapping(
                source, entry, ("id", "description"), ("url", "checked"), parent=root, key="sources"
            )
            if "checked" in source and not isinstance(source["checked"], datetime.date):
                self.fail(entry, "checked: must be a date (YYYY-MM-DD)", source, "checked")
            source_id = self.identifier(source, "id", entry)
            if not isinstance(source["description"], str) or not source["description"].strip():
                self.fail(entry, "description: must be text", source, "description")
            if source_id in self.source_ids:
                self.fail(entry, "duplicate source id", source, "id")
            self.source_ids.add(source_id)
        course_keys = ("slug", "estimated_minutes", "validity_months", "title", "summary")
        course = self.mapping(
            root["course"],
            "course",
            (*course_keys, "content_note"),
            ("sources", "former_slugs"),
            parent=root,
        )
        slug = self.identifier(course, "slug", "course")
        former_slugs = self.former_slugs(course, slug)
        if "sources" in course:
            self.source_list(course, "sources", "course")
        values = {
            **self.text(course, "title", "course", max_length=TITLE_MAX_LENGTH),
            **self.text(course, "summary", "course"),
            **self.text(course, "content_note", "course"),
            "estimated_minutes": self.integer(course, "estimated_minutes", "course", 1, 10_000),
            "validity_months": self.integer(course, "validity_months", "course", *VALIDITY_MONTHS),
        }
        modules = [
            self.module(module, index, root)
            for index, module in enumerate(self.items(root, "modules", "modules"))
        ]
        self.check_unique_ids(root, modules)
        reading = sum(lesson.values["minutes"] for m in modules for lesson in m.lessons)
        if values["estimated_minutes"] < reading:
            self.fail(
                "course",
                f"estimated_minutes: {values['estimated_minutes']} is less than the "
                f"{reading} minutes of reading of its lessons",
                course,
                "estimated_minutes",
            )
        self.check_quizzes(root, modules)
        return CurriculumSpec(self.path, version, slug, values, modules, former_slugs)

    def former_slugs(self, course, slug) -> tuple[str, ...]:
        """`former_slugs: [old-slug]`: the course's earlier addresses, which redirect to it."""
        if "former_slugs" not in course:
            return ()
        self.items(course, "former_slugs", "course")
        former = tuple(
            self.identifier({"former_slugs": value}, "former_slugs", "course")
            for value in course["former_slugs"]
        )
        if slug in former or len(set(former)) != len(former):
            self.fail("course", "former_slugs: repeats a slug", course, "former_slugs")
        return former

    def module(self, module, index, root) -> ModuleSpec:
        entry = f"modules[{index}]"
        required = ("id", "title", "summary", "objectives", "lessons")
        optional = ("content_note", "sources", "quiz")
        entry = _named(entry, module)
        self.mapping(module, entry, required, optional, parent=root, key="modules")
        key = self.identifier(module, "id", entry)
        if "sources" in module:
            self.source_list(module, "sources", entry)
        values = {
            **self.text(module, "title", entry, max_length=TITLE_MAX_LENGTH),
            **self.text(module, "summary", entry),
            **self.text(module, "objectives", entry),
            **(
                self.text(module, "content_note", entry)
                if "content_note" in module
                else {"content_note_fr": "", "content_note_en": ""}
            ),
        }
        lessons = [
            self.lesson(lesson, f"modules[{index}].lessons[{position}]", module)
            for position, lesson in enumerate(self.items(module, "lessons", entry))
        ]
        quiz = module.get("quiz")
        return ModuleSpec(key, values, lessons, quiz)

    def lesson(self, lesson, entry, module) -> LessonSpec:
        required = ("id", "title", "minutes", "sources", "body")
        entry = _named(entry, lesson)
        self.mapping(lesson, entry, required, parent=module, key="lessons")
        key = self.identifier(lesson, "id", entry)
        self.source_list(lesson, "sources", entry)
        values = {
            **self.text(lesson, "title", entry, max_length=TITLE_MAX_LENGTH),
            **self.text(lesson, "body", entry),
            "minutes": self.integer(lesson, "minutes", entry, *LESSON_MINUTES),
        }
        return LessonSpec(key, values)

    def check_unique_ids(self, root, modules: list[ModuleSpec]) -> None:
        seen_modules, seen_lessons = {}, {}
        for index, module in enumerate(modules):
            entry = f"modules[{index}] ({module.key})"
            if module.key in seen_modules:
                first = seen_modules[module.key]
                self.fail(
                    entry, f"duplicate module id (also modules[{first}])", root["modules"][index]
                )
            seen_modules[module.key] = index
            for position, lesson in enumerate(module.lessons):
                entry = f"modules[{index}].lessons[{position}] ({lesson.key})"
                if lesson.key in seen_lessons:
                    self.fail(
                        entry,
                        f"duplicate lesson id (also {seen_lessons[lesson.key]})",
                        root["modules"][index]["lessons"][position],
                        "id",
                    )
                seen_lessons[lesson.key] = f"modules[{index}].lessons[{position}]"

    def check_quizzes(self, root, modules: list[ModuleSpec]) -> None:
        with_quiz = [(i, m) for i, m in enumerate(modules) if m.quiz is not None]
        if not with_quiz:
            return
        hooks = quiz_hooks()
        if hooks is None:
            self.report.skipped("quizzes (quizzes.curriculum is not installed)")
            for module in modules:
                module.quiz = None
            return
        lesson_keys = {lesson.key for module in modules for lesson in module.lessons}
        for index, module in with_quiz:
            hooks.validate_quiz(
                data=module.quiz,
                path=self.path,
                entry=f"modules[{index}].quiz ({module.key})",
                lesson_keys=lesson_keys,
            )
