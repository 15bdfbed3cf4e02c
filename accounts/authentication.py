"""Login throttling: the lockout key, and the limit on failures per client address."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied

from accounts.emails import normalize_email
from accounts.middleware import stamp_session_on_login
from accounts.network import client_ip
from accounts.throttles import throttle_exhausted, throttle_hit
from accounts.two_factor import setup_required_on_login

ADDRESS_FAILURES = "login:address-failures"


def axes_username(request, credentials=None):
    """The address as accounts.User matches it (accounts.emails.normalize_email): otherwise
    each spelling of an address would get its own five attempts. Cut to the column's 255
    characters."""
    source = credentials if credentials else getattr(request, "POST", {})
    username = source.get(settings.AXES_USERNAME_FORM_FIELD)
    return normalize_email(username)[:255] if isinstance(username, str) else username


def _address_limit() -> dict:
    return {
        "limit": settings.REPERE_LOGIN_ADDRESS_FAILURE_LIMIT,
        "window_seconds": int(settings.AXES_COOLOFF_TIME.total_seconds()),
    }


def login_address_retry_after(request) -> int | None:
    """Seconds to wait when this client address has failed too many logins, across every
    account (password spraying), this period; else None."""
    return throttle_exhausted(ADDRESS_FAILURES, client_ip(request), **_address_limit())


class ClientAddressLimitBackend:
    """Refuses every sign-in from an address past the limit, whatever the login page (the
    admin's too); our login view answers those with a 429 page before getting here.

    Not a BaseBackend: without get_user(), no session is ever tied to this backend (the
    test client's force_login takes the first backend that has one)."""

    def authenticate(self, request, **credentials):
        if request is not None and login_address_retry_after(request) is not None:
            raise PermissionDenied  # stops authenticate(): no later backend is asked
        return None


def count_login_failure(sender, credentials, request=None, **kwargs):
    """Connected to `user_login_failed`: one more failure for the client's address."""
    if request is not None:
        throttle_hit(ADDRESS_FAILURES, client_ip(request), **_address_limit())


def connect_signals():
    user_login_failed.connect(count_login_failure, dispatch_uid="accounts.login_address")
    user_logged_in.connect(stamp_session_on_login, dispatch_uid="accounts.session_stamp")
    user_logged_in.connect(setup_required_on_login, dispatch_uid="accounts.two_factor_setup")
