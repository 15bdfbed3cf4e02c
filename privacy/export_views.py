"""My data: ask for a copy of everything Repère holds about you, and download it once."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from privacy import export, selectors
from privacy.models import DataExport

REQUESTED = _(
    "Your copy is being prepared. We will send you an e-mail with a link as soon as it is "
    "ready. The link works once, while you are signed in."
)


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request):
    if request.method == "POST":
        try:
            export.data_export_request(user=request.user)
        except export.ExportLinkError as error:
            messages.info(request, error.message)
        else:
            messages.success(request, REQUESTED)
        return redirect("privacy:my_data")
    latest = selectors.latest_export(user=request.user)
    context = {"latest": latest, "retention_hours": settings.REPERE_DATA_EXPORT_EXPIRY_HOURS}
    return render(request, "privacy/my_data.html", context)


@login_required
def export_download(request, token):
    """The ZIP, once, for the person it was made for; anyone else gets a 404, as for a
    link that never existed (the login page first, for someone not signed in)."""
    try:
        content = export.data_export_download(user=request.user, token=token)
    except DataExport.DoesNotExist:
        raise Http404 from None
    except export.ExportLinkError as error:
        return render(request, "privacy/export_link.html", {"message": error.message}, status=410)
    response = HttpResponse(content, content_type="application/zip")
    filename = f"repere-my-data-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
