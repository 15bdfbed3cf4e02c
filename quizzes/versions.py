"""The quizzes' part of a course's content in a published version (registered in
`QuizzesConfig.ready`; see `courses.hooks.content_snapshots` and `courses.versions`)."""

from courses import hooks
from courses.versions import entry
from quizzes.models import Choice, Question, Quiz, Scenario


def quizzes_snapshot(course) -> list[dict]:
    """Every quiz of the course, its scenarios, questions and choices: four queries."""
    quizzes = list(
        Quiz.objects.filter(module__course=course)
        .select_related("module")
        .order_by("module__position", "pk")
    )
    scenarios = list(
        Scenario.objects.filter(quiz__module__course=course).order_by("quiz_id", "position", "pk")
    )
    questions = list(
        Question.objects.filter(scenario__quiz__module__course=course).order_by(
            "scenario_id", "position", "pk"
        )
    )
    choices = Choice.objects.filter(question__scenario__quiz__module__course=course).order_by(
        "question_id", "position", "pk"
    )
    scenario_by_id = {scenario.pk: scenario for scenario in scenarios}
    question_by_id = {question.pk: question for question in questions}
    return [
        *(entry(kind="quiz", row=quiz.module, parent=None) | _quiz(quiz) for quiz in quizzes),
        *(
            entry(kind="scenario", row=scenario, parent=_module_of(quizzes, scenario.quiz_id))
            for scenario in scenarios
        ),
        *(
            entry(
                kind="question",
                row=question,
                label="text",
                parent=scenario_by_id[question.scenario_id],
            )
            for question in questions
        ),
        *(
            entry(
                kind="choice",
                row=choice,
                label="text",
                parent=question_by_id[choice.question_id],
                parent_label="text",
            )
            for choice in choices
        ),
    ]


def _quiz(quiz) -> dict:
    # A quiz has no title of its own: it is named after its module.
    return {
        "id": quiz.pk,
        "fields": {name: getattr(quiz, name) for name in Quiz.curriculum_fields},
    }


def _module_of(quizzes, quiz_id):
    return next((quiz.module for quiz in quizzes if quiz.pk == quiz_id), None)


def register() -> None:
    hooks.content_snapshots.register(quizzes_snapshot)
