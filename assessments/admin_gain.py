"""The knowledge checks in the admin: per course, the gain report, never a person's row.

No change list of attempts (it would put a learner's name beside their score): the
model's admin page lists the courses that have attempts, each linking to its report,
as the survey's does. Imported by AssessmentsConfig.ready() (assessments/admin.py holds
the item bank's admin).
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language, gettext

from assessments import selectors
from assessments.exports import gain_csv_lines, gain_xlsx
from assessments.models import Attempt
from assessments.report_forms import GainFilterForm
from courses.models import Course

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        def view(function):
            return self.admin_site.admin_view(function)

        return [
            path("course/<id:course_id>/", view(self.gain_view), name="assessments_attempt_gain"),
            path(
                "course/<id:course_id>/gain.csv",
                view(self.gain_csv_view),
                name="assessments_attempt_gain_csv",
            ),
            path(
                "course/<id:course_id>/gain.xlsx",
                view(self.gain_xlsx_view),
                name="assessments_attempt_gain_xlsx",
            ),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": self.model._meta.verbose_name_plural,
            "courses": selectors.courses_with_attempts(),
        }
        return TemplateResponse(request, "assessments/gain_admin_courses.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A row would name its learner: the admin reads the checks per course only.
        raise Http404

    def _report(self, request, course_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        course = get_object_or_404(Course, pk=course_id)
        form = GainFilterForm(request.GET or None)
        scope = form.cleaned_data if form.is_valid() else {}
        report = selectors.course_gain_report(
            course=course,
            organization=scope.get("organization"),
            since=scope.get("since"),
            until=scope.get("until"),
        )
        return course, form, report

    def gain_view(self, request, course_id):
        course, form, report = self._report(request, course_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": course.title,
            "course": course,
            "form": form,
            "report": report,
            "minimum": selectors.minimum_group(),
            "query": request.GET.urlencode() if form.is_valid() else "",
        }
        return TemplateResponse(request, "assessments/gain_admin_report.html", context)

    def gain_csv_view(self, request, course_id):
        course, form, report = self._report(request, course_id)
        if form.is_bound and not form.is_valid():
            return _bad_filters()
        response = StreamingHttpResponse(
            gain_csv_lines([report], language=get_language()),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{_filename(course, "csv")}"'
        return response

    def gain_xlsx_view(self, request, course_id):
        course, form, report = self._report(request, course_id)
        if form.is_bound and not form.is_valid():
            return _bad_filters()
        return FileResponse(
            gain_xlsx([report], language=get_language()),
            as_attachment=True,
            content_type=XLSX,
            filename=_filename(course, "xlsx"),
        )


def _bad_filters() -> HttpResponseBadRequest:
    # The page shows the form's errors; a file of other figures than asked would mislead.
    return HttpResponseBadRequest(
        gettext("These filters are not valid: correct them on the report's page.")
    )


def _filename(course, extension: str) -> str:
    return f"repere-gain-{course.slug}-{timezone.localdate().isoformat()}.{extension}"
