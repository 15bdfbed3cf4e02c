from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Knowledge checks")

    def ready(self):
        # The gain report's admin is a module of its own, beside the item bank's admin.py
        # (which the admin's autodiscovery imports), so it is registered here.
        from assessments import (
            admin_gain,  # noqa: F401
            course_page,
        )

        course_page.register()
