"""The survey in the admin: per course, the aggregates and the comments, never a name.

No change list of rows (it would put a learner's name beside their answers): the
model's admin page lists the courses that have answers, each linking to its report.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path

from courses.models import Course
from quizzes.forms import DateRangeForm
from surveys import selectors
from surveys.models import SurveyResponse


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        report = self.admin_site.admin_view(self.course_report_view)
        return [
            path("course/<id:course_id>/", report, name="surveys_surveyresponse_course"),
        ] + super().get_urls()

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": self.model._meta.verbose_name_plural,
            "courses": selectors.courses_with_responses(),
        }
        return TemplateResponse(request, "admin/surveys/course_list.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A row would name its learner: the admin reads the survey per course only.
        raise Http404

    def course_report_view(self, request, course_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        course = get_object_or_404(Course, pk=course_id)
        form = DateRangeForm(request.GET or None)
        dates = form.cleaned_data if form.is_valid() else {}
        report = selectors.course_survey_report(
            course=course, since=dates.get("since"), until=dates.get("until")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": course.title,
            "course": course,
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/surveys/course_report.html", context)
