from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courses.selectors import course_get_visible
from organizations.forms import UnitFilterForm
from organizations.selectors import organization_get_manageable
from surveys import selectors, services
from surveys.forms import SurveyForm


def _completion_page(course):
    return reverse("courses:course_completed", kwargs={"slug": course.slug})


@require_POST
@login_required
def survey_submit(request, slug):
    course = course_get_visible(user=request.user, slug=slug)
    if "skip" in request.POST:
        messages.info(request, _("You skipped the survey: nothing was recorded."))
        return redirect(_completion_page(course))
    form = SurveyForm(request.POST)
    if not form.is_valid():
        return render(
            request, "surveys/survey_form.html", {"course": course, "form": form}, status=400
        )
    if form.is_empty():
        messages.info(request, _("You skipped the survey: nothing was recorded."))
        return redirect(_completion_page(course))
    try:
        services.survey_response_submit(learner=request.user, course=course, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Thank you: your answers were recorded."))
    return redirect(_completion_page(course))


@require_GET
@login_required
def organization_survey(request, organization_id):
    """The survey's aggregates of the organization's members: no comment, no person. With
    units (a board's schools), a unit filter: the aggregates of the unit chosen and of the
    units below it, under the same minimum group; a unit that is not one of its own is a
    form error, and the page shows the whole organization."""
    organization = organization_get_manageable(user=request.user, organization_id=organization_id)
    form = UnitFilterForm(request.GET, organization=organization)
    group = form.group() or organization
    context = {
        "organization": organization,
        "form": form,
        "group": group,
        "aggregates": selectors.organization_survey_aggregates(organization=group),
        "minimum": selectors.minimum_group(),
    }
    return render(request, "surveys/organization_survey.html", context)
