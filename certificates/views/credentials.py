"""Open Badges credentials: the holder's downloads, and what machines fetch to verify them.

The issuer profile, the key set and the status lists are public and carry no personal data;
they may be cached briefly by anyone. A credential is served to the people who may download
the certificate, and, by its code, through the verification page's rate limit.
"""

import json

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from certificates import rendering, selectors, throttle
from certificates.credentials import baking, build, keys, status
from certificates.forms import VerifyForm

JSON_TYPE = "application/json"
JWT_TYPE = "application/vc+jwt"
PUBLIC_SECONDS = 300


def _json(data, *, content_type=JSON_TYPE) -> HttpResponse:
    return HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type=f"{content_type}; charset=utf-8",
    )


def _attachment(response, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _public(response) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=PUBLIC_SECONDS)
    response["Access-Control-Allow-Origin"] = "*"  # wallets verify from their own pages
    return response


@require_safe
def credential_json(request, pk):
    certificate = selectors.certificate_get_downloadable(user=request.user, pk=pk)
    response = _json(build.credential_for(certificate))
    return _attachment(response, f"repere-{certificate.display_code}.json")


@require_safe
def credential_jwt(request, pk):
    certificate = selectors.certificate_get_downloadable(user=request.user, pk=pk)
    response = HttpResponse(build.credential_jwt(certificate), content_type=JWT_TYPE)
    return _attachment(response, f"repere-{certificate.display_code}.jwt")


@require_safe
def credential_badge(request, pk):
    """The certificate's PNG with the signed credential baked into it."""
    certificate = selectors.certificate_get_downloadable(user=request.user, pk=pk)
    png = rendering.render(rendering.document_for(certificate), "png")
    response = HttpResponse(
        baking.bake(png, build.credential_jwt(certificate)), content_type="image/png"
    )
    return _attachment(response, f"repere-{certificate.display_code}-badge.png")


@require_safe
def verify_detail_json(request, code):
    """The credential of a code, for machines (the page's `.json` address)."""
    retry_after = throttle.verification_retry_after(request)
    if retry_after is not None:
        response = JsonResponse({"error": "rate_limited"}, status=429)
        response["Retry-After"] = str(retry_after)
        return response
    return credential_for_code(request, code, kind="json")


def credential_for_code(request, code, *, kind: str) -> HttpResponse:
    """After the rate limit: the credential as JSON or as a JWT, or a 404."""
    certificate = selectors.certificate_for_typed_code(code=code)
    if certificate is None:
        if kind == "html":
            return render(
                request, "certificates/verify_unknown.html", {"form": VerifyForm()}, status=404
            )
        return JsonResponse({"error": "not_found"}, status=404)
    if kind == "jwt":
        response = HttpResponse(build.credential_jwt(certificate), content_type=JWT_TYPE)
    else:
        response = _json(build.credential_for(certificate))
    patch_vary_headers(response, ["Accept"])
    return response


@require_safe
def issuer_profile(request):
    return _public(_json(build.issuer_profile()))


@require_safe
def published_keys(request):
    """The JWK Set: the current signing key and the earlier ones still trusted."""
    return _public(_json(keys.published_keys(), content_type="application/jwk-set+json"))


@require_safe
def status_list(request, number):
    """The revocation status list `number`, as a signed credential (VC-JWT)."""
    first = number * status.LIST_SIZE
    revoked = [
        pk - first
        for pk in selectors.revoked_certificate_ids(first=first, last=first + status.LIST_SIZE)
    ]
    credential = status.status_list_credential(
        number, revoked, issuer=build.issuer_url(), contexts=build.CONTEXTS
    )
    return _public(HttpResponse(build.signed(credential), content_type=JWT_TYPE))
