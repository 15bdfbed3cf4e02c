"""The quizzes part of the curriculum loader (`courses.loader` calls these two hooks).

A module's `quiz:` entry in the curriculum file:

    quiz:
      pass_mark: 80            # optional, percent (default 80)
      max_attempts: null       # optional, null = no limit
      shuffle_choices: true    # optional (default true)
      scenarios:
        - id: m2-s1-shelter
          setting: shelter     # shelter | group_home | school | any
          title: {fr: ..., en: ...}
          situation: {fr: ..., en: ...}
          questions:           # 2 to 4
            - id: m2-s1-q1
              kind: single     # single | multiple ("select all that apply")
              lesson: m2-l1-relationships   # the lesson that teaches it (optional)
              text: {fr: ..., en: ...}
              choices:
                - id: m2-s1-q1-a
                  correct: true
                  text: {fr: ..., en: ...}
                  feedback: {fr: ..., en: ...}   # on every choice

`validate_quiz` checks an entry without touching the database; `load_quiz` creates or updates
the quiz, its scenarios, questions and choices by id, keeping administrators' edits unless
`force`, exactly as the course loader does for lessons (the same fingerprints). Nothing is
deleted: what the file no longer has is reported as "left".
"""

import re

from django.utils import translation

from courses.loader import CurriculumError, LoadReport
from courses.loader.report import digest, fingerprint, normal
from courses.models import Lesson, Module
from quizzes.models import Choice, Question, Quiz, Scenario, Setting, choice_set_error

QUESTIONS_PER_SCENARIO = (2, 4)
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ID_MAX_LENGTH = 80
TITLE_MAX_LENGTH = 200
LANGUAGES = {"fr": "French", "en": "English"}

QUIZ_FIELDS = ("pass_mark", "max_attempts", "shuffle_choices")
SCENARIO_FIELDS = ("setting", "title_fr", "title_en", "situation_fr", "situation_en")
QUESTION_FIELDS = ("kind", "text_fr", "text_en", "lesson_id")
CHOICE_FIELDS = ("is_correct", "text_fr", "text_en", "feedback_fr", "feedback_en")


# --- checking -------------------------------------------------------------------------------


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

    def quiz(self, data, entry):
        self.mapping(data, entry, ("scenarios",), QUIZ_FIELDS)
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
        for index, scenario in enumerate(self.items(data, "scenarios", entry)):
            self.scenario(scenario, f"{entry}.scenarios[{index}]", seen)

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
            self.mapping(choice, choice_entry, ("id", "correct", "text", "feedback"))
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


def validate_quiz(*, data, path, entry: str, lesson_keys) -> None:
    """Check a module's `quiz` entry; raises CurriculumError. Touches no database."""
    _Check(path, lesson_keys).quiz(data, entry)


# --- writing --------------------------------------------------------------------------------


def _texts(data, key) -> dict[str, str]:
    return {f"{key}_{language}": normal(data[key][language]) for language in LANGUAGES}


def _sync(instance, values, fields, *, structure, label, force, report: LoadReport) -> None:
    """Write the file's `values` unless an administrator edited them; `structure` always.

    The same rule, and the same fingerprints, as the course loader's lessons.
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
        instance.curriculum_fingerprint = wanted
        changed.append("curriculum_fingerprint")
    if changed:
        instance.save(update_fields=sorted(set(changed)))
    getattr(report, action)(label)


def _by_key(objects, kind, path):
    found = {}
    unkeyed = 0
    for obj in objects:
        if not obj.key:
            unkeyed += 1
        elif obj.key in found:
            raise CurriculumError(
                path,
                f"{kind} {obj.key}",
                f"two {kind}s of this quiz in the database have this id: "
                "change one of them in the admin, then load again",
            )
        else:
            found[obj.key] = obj
    return found, unkeyed


def load_quiz(*, module: Module, data, force: bool, report: LoadReport) -> Quiz:
    """Create or update the module's quiz from its checked `quiz` entry (in the caller's
    transaction). Loading the same file twice changes nothing."""
    path = report.source
    quiz = Quiz.objects.filter(module=module).first() or Quiz(module=module)
    _sync(
        quiz,
        {
            "pass_mark": data.get("pass_mark", 80),
            "max_attempts": data.get("max_attempts"),
            "shuffle_choices": data.get("shuffle_choices", True),
        },
        QUIZ_FIELDS,
        structure={},
        label=f"quiz {module.key}",
        force=force,
        report=report,
    )
    scenarios, unkeyed = _by_key(Scenario.objects.filter(quiz=quiz), "scenario", path)
    questions, more = _by_key(Question.objects.filter(scenario__quiz=quiz), "question", path)
    choices, most = _by_key(Choice.objects.filter(question__scenario__quiz=quiz), "choice", path)
    unkeyed += more + most
    lessons = dict(
        Lesson.objects.filter(module__course_id=module.course_id)
        .exclude(key="")
        .values_list("key", "pk")
    )
    for position, scenario_data in enumerate(data["scenarios"], start=1):
        key = scenario_data["id"]
        scenario = scenarios.pop(key, None) or Scenario(quiz=quiz, key=key)
        _sync(
            scenario,
            {
                "setting": scenario_data["setting"],
                **_texts(scenario_data, "title"),
                **_texts(scenario_data, "situation"),
            },
            SCENARIO_FIELDS,
            structure={"position": position},
            label=f"scenario {key}",
            force=force,
            report=report,
        )
        for question_position, question_data in enumerate(scenario_data["questions"], start=1):
            _load_question(
                question_data,
                scenario=scenario,
                position=question_position,
                existing=(questions, choices),
                lessons=lessons,
                force=force,
                report=report,
            )
    for kind, left in (("scenario", scenarios), ("question", questions), ("choice", choices)):
        for key in left:
            report.left(f"{kind} {key} (not in the file: delete it in the admin if it should go)")
    if unkeyed:
        report.left(f"{unkeyed} scenario(s), question(s) or choice(s) added in the admin")
    return quiz


def _load_question(data, *, scenario, position, existing, lessons, force, report):
    questions, choices = existing
    key = data["id"]
    question = questions.pop(key, None) or Question(key=key)
    _sync(
        question,
        {
            "kind": data["kind"],
            **_texts(data, "text"),
            "lesson_id": lessons.get(data.get("lesson")),
        },
        QUESTION_FIELDS,
        structure={"scenario_id": scenario.pk, "position": position},
        label=f"question {key}",
        force=force,
        report=report,
    )
    for choice_position, choice_data in enumerate(data["choices"], start=1):
        choice_key = choice_data["id"]
        choice = choices.pop(choice_key, None) or Choice(key=choice_key)
        _sync(
            choice,
            {
                "is_correct": choice_data["correct"],
                **_texts(choice_data, "text"),
                **_texts(choice_data, "feedback"),
            },
            CHOICE_FIELDS,
            structure={"question_id": question.pk, "position": choice_position},
            label=f"choice {choice_key}",
            force=force,
            report=report,
        )
    # Administrators' edits kept on some rows and the file's values written on others could
    # together make a question that cannot be graded: refuse the whole load then.
    with translation.override("en"):
        problem = choice_set_error(
            kind=question.kind,
            choice_count=Choice.objects.filter(question=question).count(),
            correct_count=Choice.objects.filter(question=question, is_correct=True).count(),
        )
    if problem:
        raise CurriculumError(
            report.source,
            f"question {key}",
            f"{problem} (with the edits kept from the admin; load with --force to use the "
            "file's version, or fix the question in the admin)",
        )
