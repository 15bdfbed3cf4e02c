"""What quizzes add to a course (registered in `QuizzesConfig.ready`; see `courses.hooks`):
the quiz requirement of completion, each module's quiz state on the course page, and the
quiz that marking a module's last lesson as done leads to, and the translations its
quizzes miss."""

from django.template.loader import render_to_string

from courses import hooks
from quizzes import selectors, translation_status

MODULE_QUIZ_TEMPLATE = "quizzes/includes/module_quiz_state.html"


def module_quiz_sections(outline, request) -> dict[int, str]:
    """{module id: the module's quiz and where the learner stands with it}, two queries."""
    states = selectors.quiz_states_by_module(
        modules=outline.modules, user=request.user, enrollment=outline.enrollment
    )
    return {
        module_id: render_to_string(
            MODULE_QUIZ_TEMPLATE, {"state": state, "enrolled": outline.enrollment}, request
        )
        for module_id, state in states.items()
    }


def quiz_after_lessons(outline, module_id: int) -> str | None:
    """The module's quiz, once its lessons are done and until it is passed."""
    quiz = selectors.quiz_due_after_lessons(outline=outline, module_id=module_id)
    return quiz.get_absolute_url() if quiz is not None else None


def register() -> None:
    # A course is complete only when every module's quiz is passed in the current cycle.
    hooks.completion_requirements.register(selectors.enrollment_quizzes_passed)
    # The same requirement as steps: the progress counts them and Resume leads to them.
    hooks.course_steps.register(selectors.quiz_steps)
    hooks.module_sections.register(module_quiz_sections)
    hooks.next_steps.register(quiz_after_lessons)
    # A course is not published while its quizzes miss a translation.
    hooks.translation_gaps.register(translation_status.quiz_translation_gaps)
