"""Where a learner stands with each quiz: the start page, the course page, completion."""

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext, ngettext

from accounts.workplaces import Workplace
from courses.models import Enrollment, Module
from courses.progress import Step
from quizzes.models import Attempt, Quiz
from quizzes.selectors.workplace import learner_workplace, questions_for

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
    attempts: list[Attempt] = field(default_factory=list)  # newest first, practice included

    @property
    def recorded(self) -> list[Attempt]:
        """The attempts that count (practice ones change no result)."""
        return [a for a in self.attempts if not a.practice]

    @property
    def open_attempt(self) -> Attempt | None:
        return next((a for a in self.attempts if a.submitted_at is None), None)

    @property
    def passed_attempt(self) -> Attempt | None:
        return next((a for a in self.recorded if a.passed), None)

    @property
    def last_submitted(self) -> Attempt | None:
        return next((a for a in self.attempts if a.submitted_at is not None), None)

    @property
    def best_score(self) -> int | None:
        scores = [a.score for a in self.recorded if a.score is not None]
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
        return len(self.recorded)

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

    @property
    def can_practise(self) -> bool:
        """Passed: another attempt may be taken for practice (an open one is resumed)."""
        return self.open_attempt is None and self.passed_attempt is not None


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


def quiz_states_by_module(
    *, modules: list[Module], user, enrollment: Enrollment | None
) -> dict[int, QuizState]:
    """{module id: the learner's QuizState} for the modules that have a quiz, in two
    queries at most. The modules are left as they are.

    For the course page: the modules come from `courses.selectors.course_outline`.
    """
    by_pk = {module.pk: module for module in modules}
    quizzes = list(Quiz.objects.filter(module__in=list(by_pk)))
    for quiz in quizzes:
        quiz.module = by_pk[quiz.module_id]  # the quiz's URL needs no query for its course
    states = {quiz.module_id: QuizState(quiz=quiz) for quiz in quizzes}
    if states and enrollment is not None and user.is_authenticated:
        by_quiz = {state.quiz.pk: state for state in states.values()}
        for attempt in _attempts_in_cycle(
            learner=user, enrollment=enrollment, quiz_ids=list(by_quiz)
        ):
            state = by_quiz[attempt.quiz_id]
            attempt.quiz = state.quiz
            state.attempts.append(attempt)
    return states


def quiz_start_page(*, quiz: Quiz, learner, enrollment: Enrollment) -> dict:
    """What the quiz's start page says: the learner's `state`, the `question_count` of
    the attempt it leads to (the open one, or the next) and the `workplace_label` of the
    situations drawn (None for "other")."""
    workplace = learner_workplace(learner)
    state = quiz_state(quiz=quiz, learner=learner, enrollment=enrollment)
    number = max((attempt.number for attempt in state.attempts), default=0) + (
        0 if state.open_attempt else 1
    )
    questions = questions_for(quiz=quiz, workplace=workplace, attempt_number=number)
    return {
        "state": state,
        "question_count": questions.count(),
        "workplace_label": Workplace(workplace).label if workplace != Workplace.OTHER else None,
    }


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
    passed = (
        Attempt.objects.recorded()
        .filter(
            learner_id=outline.enrollment.learner_id,
            quiz=quiz,
            cycle=outline.enrollment.cycle,
            passed=True,
        )
        .exists()
    )
    if passed:
        return None
    quiz.module = module
    return quiz


# --- completion -----------------------------------------------------------------------------


def enrollment_quizzes_passed(enrollment: Enrollment) -> bool:
    """Every quiz of the course has a passed attempt in the enrollment's current cycle.

    Registered as a completion requirement of courses (see QuizzesConfig.ready).
    """
    passed = (
        Attempt.objects.recorded()
        .filter(learner_id=enrollment.learner_id, cycle=enrollment.cycle, passed=True)
        .values("quiz_id")
    )
    return not (
        Quiz.objects.filter(module__course_id=enrollment.course_id)
        .filter(~Q(pk__in=passed))
        .exists()
    )


def quizzes_left_text(count: int) -> str:
    return ngettext("%(count)s quiz left", "%(count)s quizzes left", count) % {"count": count}


def quizzes_done_text(count: int) -> str:
    return ngettext("%(count)s quiz passed", "%(count)s quizzes passed", count) % {"count": count}


def quiz_step_order(module: Module) -> tuple:
    """Where a module's quiz comes among the course's steps: after the module's lessons."""
    return (module.position, module.pk, 1)


def quiz_steps(learner, enrollments: list[Enrollment]) -> dict[int, list[Step]]:
    """{enrollment id: each module's quiz as a step, done once passed in the enrollment's
    current cycle}: the rule of `enrollment_quizzes_passed`, for many enrollments in two
    queries. Registered in `courses.hooks.course_steps` (see QuizzesConfig.ready)."""
    by_course = {enrollment.course_id: enrollment for enrollment in enrollments}
    quizzes = Quiz.objects.filter(module__course_id__in=list(by_course)).select_related(
        "module__course"
    )
    passed = set(
        Attempt.objects.recorded()
        .filter(learner_id=learner.pk, course_id__in=list(by_course), passed=True)
        .order_by()
        .values_list("quiz_id", "cycle")
        .distinct()
    )
    steps: dict[int, list[Step]] = {}
    for quiz in quizzes:
        module = quiz.module
        enrollment = by_course[module.course_id]
        steps.setdefault(enrollment.pk, []).append(
            Step(
                label=gettext("Quiz: %(module)s") % {"module": module.title},
                url=quiz.get_absolute_url(),
                done=(quiz.pk, enrollment.cycle) in passed,
                order=quiz_step_order(module),
                left_text=quizzes_left_text,
                done_text=quizzes_done_text,
            )
        )
    return steps
