"""What assessments adds to courses' pages (courses.hooks), registered in ready(), each
part in its own function called by `register()`.

Each panel runs a fixed number of queries (none for a visitor not enrolled), whatever the
number of modules. No completion requirement is registered: the check counts for nothing
in completion or a certificate."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from assessments import selectors, translation_status, versions
from assessments.models import Phase
from courses import hooks


def check_invitation(outline, request) -> str:
    """On the course page, the invitation to the check before the course: only while the
    learner is enrolled, has done no lesson and has not taken it, and if their form has
    items (two queries)."""
    enrollment = outline.enrollment
    if enrollment is None or enrollment.completed_at is not None or outline.done_ids:
        return ""
    attempts = selectors.attempts_of(learner=request.user, course=outline.course)
    if Phase.PRE in attempts:
        return ""
    form = selectors.form_for(learner=request.user, course=outline.course, phase=Phase.PRE)
    if form not in selectors.forms_with_items(course=outline.course):
        return ""
    return render_to_string(
        "assessments/intro_panel.html", {"course": outline.course}, request=request
    )


def check_after_panel(outline, request) -> str:
    """On the completion page, above the survey: the invitation to the check after the
    course, or the learner's before and after results once taken (two queries)."""
    attempts = selectors.attempts_of(learner=request.user, course=outline.course)
    form = selectors.form_for(
        learner=request.user, course=outline.course, phase=Phase.POST, attempts=attempts
    )
    if Phase.POST not in attempts and form not in selectors.forms_with_items(course=outline.course):
        return ""
    return render_to_string(
        "assessments/completion_panel.html",
        {"course": outline.course, "attempts": attempts},
        request=request,
    )


def item_analysis_link(course, request):
    """The course page's button to its knowledge check's item analysis (admin)."""
    if not request.user.has_perm("assessments.view_item"):
        return None
    url = reverse("admin:assessments_item_analysis", kwargs={"course_id": course.pk})
    return gettext("Knowledge check: item analysis"), url


def gain_report_link(course, request):
    """The course's gain report, on its admin page (for those who may read the checks)."""
    if not request.user.has_perm("assessments.view_attempt"):
        return None
    url = reverse("admin:assessments_attempt_gain", kwargs={"course_id": course.pk})
    return gettext("Knowledge check gain"), url


def register_learner_panels() -> None:
    hooks.course_intro_panels.register(check_invitation)
    hooks.completion_page_panels.register(check_after_panel)


def register_items() -> None:
    # A course is not published while an item or a choice misses a translation, and its
    # published versions keep the items.
    hooks.translation_gaps.register(translation_status.item_translation_gaps)
    hooks.content_snapshots.register(versions.items_snapshot)


def register_item_analysis() -> None:
    hooks.admin_course_links.register(item_analysis_link)


def register_gain_report() -> None:
    hooks.admin_course_links.register(gain_report_link)


def register() -> None:
    register_learner_panels()
    register_items()
    register_item_analysis()
    register_gain_report()
