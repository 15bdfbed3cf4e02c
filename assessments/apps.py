from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Knowledge checks")

    def ready(self):
        from assessments import course_page

        course_page.register()
