from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = _("Quizzes")

    def ready(self):
        from courses.completion import register_requirement
        from quizzes.selectors import enrollment_quizzes_passed

        # A course is complete only when every module's quiz is passed in the current cycle.
        register_requirement(enrollment_quizzes_passed)
