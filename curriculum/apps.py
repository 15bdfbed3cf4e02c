from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurriculumConfig(AppConfig):
    """The course's content file: read, checked whole, then written; exported and imported
    in the admin."""

    name = "curriculum"
    verbose_name = _("Course content files")

    def ready(self):
        from courses import hooks
        from curriculum import admin

        hooks.admin_course_actions.register(admin.export_as_course_file)
        hooks.admin_course_links.register(admin.sources_link)
        hooks.admin_course_links.register(admin.export_link)
