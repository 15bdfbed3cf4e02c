"""Reads of the knowledge check: which form a learner takes, its items, their attempts."""

from django.db.models import Prefetch, QuerySet

from assessments.models import Attempt, Form, Item, ItemChoice, Phase
from courses.models import Course


def pre_form_of(*, learner, course: Course) -> Form:
    """The form a learner takes before the course: A when the sum of the learner's and the
    course's ids is even, B when it is odd. Deterministic (the same learner always gets
    the same form, with nothing stored), and balanced: learners are numbered one after
    the other, so within a course every second learner takes each form; the course's id
    shifts the pattern, so that the same person does not take form A in every course."""
    return Form.A if (learner.pk + course.pk) % 2 == 0 else Form.B


def form_for(*, learner, course: Course, phase: str, attempts: dict | None = None) -> Form:
    """The form of the check the learner takes in that phase: the pre form by
    `pre_form_of`; after the course, the other form than the one actually taken before
    (or, with no attempt before, the other of the one they would have had), so that
    nobody is measured twice on the same questions. `attempts` (phase -> Attempt, as
    `attempts_of` returns) spares a query when the caller has them."""
    if phase == Phase.PRE:
        return pre_form_of(learner=learner, course=course)
    if attempts is None:
        attempts = attempts_of(learner=learner, course=course)
    pre = attempts.get(Phase.PRE)
    taken = Form(pre.form) if pre is not None else pre_form_of(learner=learner, course=course)
    return taken.other


def attempts_of(*, learner, course: Course) -> dict[str, Attempt]:
    """{phase: the learner's attempt} for the course (one query)."""
    if not learner.is_authenticated:
        return {}
    return {
        attempt.phase: attempt for attempt in Attempt.objects.filter(learner=learner, course=course)
    }


def items_of(*, course: Course, form: str) -> QuerySet[Item]:
    """The form's items in order, each with its choices in order (two queries)."""
    return (
        Item.objects.filter(course=course, form=form)
        .order_by("position", "pk")
        .prefetch_related(
            Prefetch("choices", queryset=ItemChoice.objects.order_by("position", "pk"))
        )
    )


def forms_with_items(*, course: Course) -> set[str]:
    """The forms of the course's check that have at least one item (one query)."""
    return set(Item.objects.filter(course=course).values_list("form", flat=True).distinct())
