"""Errors as RFC 9457 problem details (application/problem+json), in the language of the
request (Accept-Language: LocaleMiddleware has activated it).

    {"type": "about:blank", "title": "Not found", "status": 404,
     "detail": "No such assignment.", "errors": [{"pointer": "#/due_on", "detail": "…"}]}

`errors` lists the invalid fields (a JSON pointer into the body, or the query parameter's
name as `parameter`) on a 400."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response

PROBLEM_CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: _("Invalid request"),
    401: _("Authentication required"),
    403: _("Not allowed"),
    404: _("Not found"),
    405: _("Method not allowed"),
    406: _("Not acceptable"),
    409: _("Conflict"),
    415: _("Unsupported media type"),
    429: _("Too many requests"),
}
DETAIL_INVALID = _("Some fields are invalid: see “errors”.")
DETAIL_NOT_FOUND = _("Nothing here for this client.")
DETAIL_NOT_AUTHENTICATED = _(
    "Send an access token of the client credentials grant in the Authorization header "
    "(Bearer), or a new one if it has expired."
)
DETAIL_SCOPE = _("The token does not have the scope this operation needs: %(scope)s.")
DETAIL_NOT_BOUND = _("This OAuth application is not an API client of any organization.")


def _field_errors(detail, *, location: str, prefix: str = "") -> list[dict]:
    """Flatten DRF's nested error detail into [{pointer|parameter, detail}]."""
    found = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "" if key == "non_field_errors" else str(key)
            path = f"{prefix}/{name}" if name else prefix
            found += _field_errors(value, location=location, prefix=path)
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                found += _field_errors(value, location=location, prefix=f"{prefix}/{index}")
            else:
                found += _field_errors(value, location=location, prefix=prefix)
    else:
        if location == "query":
            found.append({"parameter": prefix.lstrip("/"), "detail": str(detail)})
        else:
            found.append({"pointer": f"#{prefix}", "detail": str(detail)})
    return found


class QueryValidationError(exceptions.ValidationError):
    """Invalid query parameters (filters): their errors name the parameter."""


def problem(*, status_code: int, detail: str, errors: list | None = None, headers=None):
    body = {
        "type": "about:blank",
        "title": str(TITLES.get(status_code, _("Error"))),
        "status": status_code,
        "detail": str(detail),
    }
    if errors:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def problem_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: every refusal of the API as a problem document."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(DETAIL_NOT_FOUND)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: Django's 500 (logged), never a guess
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        location = "query" if isinstance(exc, QueryValidationError) else "body"
        return problem(
            status_code=status.HTTP_400_BAD_REQUEST,
            detail=DETAIL_INVALID,
            errors=_field_errors(exc.detail, location=location),
        )
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        detail = DETAIL_NOT_AUTHENTICATED
    elif isinstance(exc, exceptions.NotFound):
        detail = DETAIL_NOT_FOUND
    else:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc)
    return problem(status_code=exc.status_code, detail=detail, headers=headers or None)
