"""A quiz and its content: scenarios (a situation from one kind of workplace, or from any),
their questions and each question's choices. The curriculum file writes them all."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.workplaces import Workplace
from courses.entries import CurriculumEntry, Fingerprinted, unique_key_within
from courses.models import Lesson, Module

ERROR_TOO_FEW_CHOICES = _("A question needs at least two choices.")
ERROR_NO_CORRECT_CHOICE = _("A question needs at least one correct choice.")
ERROR_SINGLE_NEEDS_ONE_CORRECT = _(
    "A single-answer question must have exactly one correct choice: this one has "
    "%(count)d. Mark only one, or make it a “select all that apply” question."
)
ERROR_RIGHT_CHOICE_WITH_LEVEL = _(
    "A right choice has no kind of wrong answer: leave “kind of wrong answer” empty."
)


def choice_set_error(*, kind: str, choice_count: int, correct_count: int) -> str | None:
    """Why a question with these choices cannot be saved, or None if it can.

    The admin's inline formsets and the curriculum loader share this rule.
    """
    if choice_count < 2:
        return str(ERROR_TOO_FEW_CHOICES)
    if correct_count == 0:
        return str(ERROR_NO_CORRECT_CHOICE)
    if kind == Question.Kind.SINGLE and correct_count > 1:
        return str(ERROR_SINGLE_NEEDS_ONE_CORRECT) % {"count": correct_count}
    return None


class Setting(models.TextChoices):
    """The workplace a scenario speaks to; `any` scenarios are given to every learner."""

    SHELTER = Workplace.SHELTER.value, Workplace.SHELTER.label
    GROUP_HOME = Workplace.GROUP_HOME.value, Workplace.GROUP_HOME.label
    SCHOOL = Workplace.SCHOOL.value, Workplace.SCHOOL.label
    ANY = "any", _("Any workplace")


class Quiz(Fingerprinted):
    curriculum_fields = ("pass_mark", "max_attempts", "shuffle_choices")

    module = models.OneToOneField(
        Module, on_delete=models.CASCADE, related_name="quiz", verbose_name=_("module")
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("The score, in percent, needed to pass."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Per learner and per round of the course. Empty: no limit."),
    )
    shuffle_choices = models.BooleanField(
        _("shuffle choices"),
        default=True,
        help_text=_("Show each question's choices in a different order in each attempt."),
    )

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        ordering = ["module__course_id", "module__position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__gte=1, pass_mark__lte=100),
                name="quizzes_quiz_pass_mark_1_to_100",
            ),
            models.CheckConstraint(
                condition=models.Q(max_attempts__isnull=True) | models.Q(max_attempts__gte=1),
                name="quizzes_quiz_max_attempts_positive",
            ),
        ]

    def __str__(self):
        return str(self.module)

    def get_absolute_url(self):
        return reverse(
            "quizzes:quiz_detail",
            kwargs={"slug": self.module.course.slug, "module_id": self.module_id},
        )

    def get_preview_url(self):
        """The quiz as a learner takes it, for an administrator: nothing is recorded."""
        return reverse(
            "quizzes:quiz_preview",
            kwargs={"slug": self.module.course.slug, "module_id": self.module_id},
        )


class Scenario(CurriculumEntry):
    curriculum_fields = ("setting", "title_fr", "title_en", "situation_fr", "situation_en")
    key_help_text = _("The id of this scenario in the curriculum file, if it comes from one.")

    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="scenarios", verbose_name=_("quiz")
    )
    setting = models.CharField(
        _("setting"),
        max_length=20,
        choices=Setting.choices,
        default=Setting.ANY,
        help_text=_("Learners get the scenarios of their own workplace and those of any."),
    )
    title = models.CharField(_("title"), max_length=200)
    situation = models.TextField(_("situation"), help_text=_("Markdown."))

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["quiz_id", "position", "pk"]
        constraints = [
            unique_key_within("quiz"),
        ]

    def __str__(self):
        return self.title


class Question(CurriculumEntry):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single answer")
        MULTIPLE = "multiple", _("Select all that apply")

    curriculum_fields = ("kind", "text_fr", "text_en", "lesson_id")
    fingerprint_keys = {"lesson_id": "lesson"}  # the lesson's key, as the file names it
    key_help_text = _("The id of this question in the curriculum file, if it comes from one.")

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="questions", verbose_name=_("scenario")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    text = models.TextField(_("question"))
    lesson = models.ForeignKey(
        Lesson,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quiz_questions",
        verbose_name=_("lesson"),
        help_text=_("The lesson that teaches the answer: the result page links to it."),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["scenario_id", "position", "pk"]
        constraints = [
            unique_key_within("scenario"),
        ]

    def __str__(self):
        return self.text[:80]


class Choice(CurriculumEntry):
    class Level(models.TextChoices):
        """How far a wrong choice is from the right one: the result page words it so."""

        PARTLY = "partly", _("Partly right")
        WRONG = "wrong", _("Wrong")
        HARMFUL = "harmful", _("Harmful")

    curriculum_fields = ("is_correct", "level", "text_fr", "text_en", "feedback_fr", "feedback_en")
    key_help_text = _("The id of this choice in the curriculum file, if it comes from one.")

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    text = models.TextField(_("text"))
    is_correct = models.BooleanField(_("correct"), default=False)
    level = models.CharField(
        _("kind of wrong answer"),
        max_length=10,
        choices=Level.choices,
        blank=True,
        default="",
        help_text=_(
            "For a wrong choice: partly right, wrong, or harmful (it could hurt the person). "
            "Leave empty for a right choice."
        ),
    )
    feedback = models.TextField(
        _("feedback"), help_text=_("Why this choice is right or not: shown after submission.")
    )

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question_id", "position", "pk"]
        constraints = [
            unique_key_within("question"),
            # A wrong choice left unclassified reads as plainly wrong; a right one has none.
            models.CheckConstraint(
                condition=models.Q(is_correct=False) | models.Q(level=""),
                name="quizzes_choice_right_has_no_level",
                violation_error_message=ERROR_RIGHT_CHOICE_WITH_LEVEL,
            ),
        ]

    def __str__(self):
        return self.text[:80]
