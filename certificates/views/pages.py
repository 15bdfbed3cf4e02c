from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from accounts.throttles import too_many_requests
from certificates import codes, rendering, selectors, services, throttle
from certificates.forms import VerifyForm
from certificates.views.credentials import JSON_TYPE, JWT_TYPE, credential_for_code

MESSAGE_NAME_REQUESTED = _(
    "Your request has been sent. An administrator will reissue the certificate under your "
    "current name, with the same code."
)
MESSAGE_RENEWING = _("Your renewal has started: take the course again to earn a new certificate.")


@require_safe
@login_required
def my_certificates(request):
    certificates = selectors.certificates_page(holder=request.user)
    return render(request, "certificates/my_certificates.html", {"certificates": certificates})


@require_safe
def certificate_download(request, pk, kind):
    """The certificate drawn as a PNG or PDF; a 304, drawing nothing, if the browser has it."""
    certificate = selectors.certificate_get_downloadable(user=request.user, pk=pk)
    document = rendering.document_for(certificate)
    etag = f'"{document.fingerprint(kind)}"'
    response = get_conditional_response(request, etag=etag)
    if response is None:
        response = HttpResponse(
            rendering.render(document, kind), content_type=rendering.CONTENT_TYPES[kind]
        )
        response["Content-Disposition"] = f'inline; filename="repere-{document.code}.{kind}"'
    response["ETag"] = etag
    # Private: only some people may see it. no-cache: ask again each time, cheaply (304).
    # accounts.middleware adds no-store for signed-in people (shared computers).
    patch_cache_control(response, private=True, no_cache=True)
    return response


@require_POST
@login_required
def certificate_renew(request, pk):
    certificate = selectors.certificate_get_held(user=request.user, pk=pk)
    try:
        services.certificate_renew(certificate=certificate)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("certificates:mine")
    messages.success(request, MESSAGE_RENEWING)
    return redirect(certificate.course)


@require_POST
@login_required
def certificate_name_request(request, pk):
    """The holder asks for the certificate under the name now on their account."""
    certificate = selectors.certificate_get_held(user=request.user, pk=pk)
    try:
        services.certificate_name_request(certificate=certificate, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, MESSAGE_NAME_REQUESTED)
    return redirect("certificates:mine")


@require_safe
def verify_form(request):
    """The public page where anyone types a code; a well-formed one leads to its page."""
    form = VerifyForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("verify:detail", code=codes.display(form.cleaned_data["code"]))
    return render(request, "certificates/verify_form.html", {"form": form})


@require_safe
def verify_detail(request, code):
    """What the QR code opens: the certificate's state, or a 404 for a code nobody has.
    A machine that asks for JSON (or a JWT) in its Accept header gets the credential."""
    retry_after = throttle.verification_retry_after(request)
    if retry_after is not None:
        return too_many_requests(request, retry_after)
    wanted = request.get_preferred_type(["text/html", JSON_TYPE, JWT_TYPE])
    if wanted in (JSON_TYPE, JWT_TYPE):
        return credential_for_code(request, code, kind="json" if wanted == JSON_TYPE else "jwt")
    certificate = selectors.certificate_for_typed_code(code=code)
    if certificate is None:
        return render(
            request, "certificates/verify_unknown.html", {"form": VerifyForm()}, status=404
        )
    context = selectors.verification_facts(certificate=certificate)
    response = render(request, "certificates/verify_detail.html", context)
    patch_vary_headers(response, ["Accept"])
    return response
