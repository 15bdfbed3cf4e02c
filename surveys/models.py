"""A learner's answers to the short feedback survey offered once they complete a course.

Supervisors read these only as aggregates of their organization's members (see
`surveys.selectors`): the row names its learner so that the learner can export it and
have it erased, and so that the once-per-course rule holds, never so that anyone else
reads it person by person.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

COMMENT_MAX_LENGTH = 1000
RATINGS = range(1, 6)


class SurveyResponse(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Erasure keeps the ratings for the aggregates, without anyone behind them.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("learner"),
    )
    course = models.ForeignKey(
        "courses.Course",
        on_delete=models.CASCADE,
        related_name="survey_responses",
        verbose_name=_("course"),
    )
    relevance = models.PositiveSmallIntegerField(
        _("relevant to my work (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    confidence = models.PositiveSmallIntegerField(
        _("confident to act (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("comment"), blank=True, max_length=COMMENT_MAX_LENGTH)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course"], name="surveys_response_once_per_course"
            ),
            models.CheckConstraint(
                condition=models.Q(relevance__isnull=True)
                | models.Q(relevance__gte=1, relevance__lte=5),
                name="surveys_response_relevance_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(confidence__isnull=True)
                | models.Q(confidence__gte=1, confidence__lte=5),
                name="surveys_response_confidence_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.course} — {self.submitted_at:%Y-%m-%d}"
