from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Feedback surveys")

    def ready(self):
        from surveys import course_page

        course_page.register()
