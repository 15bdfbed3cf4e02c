from django.apps import AppConfig
from django.db.models.signals import post_save, pre_delete, pre_save
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from courses import edits

        # Every content model (those of quizzes too) is a `Fingerprinted`: the handlers
        # keep to those, so that courses names no model of the apps above it.
        pre_save.connect(edits.before_save, dispatch_uid="courses_content_edit_save")
        post_save.connect(edits.after_save, dispatch_uid="courses_content_edit_added")
        pre_delete.connect(edits.before_delete, dispatch_uid="courses_content_edit_delete")
