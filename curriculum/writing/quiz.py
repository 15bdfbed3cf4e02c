"""Writing a module's checked quiz: created or updated by id, administrators' edits kept,
exactly as for lessons. Nothing is deleted: what the file no longer has is reported "left"."""

from django.utils import translation

from courses.models import Lesson, Module
from curriculum.report import CurriculumError, LoadReport
from curriculum.specs import QuestionSpec, QuizSpec, ScenarioSpec
from curriculum.writing.entries import by_key, entry_sync
from quizzes.models import Choice, Question, Quiz, Scenario, choice_set_error


def quiz_write(spec: QuizSpec, *, module: Module, force: bool, report: LoadReport) -> Quiz:
    """Create or update the module's quiz (in the caller's transaction). Loading the same
    file twice changes nothing."""
    path = report.source
    quiz = Quiz.objects.filter(module=module).first() or Quiz(module=module)
    entry_sync(
        quiz, spec.values, structure={}, label=f"quiz {module.key}", force=force, report=report
    )
    existing = {}
    unkeyed = 0
    for kind, rows in (
        ("scenario", Scenario.objects.filter(quiz=quiz)),
        ("question", Question.objects.filter(scenario__quiz=quiz).select_related("lesson")),
        ("choice", Choice.objects.filter(question__scenario__quiz=quiz)),
    ):
        existing[kind], count = by_key(rows, kind, path=path, within="quiz")
        unkeyed += count
    lessons = dict(
        Lesson.objects.filter(module__course_id=module.course_id)
        .exclude(key="")
        .values_list("key", "pk")
    )
    for position, scenario_spec in enumerate(spec.scenarios, start=1):
        _scenario_write(
            scenario_spec,
            quiz=quiz,
            position=position,
            existing=existing,
            lessons=lessons,
            force=force,
            report=report,
        )
    for kind, left in existing.items():
        for key in left:
            report.left(f"{kind} {key} (not in the file: delete it in the admin if it should go)")
    if unkeyed:
        report.left(f"{unkeyed} scenario(s), question(s) or choice(s) added in the admin")
    return quiz


def _scenario_write(spec: ScenarioSpec, *, quiz, position, existing, lessons, force, report):
    scenario = existing["scenario"].pop(spec.key, None) or Scenario(quiz=quiz, key=spec.key)
    entry_sync(
        scenario,
        spec.values,
        structure={"position": position},
        label=f"scenario {spec.key}",
        force=force,
        report=report,
    )
    for question_position, question_spec in enumerate(spec.questions, start=1):
        _question_write(
            question_spec,
            scenario=scenario,
            position=question_position,
            existing=existing,
            lesson_id=lessons.get(question_spec.lesson_key),
            lesson_key=question_spec.lesson_key,
            force=force,
            report=report,
        )


def _question_write(
    spec: QuestionSpec, *, scenario, position, existing, lesson_id, lesson_key, force, report
):
    question = existing["question"].pop(spec.key, None) or Question(key=spec.key)
    entry_sync(
        question,
        {**spec.values, "lesson_id": lesson_id},
        structure={"scenario_id": scenario.pk, "position": position},
        label=f"question {spec.key}",
        force=force,
        report=report,
        keys={"lesson_id": lesson_key if lesson_id else None},
    )
    for choice_position, choice_spec in enumerate(spec.choices, start=1):
        choice = existing["choice"].pop(choice_spec.key, None) or Choice(key=choice_spec.key)
        entry_sync(
            choice,
            choice_spec.values,
            structure={"question_id": question.pk, "position": choice_position},
            label=f"choice {choice_spec.key}",
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
            f"question {spec.key}",
            f"{problem} (with the edits kept from the admin; load with --force to use the "
            "file's version, or fix the question in the admin)",
        )
