"""What certificates add to a course (registered in `CertificatesConfig.ready`; see
`courses.hooks`): the certificate issued, and the learner told by e-mail, when a cycle is
completed; that certificate on the course page and the completion page."""

from django.conf import settings
from django.template.loader import render_to_string

from certificates import selectors, services
from courses import hooks

CERTIFICATE_PANEL_TEMPLATE = "certificates/includes/course_certificate.html"


def issue_on_completion(sender, enrollment, **kwargs):
    # Sent inside the transaction that completed the cycle: the certificate is issued,
    # and the learner's e-mail queued, with it, or not at all.
    services.certificate_issue_on_completion(enrollment=enrollment)


def certificate_panel(outline, request) -> str:
    """The certificate of the current cycle and its downloads (one query), if issued."""
    certificate = selectors.certificate_current(enrollment=outline.enrollment)
    if certificate is None:
        return ""
    context = {
        "certificate": certificate,
        "verify_url": settings.SITE_URL + certificate.get_absolute_url(),
    }
    return render_to_string(CERTIFICATE_PANEL_TEMPLATE, context, request)


def register() -> None:
    hooks.course_completed.connect(issue_on_completion, dispatch_uid="certificates.issue")
    hooks.completion_panels.register(certificate_panel)
