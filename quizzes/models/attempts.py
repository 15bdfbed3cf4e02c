"""A learner's attempts at a quiz. An attempt fixes, when it starts, the questions it gives
(`AttemptQuestion`), so grading uses exactly what the learner was shown; `Answer` and
`AnswerChoice` record what they chose."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quizzes.models.content import Choice, Question, Quiz


class AttemptQuerySet(models.QuerySet):
    def recorded(self):
        """The attempts that count: every one but those taken for practice after a pass."""
        return self.filter(practice=False)


class Attempt(models.Model):
    """One try at a quiz by a learner, in one cycle of their enrollment.

    `number` counts the attempts of the cycle: unique per learner, quiz and cycle, so
    the attempt limit cannot be passed by starting twice at once. Grading sets
    `submitted_at`, `score` and `passed` together, once.

    A `practice` attempt is one taken after the quiz was passed in the cycle: graded and
    shown with its feedback like any other, it counts for nothing recorded (best score,
    pass, attempts allowed, completion, certificate, supervisors' dashboard). Every
    reader of results keeps to `Attempt.objects.recorded()`.
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
    practice = models.BooleanField(
        _("practice"),
        default=False,
        editable=False,
        help_text=_("Taken after passing, for practice: it changes no recorded result."),
    )

    objects = AttemptQuerySet.as_manager()

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
            # The dashboard: a person's best score in a course since a date (practice
            # attempts are not results: they are not in the index).
            models.Index(
                fields=["learner", "course", "submitted_at"],
                include=["score"],
                condition=models.Q(practice=False),
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
