"""Supervisors' dashboard and its downloads (its rows as CSV or Excel, the ZIP of the
certificates it shows).

Each fetches the organization through `organization_get_manageable` (organizations), which
answers 404 to anyone who does not supervise it (staff, supervisors of other
organizations); people with the "can see every organization" permission see all."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from organizations.views.common import organization_for
from supervision import selectors
from supervision.certificate_zip import certificates_zip
from supervision.csv_export import dashboard_csv_lines
from supervision.forms import DashboardFilterForm
from supervision.xlsx_export import dashboard_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@login_required
def dashboard(request, organization_id):
    organization = organization_for(request, organization_id)
    form = DashboardFilterForm(request.GET, organization=organization)
    shown = selectors.dashboard_page(
        organization=organization,
        filters=form.filters(),
        page_number=request.GET.get("page"),
        units=form.has_units,
    )
    context = {"organization": organization, "form": form, **shown}
    return render(request, "supervision/dashboard.html", context)


def _download(content, *, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def dashboard_export(request, organization_id):
    """The dashboard's rows under the same filters, as a CSV file (all pages), with the
    unit column when the organization has units."""
    organization = organization_for(request, organization_id)
    form = DashboardFilterForm(request.GET, organization=organization)
    rows = selectors.dashboard_export_values(organization=organization, **form.filters())
    return _download(
        dashboard_csv_lines(rows, language=get_language(), units=form.has_units),
        content_type="text/csv; charset=utf-8",
        filename=f"repere-{organization.pk}-{timezone.localdate().isoformat()}.csv",
    )


@require_GET
@login_required
def dashboard_export_xlsx(request, organization_id):
    """The same rows as the CSV file, as an Excel workbook with date cells."""
    organization = organization_for(request, organization_id)
    form = DashboardFilterForm(request.GET, organization=organization)
    rows = selectors.dashboard_export_rows(organization=organization, **form.filters())
    return FileResponse(
        dashboard_xlsx(rows, language=get_language(), units=form.has_units),
        as_attachment=True,
        content_type=XLSX,
        filename=f"repere-{organization.pk}-{timezone.localdate().isoformat()}.xlsx",
    )


@require_GET
@login_required
def dashboard_certificates_zip(request, organization_id):
    """The PDFs of the certificates the dashboard shows under the same filters, with a CSV
    index, as one streamed ZIP."""
    organization = organization_for(request, organization_id)
    filters = DashboardFilterForm(request.GET, organization=organization).filters()
    certificates = selectors.dashboard_certificates(organization=organization, **filters)
    return _download(
        certificates_zip(certificates, language=get_language()),
        content_type="application/zip",
        filename=f"repere-{organization.pk}-certificates-{timezone.localdate().isoformat()}.zip",
    )
