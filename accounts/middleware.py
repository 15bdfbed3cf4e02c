"""Middleware for pages seen by signed-in people on shared computers, and for uploads."""

import time

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control

from accounts.two_factor import SESSION_SETUP_REQUIRED

# How often an active session's expiry is pushed back: not on every request, which would
# write the session row each time.
SESSION_REFRESH_SECONDS = 60
SESSION_REFRESHED_AT = "_repere_refreshed_at"


def stamp_session_on_login(sender, request, user, **kwargs):
    """Connected to `user_logged_in`: the session saved at login counts as just renewed,
    so the first requests after it do not write it again."""
    request.session[SESSION_REFRESHED_AT] = int(time.time())


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in person (pages and
    downloads): neither a shared proxy nor the browser of a shared computer keeps them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


class SessionIdleTimeoutMiddleware:
    """Keep an active session alive: its expiry (SESSION_COOKIE_AGE, the idle timeout) is
    renewed when the session is saved, so mark it modified at most once a minute. A session
    left idle longer than the timeout has expired: the person is signed out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(SESSION_REFRESHED_AT, 0) >= SESSION_REFRESH_SECONDS:
                request.session[SESSION_REFRESHED_AT] = now
        return self.get_response(request)


class UploadSizeLimitMiddleware:
    """Answer 413, with our page in the reader's language, before reading a request body
    larger than REPERE_MAX_UPLOAD_BYTES (the proxy should refuse it first: see README)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REPERE_MAX_UPLOAD_BYTES:
            context = {"limit_mib": settings.REPERE_MAX_UPLOAD_BYTES / (1024 * 1024)}
            return render(request, "413.html", context, status=413)
        return self.get_response(request)


class ErrorPageMiddleware:
    """Our page, in the reader's language with the quick exit and the hotline, for an error
    response that has no body: Django's `require_POST` and the class-based views answer a
    GET on a POST-only address with an empty 405, which the browser shows as its own bare
    error page. Headers (Allow on a 405) and the status are kept."""

    STATUSES = frozenset({400, 403, 404, 405, 413, 429, 500})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code not in self.STATUSES
            or response.streaming
            or response.content
            or request.method == "HEAD"
        ):
            return response
        page = render(request, f"{response.status_code}.html", status=response.status_code)
        for header, value in response.items():
            if header.lower() not in ("content-type", "content-length"):
                page[header] = value
        return page


class TwoFactorSetupMiddleware:
    """Someone who must use two-factor and has none yet (accounts.two_factor: decided at
    sign-in, kept in the session) sees only the set-up page until it is done: no
    supervision page, no admin, nothing else but signing out and changing language."""

    ALLOWED = frozenset(
        {"accounts:two_factor_setup", "accounts:passkey_add", "logout", "set_language"}
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        session = getattr(request, "session", None)
        if session is None or not session.get(SESSION_SETUP_REQUIRED):
            return None
        if not request.user.is_authenticated:
            return None
        if request.resolver_match.view_name in self.ALLOWED:
            return None
        return redirect("accounts:two_factor_setup")
