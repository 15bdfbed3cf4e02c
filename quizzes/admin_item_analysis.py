"""The item analysis page of a quiz in the admin (reached from the quiz's admin page)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from accounts.workplaces import Workplace
from courses.templatetags.charts import Bar, percent_text
from quizzes import item_analysis
from quizzes.forms import DateRangeForm
from quizzes.models import Quiz


class ItemAnalysisFilterForm(DateRangeForm):
    workplace = forms.ChoiceField(
        label=_("Learners' workplace"),
        choices=[("", _("Every workplace"))] + list(Workplace.choices),
        required=False,
    )
    field_order = ("workplace", "since", "until")


def item_analysis_view(model_admin, request, object_id):
    quiz = get_object_or_404(Quiz.objects.select_related("module__course"), pk=object_id)
    if not model_admin.has_view_permission(request, quiz):
        raise PermissionDenied
    form = ItemAnalysisFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = item_analysis.quiz_item_analysis(
        quiz=quiz,
        workplace=filters.get("workplace", ""),
        since=filters.get("since"),
        until=filters.get("until"),
    )
    bars = [
        Bar(
            label=f"{index}. {row.question.text}",
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
        "original": quiz,
        "title": _("Item analysis"),
        "quiz": quiz,
        "form": form,
        "rows": rows,
        "bars": bars,
        "too_easy": percent_text(item_analysis.TOO_EASY_ABOVE),
        "too_hard": percent_text(item_analysis.TOO_HARD_BELOW),
    }
    return TemplateResponse(request, "admin/quizzes/quiz/item_analysis.html", context)
