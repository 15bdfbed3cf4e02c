"""Writing a checked `quiz` entry: created or updated by id, administrators' edits kept."""

from django.utils import translation

from courses.loader import CurriculumError, LoadReport
from courses.loader.report import normal
from courses.loader.writing import entry_sync
from courses.models import Lesson, Module
from quizzes.curriculum.checking import LANGUAGES
from quizzes.models import Choice, Question, Quiz, Scenario, choice_set_error

QUIZ_FIELDS = ("pass_mark", "max_attempts", "shuffle_choices")
SCENARIO_FIELDS = ("setting", "title_fr", "title_en", "situation_fr", "situation_en")
QUESTION_FIELDS = ("kind", "text_fr", "text_en", "lesson_id")
CHOICE_FIELDS = ("is_correct", "level", "text_fr", "text_en", "feedback_fr", "feedback_en")


def _texts(data, key) -> dict[str, str]:
    return {f"{key}_{language}": normal(data[key][language]) for language in LANGUAGES}


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
    entry_sync(
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
        entry_sync(
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
    entry_sync(
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
        entry_sync(
            choice,
            {
                "is_correct": choice_data["correct"],
                "level": choice_data.get("level", ""),
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
