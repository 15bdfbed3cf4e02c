"""Supervisors' pages of the organizations app that are not about staff: the list of the
organizations one supervises, and assigning a course.

Each fetches the organization through `selectors.organization_get_manageable`, which
answers 404 to anyone who does not supervise it (staff, supervisors of other
organizations); people with the "can see every organization" permission see all. The
dashboard they lead to belongs to the supervision app (linked by URL name only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from organizations import selectors, services
from organizations.forms import AssignForm
from organizations.views.common import organization_for

MESSAGE_BY_UNIT = _("By unit: %(units)s.")


@require_GET
@login_required
def organization_list(request):
    organizations = list(
        selectors.organizations_manageable_by(request.user).select_related("parent")[:101]
    )
    if not organizations:
        raise Http404
    if len(organizations) == 1:
        return redirect("supervision:dashboard", organization_id=organizations[0].pk)
    context = {"tree": selectors.as_tree(organizations[:100])}
    return render(request, "organizations/organization_list.html", context)


def _assign_form(request, organization) -> AssignForm:
    """The form as posted, or as the staff page opens it (with the people ticked there)."""
    if request.method == "POST":
        selected = request.POST.getlist("learners")
        return AssignForm(request.POST, organization=organization, selected_ids=selected)
    return AssignForm(organization=organization, selected_ids=request.GET.getlist("learner"))


def _assigned_message(report: services.AssignReport, course) -> str:
    message = ngettext(
        "“%(course)s” is assigned to %(count)d person.",
        "“%(course)s” is assigned to %(count)d people.",
        report.total,
    ) % {"course": course.title, "count": report.total}
    if not report.units:
        return message
    units = ", ".join(
        ngettext("%(unit)s (%(count)d person)", "%(unit)s (%(count)d people)", unit.count)
        % {"unit": unit.name, "count": unit.count}
        for unit in report.units
    )
    return f"{message} {MESSAGE_BY_UNIT % {'units': units}}"


@require_http_methods(["GET", "POST"])
@login_required
def assign(request, organization_id):
    organization = organization_for(request, organization_id)
    form = _assign_form(request, organization)
    if request.method == "POST" and form.is_valid():
        course = form.cleaned_data["course"]
        try:
            service = (
                services.assignments_create_in_units
                if form.over_units()
                else services.assignments_create
            )
            report = service(
                organization=organization, assigned_by=request.user, **form.assignment()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _assigned_message(report, course))
            url = reverse("supervision:dashboard", kwargs={"organization_id": organization.pk})
            return redirect(f"{url}?course={course.pk}")
    context = {"organization": organization, "form": form}
    return render(request, "organizations/assign.html", context)
