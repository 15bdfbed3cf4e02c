"""What assessments adds to courses' pages (courses.hooks), registered in ready()."""

from django.urls import reverse
from django.utils.translation import gettext

from courses import hooks


def gain_report_link(course, request):
    """The course's gain report, on its admin page (for those who may read the checks)."""
    if not request.user.has_perm("assessments.view_attempt"):
        return None
    url = reverse("admin:assessments_attempt_gain", kwargs={"course_id": course.pk})
    return gettext("Knowledge check gain"), url


def register_gain_report() -> None:
    hooks.admin_course_links.register(gain_report_link)


def register() -> None:
    register_gain_report()
