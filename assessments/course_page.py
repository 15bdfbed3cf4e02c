"""What assessments adds to courses' pages (courses.hooks), registered in ready().

Each part registers in its own function, called by `register()`."""

from django.urls import reverse
from django.utils.translation import gettext

from assessments import translation_status, versions
from courses import hooks


def item_analysis_link(course, request):
    """The course page's button to its knowledge check's item analysis (admin)."""
    if not request.user.has_perm("assessments.view_item"):
        return None
    url = reverse("admin:assessments_item_analysis", kwargs={"course_id": course.pk})
    return gettext("Knowledge check: item analysis"), url


def register_items() -> None:
    # A course is not published while an item or a choice misses a translation, and its
    # published versions keep the items.
    hooks.translation_gaps.register(translation_status.item_translation_gaps)
    hooks.content_snapshots.register(versions.items_snapshot)


def register_item_analysis() -> None:
    hooks.admin_course_links.register(item_analysis_link)


def register() -> None:
    register_items()
    register_item_analysis()
