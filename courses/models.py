from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courses.entries import CurriculumEntry, Fingerprinted, unique_key_within


class Course(Fingerprinted):
    curriculum_fields = (
        *("title_fr", "title_en", "summary_fr", "summary_en", "content_note_fr", "content_note_en"),
        *("estimated_minutes", "validity_months"),
    )

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    content_note = models.TextField(
        _("content note"),
        blank=True,
        help_text=_("Shown before the course starts: what is coming, and that one can stop."),
    )
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=30, validators=[MinValueValidator(1)]
    )
    validity_months = models.PositiveSmallIntegerField(
        _("validity in months"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("How long a certificate for this course stays valid."),
    )
    bilingual_certificate = models.BooleanField(
        _("bilingual certificate"),
        default=True,
        help_text=_("Print certificates in French and English, rather than the holder's language."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    content_version = models.PositiveIntegerField(_("content version"), default=1)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("courses:course_detail", kwargs={"slug": self.slug})


class FormerSlug(models.Model):
    """An address a course had before: `/courses/<slug>/…` redirects to its current one."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="former_slugs", verbose_name=_("course")
    )
    slug = models.SlugField(_("former slug"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("former address")
        verbose_name_plural = _("former addresses")
        ordering = ["course_id", "slug"]

    def __str__(self):
        return self.slug


class Module(CurriculumEntry):
    curriculum_fields = (
        *("title_fr", "title_en", "summary_fr", "summary_en"),
        *("objectives_fr", "objectives_en", "content_note_fr", "content_note_en"),
    )
    key_help_text = _("The id of this module in the curriculum file, if it comes from one.")

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="modules", verbose_name=_("course")
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    objectives = models.TextField(
        _("learning objectives"), blank=True, help_text=_("Markdown: one objective per line.")
    )
    content_note = models.TextField(
        _("content note"),
        blank=True,
        help_text=_("Shown before the module's first lesson when the material is hard."),
    )

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["course", "position", "pk"]
        constraints = [
            unique_key_within("course"),
        ]

    def __str__(self):
        return self.title


class Lesson(CurriculumEntry):
    curriculum_fields = ("title_fr", "title_en", "body_fr", "body_en", "minutes")
    key_help_text = _("The id of this lesson in the curriculum file, if it comes from one.")

    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("module")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown."))
    minutes = models.PositiveSmallIntegerField(
        _("reading minutes"), default=3, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["module__position", "module_id", "position", "pk"]
        constraints = [
            unique_key_within("module"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse(
            "courses:lesson_detail",
            kwargs={"slug": self.module.course.slug, "lesson_id": self.pk},
        )

    def get_preview_url(self):
        """The lesson as a learner reads it, for an administrator: nothing is recorded."""
        return reverse(
            "courses:lesson_preview",
            kwargs={"slug": self.module.course.slug, "lesson_id": self.pk},
        )


class Enrollment(models.Model):
    """A learner taking a course. Renewing starts a new cycle of the same enrollment."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrollments",
        verbose_name=_("learner"),
    )
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("course")
    )
    enrolled_at = models.DateTimeField(_("enrolled at"), auto_now_add=True)
    cycle = models.PositiveSmallIntegerField(
        _("cycle"), default=1, help_text=_("1 for the first time through, 2 after one renewal…")
    )
    cycle_started_at = models.DateTimeField(_("cycle started at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        ordering = ["-enrolled_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course"], name="courses_enrollment_one_per_learner_course"
            ),
        ]

    def __str__(self):
        return f"{self.learner} — {self.course}"


class LessonProgress(models.Model):
    """A lesson a learner has marked as done (in the enrollment's current cycle).

    `course` repeats the lesson's course (a lesson never changes course): the supervisors'
    dashboard counts a person's lessons done in a course on one index, without joining
    lessons and modules for every row.
    """

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="lesson_progress",
        verbose_name=_("learner"),
    )
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="progress", verbose_name=_("lesson")
    )
    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("course"),
        editable=False,
    )
    completed_at = models.DateTimeField(_("completed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lesson progress")
        verbose_name_plural = _("lesson progress")
        ordering = ["completed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "lesson"], name="courses_progress_one_per_learner_lesson"
            ),
        ]
        indexes = [
            # The dashboard: lessons a person has done in a course since a date.
            models.Index(
                fields=["learner", "course", "completed_at"],
                name="courses_progress_course_idx",
            ),
        ]

    def __str__(self):
        return f"{self.learner} — {self.lesson}"

    def save(self, *args, **kwargs):
        if self.course_id is None:
            self.course_id = self.lesson.module.course_id
        super().save(*args, **kwargs)


class CourseVersion(models.Model):
    """What a course said when it was published: its content (`courses.versions.snapshot`:
    every translated field of the course and of everything in it, quizzes included) and its
    fingerprint. A version is written only when a publication changed the content, in the
    transaction that published it (`courses.services.course_version_record`)."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="versions", verbose_name=_("course")
    )
    number = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
        help_text=_("Empty when the curriculum file was loaded."),
    )
    content = models.JSONField(_("content"))
    fingerprint = models.CharField(_("fingerprint"), max_length=64)

    class Meta:
        verbose_name = _("course version")
        verbose_name_plural = _("course versions")
        ordering = ["course_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "number"], name="courses_courseversion_unique_number"
            ),
        ]

    def __str__(self):
        return f"{self.course_id} v{self.number}"


class ContentEdit(models.Model):
    """One change to a row of course content (a course, module, lesson, quiz, scenario,
    question or choice): who, when, and each changed field with its previous and new text.

    Written on every save of a `Fingerprinted` row, whether the admin or a service (the
    curriculum loader) saved it (`courses.edits`). A generic relation, so that courses
    records the quizzes' content without importing them.
    """

    class Action(models.TextChoices):
        ADDED = "added", pgettext_lazy("content edit", "Added")
        CHANGED = "changed", pgettext_lazy("content edit", "Changed")
        DELETED = "deleted", pgettext_lazy("content edit", "Deleted")

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("kind")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    object_repr = models.CharField(_("object"), max_length=200)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    edited_at = models.DateTimeField(_("edited at"), default=timezone.now)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("edited by"),
    )
    # {field: [previous value, new value]}
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        verbose_name = _("content edit")
        verbose_name_plural = _("content edits")
        ordering = ["-edited_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="courses_contentedit_obj_idx"),
        ]

    def __str__(self):
        return f"{self.object_repr} ({self.get_action_display()})"
