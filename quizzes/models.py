"""Scenario quizzes: one per module, graded on the server.

A quiz holds scenarios (a situation from one kind of workplace, or from any); each
scenario holds questions, each question its choices. A learner's attempt fixes, when it
starts, the questions it gives (`AttemptQuestion`), so grading uses exactly what the
learner was shown; `Answer` and `AnswerChoice` record what they chose.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.workplaces import Workplace
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


class Quiz(models.Model):
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
    curriculum_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

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


class Scenario(models.Model):
    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="scenarios", verbose_name=_("quiz")
    )
    key = models.SlugField(
        _("stable id"),
        max_length=80,
        blank=True,
        help_text=_("The id of this scenario in the curriculum file, if it comes from one."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    setting = models.CharField(
        _("setting"),
        max_length=20,
        choices=Setting.choices,
        default=Setting.ANY,
        help_text=_("Learners get the scenarios of their own workplace and those of any."),
    )
    title = models.CharField(_("title"), max_length=200)
    situation = models.TextField(_("situation"), help_text=_("Markdown."))
    curriculum_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["quiz_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "key"],
                condition=~models.Q(key=""),
                name="quizzes_scenario_unique_key_per_quiz",
            ),
        ]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single answer")
        MULTIPLE = "multiple", _("Select all that apply")

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="questions", verbose_name=_("scenario")
    )
    key = models.SlugField(
        _("stable id"),
        max_length=80,
        blank=True,
        help_text=_("The id of this question in the curriculum file, if it comes from one."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
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
    curriculum_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["scenario_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "key"],
                condition=~models.Q(key=""),
                name="quizzes_question_unique_key_per_scenario",
            ),
        ]

    def __str__(self):
        return self.text[:80]


class Choice(models.Model):
    class Level(models.TextChoices):
        """How far a wrong choice is from the right one: the result page words it so."""

        PARTLY = "partly", _("Partly right")
        WRONG = "wrong", _("Wrong")
        HARMFUL = "harmful", _("Harmful")

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    key = models.SlugField(
        _("stable id"),
        max_length=80,
        blank=True,
        help_text=_("The id of this choice in the curriculum file, if it comes from one."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
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
    curriculum_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "key"],
                condition=~models.Q(key=""),
                name="quizzes_choice_unique_key_per_question",
            ),
            # A wrong choice left unclassified reads as plainly wrong; a right one has none.
            models.CheckConstraint(
                condition=models.Q(is_correct=False) | models.Q(level=""),
                name="quizzes_choice_right_has_no_level",
                violation_error_message=ERROR_RIGHT_CHOICE_WITH_LEVEL,
            ),
        ]

    def __str__(self):
        return self.text[:80]


class Attempt(models.Model):
    """One try at a quiz by a learner, in one cycle of their enrollment.

    `number` counts the attempts of the cycle: unique per learner, quiz and cycle, so
    the attempt limit cannot be passed by starting twice at once. Grading sets
    `submitted_at`, `score` and `passed` together, once.
    """

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="quiz_attempts",
        verbose_name=_("learner"),
    )
    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("quiz")
    )
    # The quiz's course, repeated (a quiz never changes course): the supervisors' dashboard
    # finds a person's best score in a course on one index.
    course = models.ForeignKey(
        "courses.Course",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("course"),
        editable=False,
    )
    cycle = models.PositiveSmallIntegerField(_("cycle"), default=1)
    number = models.PositiveSmallIntegerField(_("attempt number"), default=1)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(
        _("score (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "quiz", "cycle", "number"],
                name="quizzes_attempt_unique_number",
            ),
            models.UniqueConstraint(
                fields=["learner", "quiz", "cycle"],
                condition=models.Q(submitted_at__isnull=True),
                name="quizzes_attempt_one_open_per_cycle",
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="quizzes_attempt_number_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__lte=100),
                name="quizzes_attempt_score_at_most_100",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(submitted_at__isnull=True, score__isnull=True, passed__isnull=True)
                    | models.Q(
                        submitted_at__isnull=False, score__isnull=False, passed__isnull=False
                    )
                ),
                name="quizzes_attempt_graded_all_at_once",
            ),
        ]
        indexes = [
            # The dashboard: a person's best score in a course since a date.
            models.Index(
                fields=["learner", "course", "submitted_at"],
                include=["score"],
                name="quizzes_attempt_course_idx",
            ),
        ]

    def __str__(self):
        return f"{self.learner} — {self.quiz} #{self.number}"

    def save(self, *args, **kwargs):
        if self.course_id is None:
            self.course_id = self.quiz.module.course_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.submitted_at is None:
            return reverse("quizzes:attempt_detail", kwargs={"attempt_id": self.pk})
        return reverse("quizzes:attempt_result", kwargs={"attempt_id": self.pk})


class AttemptQuestion(models.Model):
    """A question given in an attempt, fixed when the attempt starts."""

    attempt = models.ForeignKey(
        Attempt,
        on_delete=models.CASCADE,
        related_name="attempt_questions",
        verbose_name=_("attempt"),
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="attempt_questions",
        verbose_name=_("question"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("question of an attempt")
        verbose_name_plural = _("questions of attempts")
        ordering = ["attempt_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["attempt", "question"], name="quizzes_attemptquestion_unique"
            ),
        ]

    def __str__(self):
        return f"{self.attempt} — {self.question}"


class Answer(models.Model):
    """The learner's answer to one question of a submitted attempt, and whether it is right."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="answers", verbose_name=_("attempt")
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    is_correct = models.BooleanField(_("correct"))
    choices = models.ManyToManyField(
        Choice, through="AnswerChoice", related_name="answers", verbose_name=_("choices")
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["attempt_id", "pk"]
        constraints = [
            # A second grading of the same attempt cannot insert its answers.
            models.UniqueConstraint(fields=["attempt", "question"], name="quizzes_answer_unique"),
        ]

    def __str__(self):
        return f"{self.attempt} — {self.question}"


class AnswerChoice(models.Model):
    """A choice the learner selected in an answer."""

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="answer_choices", verbose_name=_("answer")
    )
    choice = models.ForeignKey(
        Choice, on_delete=models.CASCADE, related_name="answer_choices", verbose_name=_("choice")
    )

    class Meta:
        verbose_name = _("chosen choice")
        verbose_name_plural = _("chosen choices")
        ordering = ["answer_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "choice"], name="quizzes_answerchoice_unique"
            ),
        ]

    def __str__(self):
        return f"{self.answer} — {self.choice}"
