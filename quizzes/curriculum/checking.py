"""Checking a module's `quiz` entry, without touching the database."""

import re

from django.utils import translation

from courses.loader import CurriculumError
from courses.loader.report import normal
from quizzes.models import Choice, Question, Setting, choice_set_error

QUESTIONS_PER_SCENARIO = (2, 5)
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX_LENGTH = 80
TITLE_MAX_LENGTH = 200
LANGUAGES = {"fr": "French", "en": "English"}
QUIZ_KEYS = ("pass_mark", "max_attempts", "shuffle_choices")


class _Check:
    def __init__(self, path, lesson_keys):
        self.path = path
        self.lesson_keys = set(lesson_keys)

    def fail(self, entry, problem, mapping=None, key=None):
        # The course loader's YAML mappings remember their lines.
        line = None
        if mapping is not None:
            line = getattr(mapping, "key_lines", {}).get(key, getattr(mapping, "line", None))
        raise CurriculumError(self.path, entry, problem, line=line)

    def mapping(self, value, entry, required, optional=()):
        if not isinstance(value, dict):
            self.fail(entry, "must be a mapping of `key: value` lines")
        for name in value:
            if name not in required and name not in optional:
                expected = ", ".join((*required, *optional))
                self.fail(entry, f"unknown key `{name}` (expected: {expected})", value, name)
        for name in required:
            if name not in value:
                self.fail(entry, f"the required key `{name}` is missing", value)
        return value

    def items(self, mapping, key, entry, *, count=None):
        value = mapping[key]
        if not isinstance(value, list) or not value:
            self.fail(entry, f"{key}: must be a non-empty list", mapping, key)
        if count and not count[0] <= len(value) <= count[1]:
            self.fail(
                entry, f"{key}: {len(value)} given, {count[0]} to {count[1]} needed", mapping, key
            )
        return value

    def identifier(self, mapping, entry, seen) -> str:
        value = mapping["id"]
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.fail(
                entry,
                f"id: {value!r} is not a valid id (lower-case letters, digits and hyphens)",
                mapping,
                "id",
            )
        if len(value) > ID_MAX_LENGTH:
            self.fail(entry, f"id: longer than {ID_MAX_LENGTH} characters", mapping, "id")
        if value in seen:
            self.fail(entry, f"duplicate id (also {seen[value]})", mapping, "id")
        seen[value] = entry
        return value

    def text(self, mapping, key, entry, *, max_length=None):
        value = mapping[key]
        if not isinstance(value, dict):
            self.fail(entry, f"{key}: must give the text in each language (fr:, en:)", mapping, key)
        for language in value:
            if language not in LANGUAGES:
                self.fail(entry, f"{key}: unknown language `{language}`", value, language)
        for language, name in LANGUAGES.items():
            text = value.get(language)
            if not isinstance(text, str) or not normal(text):
                self.fail(entry, f"{key}: the {name} text ({language}) is missing", mapping, key)
            if max_length and len(normal(text)) > max_length:
                self.fail(entry, f"{key}.{language}: longer than {max_length} characters", value)

    def level(self, choice, entry):
        """A wrong choice says how wrong it is (its feedback is worded so); a right one not."""
        if choice["correct"]:
            if "level" in choice:
                self.fail(entry, "level: a right choice has no level", choice, "level")
            return
        levels = ", ".join(Choice.Level.values)
        if "level" not in choice:
            self.fail(entry, f"level: a wrong choice needs one ({levels})", choice)
        if choice["level"] not in Choice.Level.values:
            self.fail(entry, f"level: {choice['level']!r} is not one of {levels}", choice, "level")

    def quiz(self, data, entry):
        self.mapping(data, entry, ("scenarios",), QUIZ_KEYS)
        pass_mark = data.get("pass_mark", 80)
        if (
            isinstance(pass_mark, bool)
            or not isinstance(pass_mark, int)
            or not 1 <= pass_mark <= 100
        ):
            self.fail(entry, "pass_mark: must be a whole number from 1 to 100", data, "pass_mark")
        attempts = data.get("max_attempts")
        if attempts is not None and (
            isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1
        ):
            self.fail(
                entry, "max_attempts: must be a whole number from 1, or null", data, "max_attempts"
            )
        if not isinstance(data.get("shuffle_choices", True), bool):
            self.fail(entry, "shuffle_choices: must be true or false", data, "shuffle_choices")
        seen = {}
        scenarios = self.items(data, "scenarios", entry)
        for index, scenario in enumerate(scenarios):
            self.scenario(scenario, f"{entry}.scenarios[{index}]", seen)
        # Learners of another kind of workplace get only these: without one, they could
        # never pass the quiz, nor complete the course.
        if not any(scenario["setting"] == Setting.ANY for scenario in scenarios):
            self.fail(
                entry,
                "scenarios: at least one must have `setting: any` (the only ones given to "
                "learners whose workplace is none of shelter, group_home, school)",
                data,
                "scenarios",
            )

    def scenario(self, scenario, entry, seen):
        required = ("id", "setting", "title", "situation", "questions")
        self.mapping(scenario, entry, required)
        entry = f"{entry} ({self.identifier(scenario, entry, seen)})"
        if scenario["setting"] not in Setting.values:
            self.fail(
                entry,
                f"setting: {scenario['setting']!r} is not one of {', '.join(Setting.values)}",
                scenario,
                "setting",
            )
        self.text(scenario, "title", entry, max_length=TITLE_MAX_LENGTH)
        self.text(scenario, "situation", entry)
        questions = self.items(scenario, "questions", entry, count=QUESTIONS_PER_SCENARIO)
        for index, question in enumerate(questions):
            self.question(question, f"{entry}.questions[{index}]", seen)

    def question(self, question, entry, seen):
        self.mapping(question, entry, ("id", "kind", "text", "choices"), ("lesson",))
        entry = f"{entry} ({self.identifier(question, entry, seen)})"
        if question["kind"] not in Question.Kind.values:
            self.fail(
                entry,
                f"kind: {question['kind']!r} is not one of {', '.join(Question.Kind.values)}",
                question,
                "kind",
            )
        lesson = question.get("lesson")
        if lesson is not None and lesson not in self.lesson_keys:
            self.fail(entry, f"lesson: unknown lesson id {lesson!r}", question, "lesson")
        self.text(question, "text", entry)
        choices = self.items(question, "choices", entry)
        for index, choice in enumerate(choices):
            choice_entry = f"{entry}.choices[{index}]"
            self.mapping(choice, choice_entry, ("id", "correct", "text", "feedback"), ("level",))
            choice_entry = f"{choice_entry} ({self.identifier(choice, choice_entry, seen)})"
            if not isinstance(choice["correct"], bool):
                self.fail(choice_entry, "correct: must be true or false", choice, "correct")
            self.text(choice, "text", choice_entry)
            self.text(choice, "feedback", choice_entry)
        with translation.override("en"):  # the loader speaks English, like its command
            problem = choice_set_error(
                kind=question["kind"],
                choice_count=len(choices),
                correct_count=sum(1 for choice in choices if choice["correct"]),
            )
        if problem:
            self.fail(entry, problem, question, "choices")
        for index, choice in enumerate(choices):
            self.level(choice, f"{entry}.choices[{index}] ({choice['id']})")


def validate_quiz(*, data, path, entry: str, lesson_keys) -> None:
    """Check a module's `quiz` entry; raises CurriculumError. Touches no database."""
    _Check(path, lesson_keys).quiz(data, entry)
