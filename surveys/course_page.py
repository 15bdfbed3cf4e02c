"""What surveys adds to courses' pages (courses.hooks), registered in SurveysConfig.ready()."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext

from courses import hooks
from surveys import selectors
from surveys.forms import SurveyForm


def survey_panel(outline, request) -> str:
    """The survey on the completion page, or the thanks once answered (one query)."""
    response = selectors.response_of(learner=request.user, course=outline.course)
    return render_to_string(
        "surveys/survey_panel.html",
        {
            "course": outline.course,
            "response": response,
            "form": SurveyForm(),
            "minimum": selectors.minimum_group(),
        },
        request=request,
    )


def survey_report_link(course, request):
    if not request.user.has_perm("surveys.view_surveyresponse"):
        return None
    url = reverse("admin:surveys_surveyresponse_course", kwargs={"course_id": course.pk})
    return gettext("Feedback survey"), url


def register() -> None:
    hooks.completion_page_panels.register(survey_panel)
    hooks.admin_course_links.register(survey_report_link)
