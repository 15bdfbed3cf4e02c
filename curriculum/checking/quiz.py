"""Checking a module's `quiz` entry. In the curriculum file:

    quiz:
      pass_mark: 80            # optional, percent (default 80)
      max_attempts: null       # optional, null = no limit
      shuffle_choices: true    # optional (default true)
      scenarios:
        - id: m2-s1-shelter
          setting: shelter     # shelter | group_home | school | any
          title: {fr: ..., en: ...}
          situation: {fr: ..., en: ...}
          questions:           # 2 to 5
            - id: m2-s1-q1
              kind: single     # single | multiple ("select all that apply")
              lesson: m2-l1-relationships   # the lesson that teaches it (optional)
              text: {fr: ..., en: ...}
              choices:
                - id: m2-s1-q1-a
                  correct: true
                  text: {fr: ..., en: ...}
                  feedback: {fr: ..., en: ...}   # on every choice
                - id: m2-s1-q1-b
                  correct: false
                  level: harmful   # wrong choices only: partly | wrong | harmful
                  text: {fr: ..., en: ...}
                  feedback: {fr: ..., en: ...}

Ids are unique within the quiz (scenarios, questions and choices together).
"""

from django.utils import translation
from django.utils.translation import gettext_noop

from curriculum.checking.base import Checks, max_length, value_range
from curriculum.report import Problem
from curriculum.specs import ChoiceSpec, QuestionSpec, QuizSpec, ScenarioSpec
from quizzes.models import Choice, Question, Quiz, Scenario, Setting, choice_set_error

QUESTIONS_PER_SCENARIO = (2, 5)
QUIZ_KEYS = ("pass_mark", "max_attempts", "shuffle_choices")


class QuizChecks(Checks):
    def quiz_identifier(self, mapping, entry, seen, model) -> str:
        value = self.identifier(mapping, "id", entry, limit=max_length(model, "key"))
        if value in seen:
            self.fail(
                entry,
                Problem(gettext_noop("duplicate id (also %(first)s)"), first=seen[value]),
                mapping,
                "id",
            )
        seen[value] = entry
        return value

    def quiz(self, data, entry, lesson_keys) -> QuizSpec:
        self.mapping(data, entry, ("scenarios",), QUIZ_KEYS)
        pass_mark = Quiz._meta.get_field("pass_mark").default
        if "pass_mark" in data:
            pass_mark = self.integer(data, "pass_mark", entry, *value_range(Quiz, "pass_mark"))
        attempts = data.get("max_attempts")
        if attempts is not None and (
            isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1
        ):
            self.fail(
                entry,
                Problem(gettext_noop("max_attempts: must be a whole number from 1, or null")),
                data,
                "max_attempts",
            )
        shuffle = Quiz._meta.get_field("shuffle_choices").default
        values = {
            "pass_mark": pass_mark,
            "max_attempts": attempts,
            "shuffle_choices": self.boolean(data, "shuffle_choices", entry, shuffle),
        }
        seen = {}
        scenarios = [
            self.scenario(scenario, f"{entry}.scenarios[{index}]", seen, lesson_keys)
            for index, scenario in enumerate(self.items(data, "scenarios", entry))
        ]
        # Learners of another kind of workplace get only these: without one, they could
        # never pass the quiz, nor complete the course.
        if not any(scenario.values["setting"] == Setting.ANY for scenario in scenarios):
            self.fail(
                entry,
                Problem(
                    gettext_noop(
                        "scenarios: at least one must have `setting: any` (the only ones given to "
                        "learners whose workplace is none of shelter, group_home, school)"
                    )
                ),
                data,
                "scenarios",
            )
        return QuizSpec(values, scenarios)

    def scenario(self, scenario, entry, seen, lesson_keys) -> ScenarioSpec:
        self.mapping(scenario, entry, ("id", "setting", "title", "situation", "questions"))
        key = self.quiz_identifier(scenario, entry, seen, Scenario)
        entry = f"{entry} ({key})"
        if scenario["setting"] not in Setting.values:
            self.fail(
                entry,
                Problem(
                    gettext_noop("setting: %(value)s is not one of %(known)s"),
                    value=repr(scenario["setting"]),
                    known=", ".join(Setting.values),
                ),
                scenario,
                "setting",
            )
        values = {
            "setting": scenario["setting"],
            **self.text(scenario, "title", entry, model=Scenario),
            **self.text(scenario, "situation", entry, model=Scenario),
        }
        questions = [
            self.question(question, f"{entry}.questions[{index}]", seen, lesson_keys)
            for index, question in enumerate(
                self.items(scenario, "questions", entry, count=QUESTIONS_PER_SCENARIO)
            )
        ]
        return ScenarioSpec(key, values, questions)

    def question(self, question, entry, seen, lesson_keys) -> QuestionSpec:
        self.mapping(question, entry, ("id", "kind", "text", "choices"), ("lesson",))
        key = self.quiz_identifier(question, entry, seen, Question)
        entry = f"{entry} ({key})"
        if question["kind"] not in Question.Kind.values:
            self.fail(
                entry,
                Problem(
                    gettext_noop("kind: %(value)s is not one of %(known)s"),
                    value=repr(question["kind"]),
                    known=", ".join(Question.Kind.values),
                ),
                question,
                "kind",
            )
        lesson = question.get("lesson")
        if lesson is not None and lesson not in lesson_keys:
            self.fail(
                entry,
                Problem(gettext_noop("lesson: unknown lesson id %(lesson)s"), lesson=repr(lesson)),
                question,
                "lesson",
            )
        values = {"kind": question["kind"], **self.text(question, "text", entry, model=Question)}
        choices = [
            self.choice(choice, f"{entry}.choices[{index}]", seen)
            for index, choice in enumerate(self.items(question, "choices", entry))
        ]
        with translation.override("en"):  # the loader speaks English, like its command
            problem = choice_set_error(
                kind=question["kind"],
                choice_count=len(choices),
                correct_count=sum(1 for choice in choices if choice.values["is_correct"]),
            )
        if problem:
            self.fail(entry, problem, question, "choices")
        for index, choice in enumerate(question["choices"]):
            self.level(choice, f"{entry}.choices[{index}] ({choice['id']})")
        return QuestionSpec(key, values, choices, lesson)

    def choice(self, choice, entry, seen) -> ChoiceSpec:
        self.mapping(choice, entry, ("id", "correct", "text", "feedback"), ("level",))
        key = self.quiz_identifier(choice, entry, seen, Choice)
        entry = f"{entry} ({key})"
        values = {
            "is_correct": self.boolean(choice, "correct", entry),
            "level": choice.get("level", ""),
            **self.text(choice, "text", entry, model=Choice),
            **self.text(choice, "feedback", entry, model=Choice),
        }
        return ChoiceSpec(key, values)

    def level(self, choice, entry):
        """A wrong choice says how wrong it is (its feedback is worded so); a right one not."""
        if choice["correct"]:
            if "level" in choice:
                self.fail(
                    entry,
                    Problem(gettext_noop("level: a right choice has no level")),
                    choice,
                    "level",
                )
            return
        levels = ", ".join(Choice.Level.values)
        if "level" not in choice:
            self.fail(
                entry,
                Problem(
                    gettext_noop("level: a wrong choice needs one (%(levels)s)"), levels=levels
                ),
                choice,
            )
        if choice["level"] not in Choice.Level.values:
            self.fail(
                entry,
                Problem(
                    gettext_noop("level: %(value)s is not one of %(levels)s"),
                    value=repr(choice["level"]),
                    levels=levels,
                ),
                choice,
                "level",
            )
