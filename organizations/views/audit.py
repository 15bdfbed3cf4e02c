from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from organizations import selectors
from organizations.views.common import organization_for


@require_GET
@login_required
def audit_log(request, organization_id):
    """Who changed who can see whom in the organization, newest first."""
    organization = organization_for(request, organization_id)
    events = selectors.audit_events_of(organization=organization)
    page = Paginator(events, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "organizations/audit_log.html", {"organization": organization, "page": page}
    )
