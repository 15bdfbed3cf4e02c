from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """What supervisors see and receive about their organizations: the dashboard, its
    exports, the reminders, and the demo data. The top layer: it reads every app below it
    (certificates, quizzes, organizations, courses, accounts) and none of them imports it."""

    name = "supervision"
    verbose_name = _("Supervision")
