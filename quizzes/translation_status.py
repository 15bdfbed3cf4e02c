"""The translations missing in a course's quizzes (registered in `courses.hooks.translation_gaps`
by `quizzes.course_page.register`): scenarios, questions, choices and their feedback, in
three queries whatever the number of quizzes. The rule is `courses.translation_status`'s."""

from courses.translation_status import Gap, gap_filter, gaps_of, module_order
from quizzes.models import Choice, Question, Scenario


def quiz_translation_gaps(course_ids: list[int]) -> list[Gap]:
    gaps = []
    scenarios = (
        Scenario.objects.filter(quiz__module__course_id__in=course_ids)
        .filter(gap_filter(Scenario))
        .select_related("quiz__module")
    )
    for scenario in scenarios:
        module = scenario.quiz.module
        gaps += gaps_of(
            scenario,
            course_id=module.course_id,
            module=module,
            in_quiz=True,
            order=(*module_order(module), 2, scenario.position, scenario.pk, -1, 0, 0),
        )
    questions = (
        Question.objects.filter(scenario__quiz__module__course_id__in=course_ids)
        .filter(gap_filter(Question))
        .select_related("scenario__quiz__module")
    )
    for question in questions:
        scenario, module = question.scenario, question.scenario.quiz.module
        gaps += gaps_of(
            question,
            course_id=module.course_id,
            module=module,
            in_quiz=True,
            order=(*module_order(module), 2, scenario.position, scenario.pk)
            + (question.position, question.pk, -1),
        )
    choices = (
        Choice.objects.filter(question__scenario__quiz__module__course_id__in=course_ids)
        .filter(gap_filter(Choice))
        .select_related("question__scenario__quiz__module")
    )
    for choice in choices:
        question = choice.question
        scenario, module = question.scenario, question.scenario.quiz.module
        gaps += gaps_of(
            choice,
            course_id=module.course_id,
            module=module,
            in_quiz=True,
            # A choice and its feedback are written on the question's page.
            edited_at=question,
            order=(*module_order(module), 2, scenario.position, scenario.pk)
            + (question.position, question.pk, choice.position, choice.pk),
        )
    return gaps
