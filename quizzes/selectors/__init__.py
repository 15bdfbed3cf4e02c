"""Reads of the quizzes app: each returns what a page needs in a fixed number of queries.

`learner_workplace(user)` is the one place that decides which scenarios a learner gets.
"""

from quizzes.selectors.attempts import (
    AttemptQuestionView,
    AttemptResult,
    ResultChoice,
    ResultItem,
    ScenarioGroup,
    WhatNext,
    attempt_get_for_learner,
    attempt_questions_to_answer,
    attempt_questions_to_grade,
    attempt_result,
    attempt_what_next,
    choices_in_attempt_order,
    enrollment_for,
    group_by_scenario,
    quiz_get_in_course,
)
from quizzes.selectors.preview import PreviewAttempt, quiz_preview_items, quiz_preview_result
from quizzes.selectors.questions import (
    course_id_of_quiz,
    lessons_of_course,
    question_choice_counts,
)
from quizzes.selectors.states import (
    QuizState,
    QuizStatus,
    enrollment_quizzes_passed,
    quiz_due_after_lessons,
    quiz_start_page,
    quiz_state,
    quiz_states_by_module,
    quiz_steps,
)
from quizzes.selectors.workplace import (
    learner_workplace,
    questions_for,
    settings_for_workplace,
)

__all__ = [
    "AttemptQuestionView",
    "AttemptResult",
    "PreviewAttempt",
    "QuizState",
    "QuizStatus",
    "ResultChoice",
    "ResultItem",
    "ScenarioGroup",
    "WhatNext",
    "attempt_get_for_learner",
    "attempt_questions_to_answer",
    "attempt_questions_to_grade",
    "attempt_result",
    "attempt_what_next",
    "choices_in_attempt_order",
    "enrollment_for",
    "enrollment_quizzes_passed",
    "group_by_scenario",
    "learner_workplace",
    "course_id_of_quiz",
    "lessons_of_course",
    "question_choice_counts",
    "questions_for",
    "quiz_due_after_lessons",
    "quiz_get_in_course",
    "quiz_preview_items",
    "quiz_preview_result",
    "quiz_start_page",
    "quiz_state",
    "quiz_states_by_module",
    "quiz_steps",
    "settings_for_workplace",
]
