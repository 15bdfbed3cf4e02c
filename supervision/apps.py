from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """What supervisors see and receive about their organizations: the dashboard, its
    exports, the reminders, and the demo data. The top layer: it reads every app below it
    (certificates, quizzes, organizations, courses, accounts) and none of them imports it."""

    name = "supervision"
    verbose_name = _("Supervision")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from courses import hooks
        from courses.models import Lesson
        from organizations.models import Membership
        from quizzes.models import Quiz
        from supervision import summary

        hooks.progress_changed.register(summary.summary_refresh_hook)
        # A lesson or quiz added to a course, or removed from it, changes every
        # assignment's requirements (and, removed, the lessons done): content is written
        # in the admin and by the curriculum loader, which call no service for it.
        for model in (Lesson, Quiz):
            post_save.connect(summary.content_changed, sender=model, weak=False)
            post_delete.connect(summary.content_changed, sender=model, weak=False)
        # Joining or leaving changes what the organization sees of the person's rows
        # (nothing from before joining): every way a membership begins or ends saves or
        # deletes the row (services, the admin, erasure), except the staff import's
        # bulk_create, whose new accounts have no assignment yet.
        post_save.connect(summary.membership_changed, sender=Membership, weak=False)
        post_delete.connect(summary.membership_changed, sender=Membership, weak=False)
        # After `migrate` (every deployment, `make run`), summarize the assignments that
        # have no row yet: those written before the summary existed, or while it was off.
        post_migrate.connect(summary.summary_fill_missing, sender=self, weak=False)
