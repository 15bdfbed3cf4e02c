"""The knowledge check a course may have, taken before its first lesson and again after
completion, to measure what the learner gained.

Its items are an item bank of the course (not the module quizzes' questions), in two
parallel forms, A and B: a learner who takes form A before takes form B after, and the
other way round (`assessments.services.form_for`), so that nobody is measured on questions
they remember. Each item measures one lesson, and so one module (a learning objective):
the gain report is per module. A check is never graded and never counts for completion
or a certificate: nothing in courses, quizzes or certificates reads these tables.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courses.entries import CurriculumEntry, unique_key_within
from courses.models import Course, Lesson


class Form(models.TextChoices):
    A = "A", pgettext_lazy("knowledge check form", "Form A")
    B = "B", pgettext_lazy("knowledge check form", "Form B")

    @property
    def other(self) -> "Form":
        return Form.B if self == Form.A else Form.A


class Phase(models.TextChoices):
    PRE = "pre", _("Before the course")
    POST = "post", _("After the course")


class Item(CurriculumEntry):
    """One judgement question of the course's knowledge check, in one form."""

    curriculum_fields = ("form", "text_fr", "text_en", "lesson_id")
    fingerprint_keys = {"lesson_id": "lesson"}
    key_help_text = _("The id of this item in the curriculum file, if it comes from one.")

    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="assessment_items",
        verbose_name=_("course"),
    )
    form = models.CharField(_("form"), max_length=1, choices=Form.choices)
    text = models.TextField(_("question"))
    lesson = models.ForeignKey(
        Lesson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessment_items",
        verbose_name=_("lesson"),
        help_text=_("The lesson this item measures: the gain report groups items by its module."),
    )

    class Meta:
        verbose_name = _("knowledge check item")
        verbose_name_plural = _("knowledge check items")
        ordering = ["course_id", "form", "position", "pk"]
        constraints = [unique_key_within("course")]

    def __str__(self):
        return self.text[:80]


class ItemChoice(CurriculumEntry):
    curriculum_fields = ("is_correct", "text_fr", "text_en")
    key_help_text = _("The id of this choice in the curriculum file, if it comes from one.")

    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="choices", verbose_name=_("item")
    )
    text = models.TextField(_("text"))
    is_correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["item_id", "position", "pk"]
        constraints = [unique_key_within("item")]

    def __str__(self):
        return self.text[:80]


class Attempt(models.Model):
    """A learner's answers to one form of the check, before or after the course: once per
    phase and course (a database constraint), submitted in one go."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # Erasure keeps the figures for the aggregates, without anyone behind them.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessment_attempts",
        verbose_name=_("learner"),
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="assessment_attempts",
        verbose_name=_("course"),
    )
    phase = models.CharField(_("when"), max_length=4, choices=Phase.choices)
    form = models.CharField(_("form"), max_length=1, choices=Form.choices)
    item_count = models.PositiveSmallIntegerField(_("items"))
    correct_count = models.PositiveSmallIntegerField(_("right answers"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("knowledge check")
        verbose_name_plural = _("knowledge checks")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course", "phase"],
                name="assessments_attempt_once_per_phase",
            ),
            models.CheckConstraint(
                condition=models.Q(correct_count__lte=models.F("item_count")),
                name="assessments_attempt_correct_within_items",
            ),
        ]

    def __str__(self):
        return f"{self.course} — {self.get_phase_display()} ({self.form})"

    @property
    def score(self) -> float:
        """The share of right answers, in percent (0–100)."""
        return 100 * self.correct_count / self.item_count if self.item_count else 0.0


class Answer(models.Model):
    """The choice a learner made for one item of an attempt (an item left blank has no row
    and counts as not right)."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="answers", verbose_name=_("attempt")
    )
    item = models.ForeignKey(
        Item, on_delete=models.CASCADE, related_name="answers", verbose_name=_("item")
    )
    choice = models.ForeignKey(
        ItemChoice,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("choice"),
    )
    is_correct = models.BooleanField(_("right"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["attempt", "item"], name="assessments_answer_once"),
        ]

    def __str__(self):
        return f"{self.attempt} — {self.item}"


ERROR_ITEM_TOO_FEW_CHOICES = _("An item needs at least two choices.")
ERROR_ITEM_ONE_RIGHT_CHOICE = _("An item needs exactly one right choice, not %(count)s.")


def item_choice_error(*, choice_count: int, correct_count: int) -> str | None:
    """Why an item with these choices cannot be saved, or None if it can: every item is
    answered with one choice, so exactly one is right. The admin's inline formset and the
    curriculum loader share this rule (as quizzes' `choice_set_error`)."""
    if choice_count < 2:
        return str(ERROR_ITEM_TOO_FEW_CHOICES)
    if correct_count != 1:
        return str(ERROR_ITEM_ONE_RIGHT_CHOICE) % {"count": correct_count}
    return None
