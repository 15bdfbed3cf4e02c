"""The one write of the knowledge check: a learner's attempt, before or after the course.

An attempt is never graded and never counts for completion or a certificate: nothing here
touches an enrollment, and assessments registers no completion requirement."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from assessments import selectors
from assessments.models import Answer, Attempt, Phase
from courses.models import Course, Enrollment, LessonProgress

# Which form a learner takes is a read (assessments.selectors), named here too as the
# models' docstring and issue 17 call it.
form_for = selectors.form_for

ERROR_NOT_ENROLLED = _("Enroll in the course to take its knowledge check.")
ERROR_ALREADY_TAKEN = _("You have already taken this knowledge check: your answers stand.")
ERROR_PRE_CLOSED = _(
    "The check before the course is closed once you have begun the course: you can take "
    "the check after the course once you have completed it."
)
ERROR_POST_NOT_YET = _("The check after the course opens once you have completed the course.")
ERROR_NO_ITEMS = _("This course has no knowledge check.")
ERROR_UNKNOWN_ITEM = _("An answer was for a question that is not in this knowledge check.")
ERROR_UNKNOWN_CHOICE = _("An answer was not one of its question's choices.")


def check_open(*, learner, course: Course, phase: str) -> None:
    """Raise ValidationError, with the reason, unless the learner may take the check in
    that phase now (whether they already took it aside)."""
    enrollment = Enrollment.objects.filter(learner=learner, course=course).first()
    if enrollment is None:
        raise ValidationError(ERROR_NOT_ENROLLED)
    if phase == Phase.PRE and (
        enrollment.completed_at is not None
        or LessonProgress.objects.filter(learner=learner, course=course).exists()
    ):
        raise ValidationError(ERROR_PRE_CLOSED)
    if phase == Phase.POST and enrollment.completed_at is None:
        raise ValidationError(ERROR_POST_NOT_YET)


def attempt_submit(*, learner, course: Course, phase: str, choices: dict[int, int]) -> Attempt:
    """Record the learner's answers to the form `selectors.form_for` gives them, once per
    course and phase: `choices` maps an item's id to the id of the choice made (an item
    left out is unanswered, and not right). Before the course only until the learner has
    done a lesson; after it, only once the course is complete. Any id that is not the
    form's, or a choice not of its item, refuses the whole attempt: nothing is saved.
    Raises ValidationError with the reason."""
    check_open(learner=learner, course=course, phase=phase)
    attempts = selectors.attempts_of(learner=learner, course=course)
    if phase in attempts:
        raise ValidationError(ERROR_ALREADY_TAKEN)
    form = form_for(learner=learner, course=course, phase=phase, attempts=attempts)
    items = {item.pk: item for item in selectors.items_of(course=course, form=form)}
    if not items:
        raise ValidationError(ERROR_NO_ITEMS)
    answers = []
    for item_id, choice_id in choices.items():
        item = items.get(item_id)
        if item is None:
            raise ValidationError(ERROR_UNKNOWN_ITEM)
        choice = next((each for each in item.choices.all() if each.pk == choice_id), None)
        if choice is None:
            raise ValidationError(ERROR_UNKNOWN_CHOICE)
        answers.append(Answer(item=item, choice=choice, is_correct=choice.is_correct))
    attempt = Attempt(
        learner=learner,
        course=course,
        phase=phase,
        form=form,
        item_count=len(items),
        correct_count=sum(1 for answer in answers if answer.is_correct),
    )
    attempt.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            attempt.save()
            for answer in answers:
                answer.attempt = attempt
            Answer.objects.bulk_create(answers)
    except IntegrityError as error:
        # Two submissions at once: the constraint kept the first.
        raise ValidationError(ERROR_ALREADY_TAKEN) from error
    return attempt
