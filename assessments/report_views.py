"""The gain report for supervisors: their organization's members' figures, as a page, a
CSV file and a workbook with the same figures (assessments.exports).

Each view fetches the organization through `organization_get_manageable`, which answers
404 to anyone who does not supervise it; no view here reads a person's attempt. An
organization with units (a board's schools) gets a unit filter (`UnitFilterForm`): the
figures are then those of the unit chosen and of the units below it, under the same
minimum group; a unit that is not one of its own is a form error on the page, a 404 for
the files."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from assessments import selectors
from assessments.exports import gain_csv_lines, gain_xlsx
from organizations.forms import UnitFilterForm
from organizations.selectors import organization_get_manageable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filename(organization, extension: str) -> str:
    return f"repere-gain-{organization.pk}-{timezone.localdate().isoformat()}.{extension}"


def _reports_of(request, organization_id):
    """(organization, reports) of the files: those of the unit asked for, 404 for one
    that is not the organization's."""
    organization = organization_get_manageable(user=request.user, organization_id=organization_id)
    group = UnitFilterForm(request.GET, organization=organization).group()
    if group is None:
        raise Http404
    return organization, selectors.organization_gain_report(organization=group)


@require_GET
@login_required
def organization_gain(request, organization_id):
    organization = organization_get_manageable(user=request.user, organization_id=organization_id)
    form = UnitFilterForm(request.GET, organization=organization)
    # An invalid unit is reported on the form; the page then shows the whole organization.
    group = form.group() or organization
    context = {
        "organization": organization,
        "form": form,
        "group": group,
        "reports": selectors.organization_gain_report(organization=group),
        "minimum": selectors.minimum_group(),
    }
    return render(request, "assessments/gain_organization.html", context)


@require_GET
@login_required
def organization_gain_csv(request, organization_id):
    organization, reports = _reports_of(request, organization_id)
    response = StreamingHttpResponse(
        gain_csv_lines(reports, language=get_language()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(organization, "csv")}"'
    return response


@require_GET
@login_required
def organization_gain_xlsx(request, organization_id):
    organization, reports = _reports_of(request, organization_id)
    return FileResponse(
        gain_xlsx(reports, language=get_language()),
        as_attachment=True,
        content_type=XLSX,
        filename=_filename(organization, "xlsx"),
    )
