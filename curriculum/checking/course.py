"""Checking the course, its sources, modules and lessons (a module's quiz: `quiz.py`)."""

import datetime

from django.utils.translation import gettext_noop

from courses.models import Course, FormerSlug, Lesson, Module
from curriculum.checking.base import Checks, max_length, named, value_range
from curriculum.report import Problem
from curriculum.specs import CurriculumSpec, LessonSpec, ModuleSpec

LESSON_MINUTES = (2, 5)  # short lessons: 2 to 5 minutes of reading each


class CourseChecks(Checks):
    source_ids: set[str]

    def source_list(self, mapping, key, entry) -> tuple[str, ...]:
        cited = self.items(mapping, key, entry)
        for source in cited:
            if source not in self.source_ids:
                known = ", ".join(sorted(self.source_ids))
                self.fail(
                    entry,
                    Problem(
                        gettext_noop("%(key)s: unknown source %(source)s (known: %(known)s)"),
                        key=key,
                        source=repr(source),
                        known=known,
                    ),
                    mapping,
                    key,
                )
        return tuple(cited)

    def document(self, document) -> CurriculumSpec:
        root = self.mapping(
            document, "file", ("version", "sources", "course", "modules"), ("assessment",)
        )
        version = self.integer(root, "version", "version", 1, 10**6)
        self.sources(root)
        course_keys = ("slug", "estimated_minutes", "validity_months", "title", "summary")
        course = self.mapping(
            root["course"],
            "course",
            (*course_keys, "content_note"),
            ("sources", "former_slugs"),
            parent=root,
        )
        slug = self.identifier(course, "slug", "course", limit=max_length(Course, "slug"))
        former_slugs = self.former_slugs(course, slug)
        course_sources = ()
        if "sources" in course:
            course_sources = self.source_list(course, "sources", "course")
        values = {
            **self.text(course, "title", "course", model=Course),
            **self.text(course, "summary", "course", model=Course),
            **self.text(course, "content_note", "course", model=Course),
            "estimated_minutes": self.integer(course, "estimated_minutes", "course", 1, 10_000),
            "validity_months": self.integer(
                course, "validity_months", "course", *value_range(Course, "validity_months")
            ),
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
                Problem(
                    gettext_noop(
                        "estimated_minutes: %(value)s is less than the reading time of its "
                        "lessons (minutes: %(reading)s)"
                    ),
                    value=values["estimated_minutes"],
                    reading=reading,
                ),
                course,
                "estimated_minutes",
            )
        self.check_quizzes(modules)
        assessment_items = self.assessment(root, modules) if "assessment" in root else []
        return CurriculumSpec(
            self.path,
            version,
            slug,
            values,
            modules,
            former_slugs,
            sources=[dict(source) for source in root["sources"]],
            course_sources=course_sources,
            assessment_items=assessment_items,
        )

    def sources(self, root) -> None:
        """`sources:` at the top of the file: what lessons cite, each with an id."""
        self.source_ids = set()
        for index, source in enumerate(self.items(root, "sources", "sources")):
            entry = named(f"sources[{index}]", source)
            self.mapping(
                source, entry, ("id", "description"), ("url", "checked"), parent=root, key="sources"
            )
            if "checked" in source and not isinstance(source["checked"], datetime.date):
                self.fail(
                    entry,
                    Problem(gettext_noop("checked: must be a date (YYYY-MM-DD)")),
                    source,
                    "checked",
                )
            source_id = self.identifier(source, "id", entry)
            if not isinstance(source["description"], str) or not source["description"].strip():
                self.fail(
                    entry, Problem(gettext_noop("description: must be text")), source, "description"
                )
            if source_id in self.source_ids:
                self.fail(entry, Problem(gettext_noop("duplicate source id")), source, "id")
            self.source_ids.add(source_id)

    def former_slugs(self, course, slug) -> tuple[str, ...]:
        """`former_slugs: [old-slug]`: the course's earlier addresses, which redirect to it."""
        if "former_slugs" not in course:
            return ()
        self.items(course, "former_slugs", "course")
        limit = max_length(FormerSlug, "slug")
        former = tuple(
            self.identifier({"former_slugs": value}, "former_slugs", "course", limit=limit)
            for value in course["former_slugs"]
        )
        if slug in former or len(set(former)) != len(former):
            self.fail(
                "course",
                Problem(gettext_noop("former_slugs: repeats a slug")),
                course,
                "former_slugs",
            )
        return former

    def module(self, module, index, root) -> ModuleSpec:
        entry = f"modules[{index}]"
        required = ("id", "title", "summary", "objectives", "lessons")
        optional = ("content_note", "sources", "quiz")
        entry = named(entry, module)
        self.mapping(module, entry, required, optional, parent=root, key="modules")
        key = self.identifier(module, "id", entry, limit=max_length(Module, "key"))
        sources = self.source_list(module, "sources", entry) if "sources" in module else ()
        values = {
            **self.text(module, "title", entry, model=Module),
            **self.text(module, "summary", entry, model=Module),
            **self.text(module, "objectives", entry, model=Module),
            **(
                self.text(module, "content_note", entry, model=Module)
                if "content_note" in module
                else {f"content_note_{language}": "" for language in self.languages}
            ),
        }
        lessons = [
            self.lesson(lesson, f"modules[{index}].lessons[{position}]", module)
            for position, lesson in enumerate(self.items(module, "lessons", entry))
        ]
        quiz = module.get("quiz")
        return ModuleSpec(key, values, lessons, quiz, sources)

    def lesson(self, lesson, entry, module) -> LessonSpec:
        required = ("id", "title", "minutes", "sources", "body")
        entry = named(entry, lesson)
        self.mapping(lesson, entry, required, parent=module, key="lessons")
        key = self.identifier(lesson, "id", entry, limit=max_length(Lesson, "key"))
        sources = self.source_list(lesson, "sources", entry)
        values = {
            **self.text(lesson, "title", entry, model=Lesson),
            **self.text(lesson, "body", entry, model=Lesson),
            "minutes": self.integer(lesson, "minutes", entry, *LESSON_MINUTES),
        }
        return LessonSpec(key, values, sources)

    def check_unique_ids(self, root, modules: list[ModuleSpec]) -> None:
        seen_modules, seen_lessons = {}, {}
        for index, module in enumerate(modules):
            entry = f"modules[{index}] ({module.key})"
            if module.key in seen_modules:
                first = seen_modules[module.key]
                self.fail(
                    entry,
                    Problem(
                        gettext_noop("duplicate module id (also modules[%(first)s])"), first=first
                    ),
                    root["modules"][index],
                )
            seen_modules[module.key] = index
            for position, lesson in enumerate(module.lessons):
                entry = f"modules[{index}].lessons[{position}] ({lesson.key})"
                if lesson.key in seen_lessons:
                    self.fail(
                        entry,
                        Problem(
                            gettext_noop("duplicate lesson id (also %(first)s)"),
                            first=seen_lessons[lesson.key],
                        ),
                        root["modules"][index]["lessons"][position],
                        "id",
                    )
                seen_lessons[lesson.key] = f"modules[{index}].lessons[{position}]"

    def check_quizzes(self, modules: list[ModuleSpec]) -> None:
        lesson_keys = {lesson.key for module in modules for lesson in module.lessons}
        for index, module in enumerate(modules):
            if module.quiz is not None:
                entry = f"modules[{index}].quiz ({module.key})"
                module.quiz = self.quiz(module.quiz, entry, lesson_keys)
