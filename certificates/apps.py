from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _issue_on_completion(sender, enrollment, **kwargs):
    from certificates.services import certificate_issue

    certificate_issue(enrollment=enrollment)


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from courses.completion import course_completed

        # Sent inside the transaction that completed the cycle: the certificate is issued
        # with it, or not at all.
        course_completed.connect(_issue_on_completion, dispatch_uid="certificates.issue")
