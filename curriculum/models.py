"""What the curriculum keeps of a course file beyond the content itself.

The courses and quizzes models hold every text the file gives; the sources a file lists and
which of them each lesson cites are the curriculum's own, kept here so that exporting a course
gives the file that loads it again. `CourseFile` is the admin's entry for importing and
exporting course files (a proxy: no table).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.models import Course


class CourseSources(models.Model):
    """The sources of a course's file as the loader last read them.

    `sources` is the file's `sources:` list (`id`, `description`, and `url`, `checked` (ISO
    date) when given); `citations` the ids each entry cites: `{"course": [...], "modules":
    {key: [...]}, "lessons": {key: [...]}}`. Written by the loader, read by the export.
    """

    course = models.OneToOneField(
        Course,
        on_delete=models.CASCADE,
        related_name="curriculum_sources",
        verbose_name=_("course"),
    )
    sources = models.JSONField(_("sources"), default=list)
    citations = models.JSONField(_("citations"), default=dict)

    class Meta:
        verbose_name = _("sources of a course")
        verbose_name_plural = _("sources of courses")
        ordering = ["course_id"]

    def __str__(self):
        return str(self.course)


class CourseFile(Course):
    """A course seen as its curriculum file: the admin's import and export pages."""

    class Meta:
        proxy = True
        verbose_name = _("course file")
        verbose_name_plural = _("course files")
