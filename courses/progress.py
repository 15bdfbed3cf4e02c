"""What a learner has done of a course and what remains: every requirement, in order.

A course requires its lessons and what the apps above add through
`courses.hooks.course_steps` (quizzes: each module's quiz). Both come out here as `Step`s
in the order a learner meets them (a module's lessons, then what follows them), so that
the progress shown counts every requirement, the page says what remains, and Resume
opens the first step not done. `courses.completion` decides completion from the same
requirements; `progress_for` only reads.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from courses import hooks
from courses.models import Enrollment, Lesson, LessonProgress


def lessons_left_text(count: int) -> str:
    return ngettext("%(count)s lesson left", "%(count)s lessons left", count) % {"count": count}


def lessons_done_text(count: int) -> str:
    return ngettext("%(count)s lesson read", "%(count)s lessons read", count) % {"count": count}


@dataclass(frozen=True)
class Step:
    """One requirement of a course: `order` sorts it among the others (a module's
    position and id, then 0 for its lessons, in their order, or 1 for what follows them);
    `left_text(n)` says "n … left" and `done_text(n)` "n … done" for the steps of its
    kind (each with the right plural)."""

    label: str
    url: str
    done: bool
    order: tuple
    left_text: Callable[[int], str]
    done_text: Callable[[int], str]


@dataclass
class Remaining:
    """The steps of one kind not done yet, and how to say so ("2 quizzes left")."""

    text: str
    steps: list[Step]


@dataclass
class CourseProgress:
    """Where a learner stands with every requirement of one enrollment's course."""

    enrollment: Enrollment
    steps: list[Step] = field(default_factory=list)
    due_on: object = None  # a date, or None: the earliest date an organization asks for

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def done(self) -> int:
        return sum(1 for step in self.steps if step.done)

    @property
    def percent(self) -> int:
        """Whole percent of the requirements done, rounded down: 99 % is not complete."""
        return self.done * 100 // self.total if self.total else 0

    @property
    def is_complete(self) -> bool:
        return self.enrollment.completed_at is not None

    @property
    def next_step(self) -> Step | None:
        """Where Resume leads: the first requirement not done, in the course's order."""
        return next((step for step in self.steps if not step.done), None)

    @property
    def started(self) -> bool:
        return self.done > 0

    @property
    def remaining(self) -> list[Remaining]:
        """The requirements left, by kind, in the order their first one comes."""
        groups: dict[Callable, list[Step]] = {}
        for step in self.steps:
            if not step.done:
                groups.setdefault(step.left_text, []).append(step)
        return [Remaining(text=text(len(steps)), steps=steps) for text, steps in groups.items()]

    @property
    def achieved(self) -> list[str]:
        """What is done, by kind: ["12 lessons read", "5 quizzes passed"]."""
        counts: dict[Callable, int] = {}
        for step in self.steps:
            if step.done:
                counts[step.done_text] = counts.get(step.done_text, 0) + 1
        return [text(count) for text, count in counts.items()]

    def next_step_after(self, order: tuple) -> Step | None:
        """The first step not done after `order` (what follows a quiz), else the first
        step not done anywhere: what comes next."""
        later = (step for step in self.steps if not step.done and step.order > order)
        return next(later, None) or self.next_step

    @property
    def is_overdue(self) -> bool:
        """The due date has passed and the course is not complete (it can still be)."""
        return (
            self.due_on is not None and not self.is_complete and self.due_on < timezone.localdate()
        )


def _lesson_steps(*, learner, enrollments: list[Enrollment]) -> dict[int, list[Step]]:
    """{enrollment id: its lessons as steps}, two queries for any number of courses."""
    by_course = {enrollment.course_id: enrollment for enrollment in enrollments}
    lessons = (
        Lesson.objects.filter(module__course_id__in=list(by_course))
        .select_related("module__course")
        .defer("body_fr", "body_en")
    )
    done = set(
        LessonProgress.objects.filter(learner=learner, course_id__in=list(by_course)).values_list(
            "lesson_id", flat=True
        )
    )
    steps: dict[int, list[Step]] = {enrollment.pk: [] for enrollment in enrollments}
    for lesson in lessons:
        module = lesson.module
        url = reverse(
            "courses:lesson_detail",
            kwargs={"slug": module.course.slug, "lesson_id": lesson.pk},
        )
        steps[by_course[module.course_id].pk].append(
            Step(
                label=lesson.title,
                url=url,
                done=lesson.pk in done,
                order=(module.position, module.pk, 0, lesson.position, lesson.pk),
                left_text=lessons_left_text,
                done_text=lessons_done_text,
            )
        )
    return steps


def progress_for(*, learner, enrollments: list[Enrollment]) -> dict[int, CourseProgress]:
    """{enrollment id: CourseProgress} for the learner's enrollments (courses selected),
    in a fixed number of queries whatever the number of courses: two for the lessons,
    and what each app registered in `courses.hooks.course_steps` and `due_dates` runs."""
    if not enrollments:
        return {}
    steps = _lesson_steps(learner=learner, enrollments=enrollments)
    for contribute in hooks.course_steps:
        for enrollment_id, more in contribute(learner, enrollments).items():
            steps[enrollment_id].extend(more)
    due = hooks.due_dates_for(learner=learner, course_ids=[e.course_id for e in enrollments])
    return {
        enrollment.pk: CourseProgress(
            enrollment=enrollment,
            steps=sorted(steps[enrollment.pk], key=lambda step: step.order),
            due_on=due.get(enrollment.course_id),
        )
        for enrollment in enrollments
    }
