"""Attempts: fetching them for their learner, the attempt page and the result page."""

import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404

from courses.models import Course, Enrollment
from courses.progress import Step, progress_for
from quizzes.models import Answer, Attempt, AttemptQuestion, Choice, Question, Quiz, Scenario
from quizzes.selectors.states import quiz_step_order

# --- fetching what the user may see ----------------------------------------------------


def quiz_get_in_course(*, course: Course, module_id: int) -> Quiz:
    """The quiz of the course's module; 404 if the module has none or is another course's."""
    try:
        quiz = Quiz.objects.select_related("module").get(module_id=module_id, module__course=course)
    except Quiz.DoesNotExist as exc:
        raise Http404 from exc
    quiz.module.course = course
    return quiz


def attempt_get_for_learner(*, learner, attempt_id: int) -> Attempt:
    """The learner's own attempt; 404 for anyone else's (or an unknown id)."""
    try:
        return Attempt.objects.select_related("quiz__module__course").get(
            pk=attempt_id, learner=learner
        )
    except Attempt.DoesNotExist as exc:
        raise Http404 from exc


def enrollment_for(*, learner, course_id: int) -> Enrollment | None:
    return Enrollment.objects.filter(learner=learner, course_id=course_id).first()


# --- the order of choices -------------------------------------------------------------------


def choices_in_attempt_order(
    *, attempt: Attempt, question: Question, choices: list[Choice] | None = None
) -> list[Choice]:
    """The question's choices (`choices`, or its prefetched ones) in the order this
    attempt shows them.

    Shuffled when the quiz says so, seeded by the attempt and the question, so that a
    reload, the result page and a re-displayed form all show the same order.
    """
    choices = list(question.choices.all() if choices is None else choices)
    if attempt.quiz.shuffle_choices:
        random.Random(f"{attempt.pk}:{question.pk}").shuffle(choices)
    return choices


# --- the attempt page -----------------------------------------------------------------------


@dataclass
class AttemptQuestionView:
    number: int
    question: Question
    choices: list[Choice]


@dataclass
class ScenarioGroup:
    scenario: Scenario
    items: list = field(default_factory=list)


def group_by_scenario(items: Iterable) -> list[ScenarioGroup]:
    """Consecutive items (each with a `.question`) grouped under their scenario."""
    groups: list[ScenarioGroup] = []
    for item in items:
        if not groups or groups[-1].scenario.pk != item.question.scenario_id:
            groups.append(ScenarioGroup(scenario=item.question.scenario))
        groups[-1].items.append(item)
    return groups


def attempt_questions_to_answer(*, attempt: Attempt) -> list[AttemptQuestionView]:
    """The questions of the attempt with their choices, without correctness or feedback.

    What the attempt page shows: the fields that say which choice is right, and why, are
    not even read from the database.
    """
    hidden = ["is_correct", "level", "feedback", "feedback_fr", "feedback_en"]
    attempt_questions = (
        AttemptQuestion.objects.filter(attempt=attempt)
        .select_related("question__scenario")
        .prefetch_related(
            Prefetch("question__choices", queryset=Choice.objects.defer(*hidden).order_by())
        )
        .order_by("position", "pk")
    )
    return [
        AttemptQuestionView(
            number=index,
            question=aq.question,
            choices=choices_in_attempt_order(attempt=attempt, question=aq.question),
        )
        for index, aq in enumerate(attempt_questions, start=1)
    ]


def attempt_questions_to_grade(*, attempt: Attempt) -> list[AttemptQuestionView]:
    """The questions of the attempt with their choices, correctness included: what a
    submission is checked against (`AttemptForm`) and graded on (`services.attempt_submit`
    with `items=`), read once for both, in two queries. Never shown: the form that the
    page re-displays after an error uses only the choices' texts. Feedback is not read.

    The choices are grouped here rather than by `prefetch_related`, which builds a
    queryset for each question (a third of a 30-question submission's time).
    """
    attempt_questions = list(
        AttemptQuestion.objects.filter(attempt=attempt)
        .select_related("question__scenario")
        .order_by("position", "pk")
    )
    by_question: dict[int, list[Choice]] = {aq.question_id: [] for aq in attempt_questions}
    for choice in (
        Choice.objects.filter(question__attempt_questions__attempt=attempt)
        .only("question_id", "position", "text", "is_correct")
        .order_by("question_id", "position", "pk")
    ):
        by_question[choice.question_id].append(choice)
    return [
        AttemptQuestionView(
            number=index,
            question=aq.question,
            choices=choices_in_attempt_order(
                attempt=attempt, question=aq.question, choices=by_question[aq.question_id]
            ),
        )
        for index, aq in enumerate(attempt_questions, start=1)
    ]


# --- the result page ------------------------------------------------------------------------


@dataclass
class ResultChoice:
    choice: Choice
    chosen: bool


@dataclass
class ResultItem:
    number: int
    question: Question
    is_correct: bool
    choices: list[ResultChoice]


@dataclass
class AttemptResult:
    attempt: Attempt
    groups: list[ScenarioGroup]
    lessons_to_review: list
    attempts_used: int
    attempts_left: int | None  # None: no limit
    is_current_cycle: bool
    passed_in_cycle: bool

    @property
    def question_count(self) -> int:
        return sum(len(group.items) for group in self.groups)

    @property
    def right_count(self) -> int:
        return sum(1 for group in self.groups for item in group.items if item.is_correct)

    @property
    def can_retry(self) -> bool:
        return (
            self.is_current_cycle
            and not self.passed_in_cycle
            and (self.attempts_left is None or self.attempts_left > 0)
        )

    @property
    def can_practise(self) -> bool:
        """The quiz is passed in the current cycle: another try is for practice."""
        return self.is_current_cycle and self.passed_in_cycle


def attempt_result(*, attempt: Attempt) -> AttemptResult:
    """Everything the result page shows, in a fixed number of queries (five)."""
    quiz = attempt.quiz
    attempt_questions = (
        AttemptQuestion.objects.filter(attempt=attempt)
        .select_related("question__scenario", "question__lesson__module__course")
        .prefetch_related(Prefetch("question__choices", queryset=Choice.objects.order_by()))
        .order_by("position", "pk")
    )
    answers = Answer.objects.filter(attempt=attempt).prefetch_related("answer_choices")
    by_question = {
        answer.question_id: (
            answer.is_correct,
            {chosen.choice_id for chosen in answer.answer_choices.all()},
        )
        for answer in answers
    }
    items = []
    lessons_to_review = []
    for number, aq in enumerate(attempt_questions, start=1):
        question = aq.question
        is_correct, chosen_ids = by_question.get(question.pk, (False, set()))
        ordered = choices_in_attempt_order(attempt=attempt, question=question)
        items.append(
            ResultItem(
                number=number,
                question=question,
                is_correct=is_correct,
                choices=[ResultChoice(choice=c, chosen=c.pk in chosen_ids) for c in ordered],
            )
        )
        if not is_correct and question.lesson and question.lesson not in lessons_to_review:
            lessons_to_review.append(question.lesson)
    lessons_to_review.sort(key=lambda lesson: (lesson.module.position, lesson.position, lesson.pk))

    enrollment = enrollment_for(learner=attempt.learner_id, course_id=quiz.module.course_id)
    cycle_attempts = list(
        Attempt.objects.recorded()
        .filter(learner_id=attempt.learner_id, quiz=quiz, cycle=attempt.cycle)
        .values_list("passed", flat=True)
    )
    used = len(cycle_attempts)
    return AttemptResult(
        attempt=attempt,
        groups=group_by_scenario(items),
        lessons_to_review=lessons_to_review,
        attempts_used=used,
        attempts_left=None if quiz.max_attempts is None else max(quiz.max_attempts - used, 0),
        is_current_cycle=enrollment is not None and enrollment.cycle == attempt.cycle,
        passed_in_cycle=any(cycle_attempts),
    )


# --- what comes next ------------------------------------------------------------------------


@dataclass
class WhatNext:
    """What a passed quiz's result page leads to: the course complete, or its next step."""

    course_complete: bool
    step: Step | None = None


def attempt_what_next(*, attempt: Attempt, learner) -> WhatNext | None:
    """After a pass (or any practice attempt) in the current cycle: the course complete,
    else the first step not done after this module's quiz (the next module's first
    lesson, or quiz), else the first one left anywhere. None for an earlier cycle's."""
    enrollment = enrollment_for(learner=learner, course_id=attempt.course_id)
    if enrollment is None or enrollment.cycle != attempt.cycle:
        return None
    progress = progress_for(learner=learner, enrollments=[enrollment])[enrollment.pk]
    if progress.is_complete:
        return WhatNext(course_complete=True)
    return WhatNext(
        course_complete=False,
        step=progress.next_step_after(quiz_step_order(attempt.quiz.module)),
    )
