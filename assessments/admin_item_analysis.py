"""The item analysis page of a course's knowledge check in the admin (reached from the
items' list and from the course's page), and the list of courses that lead to it."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from assessments import item_analysis
from assessments.models import Phase
from courses.models import Course
from courses.templatetags.charts import Bar, percent_text
from quizzes.admin_item_analysis import ItemAnalysisFilterForm


class CheckItemAnalysisFilterForm(ItemAnalysisFilterForm):
    """The quizzes' filters, and the phase: items are easier after the course."""

    phase = forms.ChoiceField(
        label=_("When"),
        choices=[("", _("Before and after the course"))] + list(Phase.choices),
        required=False,
    )
    field_order = ("phase", "workplace", "since", "until")


def _check_permission(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied


def courses_view(model_admin, request):
    """The courses whose knowledge check has items, each leading to its analysis."""
    _check_permission(model_admin, request)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Knowledge check: item analysis"),
        "courses": item_analysis.courses_with_items(),
    }
    return TemplateResponse(request, "admin/assessments/item/item_analysis_courses.html", context)


def item_analysis_view(model_admin, request, course_id):
    _check_permission(model_admin, request)
    course = get_object_or_404(Course, pk=course_id)
    form = CheckItemAnalysisFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = item_analysis.check_item_analysis(
        course=course,
        phase=filters.get("phase", ""),
        workplace=filters.get("workplace", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    bars = [
        Bar(
            label=f"{row.item.get_form_display()} {index}. {row.item.text}",
            value=row.facility,
            display=percent_text(row.facility)
            if row.facility is not None
            else str(_("no answers")),
        )
        for index, row in enumerate(rows, start=1)
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Knowledge check: item analysis"),
        "course": course,
        "form": form,
        "rows": rows,
        "bars": bars,
        "too_easy": percent_text(item_analysis.TOO_EASY_ABOVE),
        "too_hard": percent_text(item_analysis.TOO_HARD_BELOW),
    }
    return TemplateResponse(request, "admin/assessments/item/item_analysis.html", context)
