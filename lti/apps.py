from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LtiConfig(AppConfig):
    """LTI 1.3 tool: an organization's LMS launches Repère's courses, signing its people in
    as staff of that organization, and gets their completions back in its gradebook. The
    top layer: it signs people into organizations and follows their courses, and no app
    imports it."""

    name = "lti"
    verbose_name = _("LTI 1.3")

    def ready(self):
        from courses import hooks
        from lti import receivers

        hooks.course_completed.connect(
            receivers.queue_scores_on_completion, dispatch_uid="lti.scores"
        )
