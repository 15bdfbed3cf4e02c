"""Scenario quizzes: one per module, graded on the server.

A quiz holds scenarios (a situation from one kind of workplace, or from any); each scenario
holds questions, each question its choices (`content`). A learner's attempt fixes, when it
starts, the questions it gives, so grading uses exactly what the learner was shown
(`attempts`).
"""

from quizzes.models.attempts import Answer, AnswerChoice, Attempt, AttemptQuestion
from quizzes.models.content import (
    ERROR_NO_CORRECT_CHOICE,
    ERROR_RIGHT_CHOICE_WITH_LEVEL,
    ERROR_SINGLE_NEEDS_ONE_CORRECT,
    ERROR_TOO_FEW_CHOICES,
    Choice,
    Question,
    Quiz,
    Scenario,
    Setting,
    choice_set_error,
)

__all__ = [
    "ERROR_NO_CORRECT_CHOICE",
    "ERROR_RIGHT_CHOICE_WITH_LEVEL",
    "ERROR_SINGLE_NEEDS_ONE_CORRECT",
    "ERROR_TOO_FEW_CHOICES",
    "Answer",
    "AnswerChoice",
    "Attempt",
    "AttemptQuestion",
    "Choice",
    "Question",
    "Quiz",
    "Scenario",
    "Setting",
    "choice_set_error",
]
