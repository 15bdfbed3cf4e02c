from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from organizations import selectors
from organizations.views.common import organization_for


@require_GET
@login_required
def audit_log(request, organization_id):
    """Who changed who can see whom in the organization and its units, newest first."""
    organization = organization_for(request, organization_id)
    with_units = selectors.has_units(organization)
    events = selectors.audit_events_of(organization=organization, with_units=with_units)
    page = Paginator(events, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"organization": organization, "page": page, "with_units": with_units}
    return render(request, "organizations/audit_log.html", context)
