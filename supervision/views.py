"""Supervisors' pages: the organization list, the dashboard and its export, assigning.

Each fetches the organization through `selectors.organization_get_manageable`, which
answers 404 to anyone who does not supervise it (staff, supervisors of other
organizations); people with the "can see every organization" permission see all."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from organizations import selectors, services
from organizations.certificate_zip import certificates_zip
from organizations.csv_export import dashboard_csv_lines
from organizations.forms import AssignForm, DashboardFilterForm
from organizations.views.common import organization_for as _organization

COLUMN_KEYS = [column.key for column in selectors.COLUMNS]


@require_GET
@login_required
def organization_list(request):
    organizations = list(selectors.organizations_manageable_by(request.user)[:101])
    if not organizations:
        raise Http404
    if len(organizations) == 1:
        return redirect("organizations:dashboard", organization_id=organizations[0].pk)
    return render(
        request, "organizations/organization_list.html", {"organizations": organizations[:100]}
    )


def _sort_headers(current: str):
    """Each column's header: the link that sorts by it, and its aria-sort state."""
    headers = []
    for column in selectors.COLUMNS:
        if current == column.key:
            state, next_sort = "ascending", column.descending_key
        elif current == column.descending_key:
            state, next_sort = "descending", column.key
        else:
            state, next_sort = None, column.key
        headers.append({"column": column, "aria_sort": state, "next_sort": next_sort})
    return headers


@require_GET
@login_required
def dashboard(request, organization_id):
    organization = _organization(request, organization_id)
    form = DashboardFilterForm(request.GET, organization=organization)
    filters = form.filters()
    rows = selectors.dashboard_rows(organization=organization, **filters)
    page = Paginator(rows, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    totals = selectors.dashboard_totals(organization=organization, course=filters["course"])
    table = [
        {
            "cells": list(zip(COLUMN_KEYS, selectors.row_cells(row), strict=True)),
            "badge": selectors.Status.badges[selectors.Status.at(row["status_rank"])],
        }
        for row in page.object_list
    ]
    context = {
        "organization": organization,
        "form": form,
        "filters": filters,
        "totals": totals,
        "page": page,
        "table": table,
        "headers": _sort_headers(filters["sort"]),
    }
    return render(request, "organizations/dashboard.html", context)


@require_GET
@login_required
def dashboard_export(request, organization_id):
    """The dashboard's rows under the same filters, as a CSV file (all pages)."""
    organization = _organization(request, organization_id)
    filters = DashboardFilterForm(request.GET, organization=organization).filters()
    rows = selectors.dashboard_rows(organization=organization, **filters)
    response = StreamingHttpResponse(
        dashboard_csv_lines(rows, language=get_language()), content_type="text/csv; charset=utf-8"
    )
    filename = f"repere-{organization.pk}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def dashboard_certificates_zip(request, organization_id):
    """The PDFs of the certificates the dashboard shows under the same filters, with a CSV
    index, as one streamed ZIP."""
    organization = _organization(request, organization_id)
    filters = DashboardFilterForm(request.GET, organization=organization).filters()
    certificates = selectors.dashboard_certificates(organization=organization, **filters)
    response = StreamingHttpResponse(
        certificates_zip(certificates, language=get_language()), content_type="application/zip"
    )
    filename = f"repere-{organization.pk}-certificates-{timezone.localdate().isoformat()}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def assign(request, organization_id):
    organization = _organization(request, organization_id)
    if request.method == "POST":
        selected = request.POST.getlist("learners")
        form = AssignForm(request.POST, organization=organization, selected_ids=selected)
    else:
        form = AssignForm(organization=organization, selected_ids=request.GET.getlist("learner"))
    if request.method == "POST" and form.is_valid():
        course = form.cleaned_data["course"]
        try:
            report = services.assignments_create(
                organization=organization,
                course=course,
                learners=form.chosen_learners(),
                due_on=form.cleaned_data["due_on"],
                assigned_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "“%(course)s” is assigned to %(count)d person.",
                    "“%(course)s” is assigned to %(count)d people.",
                    report.total,
                )
                % {"course": course.title, "count": report.total},
            )
            url = reverse("organizations:dashboard", kwargs={"organization_id": organization.pk})
            return redirect(f"{url}?course={course.pk}")
    return render(
        request, "organizations/assign.html", {"organization": organization, "form": form}
    )
