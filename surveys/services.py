from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from courses.models import Course, Enrollment
from surveys.models import SurveyResponse

ERROR_ALREADY_ANSWERED = _("You have already answered this survey. Thank you.")
ERROR_NOT_COMPLETED = _("The survey opens once you have completed the course.")


def survey_response_submit(
    *,
    learner,
    course: Course,
    relevance: int | None,
    confidence: int | None,
    comment: str = "",
) -> SurveyResponse:
    """Record the learner's answers, once per course: a second submission is refused
    (the first stands; the database's constraint holds it even for two at once)."""
    if not Enrollment.objects.filter(
        learner=learner, course=course, completed_at__isnull=False
    ).exists():
        raise ValidationError(ERROR_NOT_COMPLETED)
    response = SurveyResponse(
        learner=learner,
        course=course,
        relevance=relevance,
        confidence=confidence,
        comment=comment.strip(),
    )
    if SurveyResponse.objects.filter(learner=learner, course=course).exists():
        raise ValidationError(ERROR_ALREADY_ANSWERED)
    response.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError as error:
        raise ValidationError(ERROR_ALREADY_ANSWERED) from error
    return response
