"""Reads of the quizzes app: each returns what a page needs in a fixed number of queries."""

import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from courses.models import Course, Enrollment, Module
from courses.workplaces import Workplace
from quizzes.models import (
    Answer,
    Attempt,
    AttemptQuestion,
    Choice,
    Question,
    Quiz,
    Scenario,
    Setting,
)

# --- which scenarios a learner gets -------------------------------------------------------


def workplace_from_organization(user) -> str | None:
    """The kind of the learner's organization (their first membership), if they have one."""
    if not apps.is_installed("organizations"):
        return None
    try:
        membership_model = apps.get_model("organizations", "Membership")
    except LookupError:
        return None
    return (
        membership_model.objects.filter(user=user, role__in=["staff", "supervisor"])
        .order_by("created_at", "pk")
        .values_list("organization__kind", flat=True)
        .first()
    )


def learner_workplace(user) -> str:
    """The kind of workplace whose scenarios the learner gets: the ONE place that decides.

    Their organization's kind when they belong to one, else what they chose on their profile.
    """
    return workplace_from_organization(user) or user.workplace or Workplace.OTHER


def settings_for_workplace(workplace: str) -> list[str]:
    """Scenario settings given to a learner of this workplace: their own, and `any`.

    A workplace without scenarios of its own (`other`) gets only the `any` ones.
    """
    if workplace in Setting.values and workplace != Setting.ANY:
        return [workplace, Setting.ANY]
    return [Setting.ANY]


def questions_for(*, quiz: Quiz, workplace: str) -> QuerySet[Question]:
    """The questions a learner of this workplace is given, in the order they are asked."""
    return Question.objects.filter(
        scenario__quiz=quiz, scenario__setting__in=settings_for_workplace(workplace)
    ).order_by("scenario__position", "scenario_id", "position", "pk")


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


def choices_in_attempt_order(*, attempt: Attempt, question: Question) -> list[Choice]:
    """The question's choices in the order this attempt shows them.

    Shuffled when the quiz says so, seeded by the attempt and the question, so that a
    reload, the result page and a re-displayed form all show the same order.
    """
    choices = list(question.choices.all())
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
    hidden = ["is_correct", "feedback", "feedback_fr", "feedback_en"]
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
        Attempt.objects.filter(
            learner_id=attempt.learner_id, quiz=quiz, cycle=attempt.cycle
        ).values_list("passed", flat=True)
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


# --- quiz states: the start page and the course page ----------------------------------------


class QuizStatus:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    PASSED = "passed"
    FAILED = "failed"


@dataclass
class QuizState:
    """Where a learner stands with one quiz in the current cycle of their enrollment."""

    quiz: Quiz
    attempts: list[Attempt] = field(default_factory=list)  # newest first

    @property
    def open_attempt(self) -> Attempt | None:
        return next((a for a in self.attempts if a.submitted_at is None), None)

    @property
    def passed_attempt(self) -> Attempt | None:
        return next((a for a in self.attempts if a.passed), None)

    @property
    def last_submitted(self) -> Attempt | None:
        return next((a for a in self.attempts if a.submitted_at is not None), None)

    @property
    def best_score(self) -> int | None:
        scores = [a.score for a in self.attempts if a.score is not None]
        return max(scores) if scores else None

    @property
    def status(self) -> str:
        if self.passed_attempt:
            return QuizStatus.PASSED
        if self.open_attempt:
            return QuizStatus.IN_PROGRESS
        if self.last_submitted:
            return QuizStatus.FAILED
        return QuizStatus.NOT_STARTED

    @property
    def attempts_used(self) -> int:
        return len(self.attempts)

    @property
    def attempts_left(self) -> int | None:
        if self.quiz.max_attempts is None:
            return None
        return max(self.quiz.max_attempts - self.attempts_used, 0)

    @property
    def can_start(self) -> bool:
        """A new attempt may be started (an open one is resumed instead)."""
        return (
            self.open_attempt is None
            and self.passed_attempt is None
            and (self.attempts_left is None or self.attempts_left > 0)
        )


def _attempts_in_cycle(*, learner, enrollment: Enrollment | None, quiz_ids) -> QuerySet[Attempt]:
    if enrollment is None:
        return Attempt.objects.none()
    return Attempt.objects.filter(
        learner=learner, quiz_id__in=quiz_ids, cycle=enrollment.cycle
    ).order_by("-number", "-pk")


def quiz_state(*, quiz: Quiz, learner, enrollment: Enrollment | None) -> QuizState:
    """The learner's attempts at the quiz in the enrollment's current cycle (one query)."""
    attempts = list(_attempts_in_cycle(learner=learner, enrollment=enrollment, quiz_ids=[quiz.pk]))
    for attempt in attempts:
        attempt.quiz = quiz
    return QuizState(quiz=quiz, attempts=attempts)


def modules_with_quiz_states(*, modules: list[Module], user, enrollment: Enrollment | None):
    """Set `quiz_state` on each module (None when it has no quiz), in two queries at most.

    For the course page: the modules come from `courses.selectors.course_outline`.
    """
    quizzes = {
        quiz.module_id: quiz for quiz in Quiz.objects.filter(module__in=[m.pk for m in modules])
    }
    states = {module_id: QuizState(quiz=quiz) for module_id, quiz in quizzes.items()}
    if quizzes and enrollment is not None and user.is_authenticated:
        by_quiz = {state.quiz.pk: state for state in states.values()}
        for attempt in _attempts_in_cycle(
            learner=user, enrollment=enrollment, quiz_ids=list(by_quiz)
        ):
            state = by_quiz[attempt.quiz_id]
            attempt.quiz = state.quiz
            state.attempts.append(attempt)
    for module in modules:
        module.quiz_state = states.get(module.pk)
        if module.quiz_state is not None:
            module.quiz_state.quiz.module = module
    return modules


def quiz_due_after_lessons(*, outline, module_id: int) -> Quiz | None:
    """The module's quiz if all its lessons are done and the quiz is not passed yet.

    Where marking a module's last lesson as done leads. `outline` is a
    `courses.selectors.CourseOutline`.
    """
    module = next((m for m in outline.modules if m.pk == module_id), None)
    if module is None or outline.enrollment is None:
        return None
    if any(lesson.pk not in outline.done_ids for lesson in module.lessons.all()):
        return None
    quiz = Quiz.objects.filter(module_id=module_id).first()
    if quiz is None:
        return None
    passed = Attempt.objects.filter(
        learner_id=outline.enrollment.learner_id,
        quiz=quiz,
        cycle=outline.enrollment.cycle,
        passed=True,
    ).exists()
    if passed:
        return None
    quiz.module = module
    return quiz


# --- completion -----------------------------------------------------------------------------


def enrollment_quizzes_passed(enrollment: Enrollment) -> bool:
    """Every quiz of the course has a passed attempt in the enrollment's current cycle.

    Registered as a completion requirement of courses (see QuizzesConfig.ready).
    """
    passed = Attempt.objects.filter(
        learner_id=enrollment.learner_id, cycle=enrollment.cycle, passed=True
    ).values("quiz_id")
    return not (
        Quiz.objects.filter(module__course_id=enrollment.course_id)
        .filter(~Q(pk__in=passed))
        .exists()
    )
