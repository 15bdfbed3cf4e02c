"""The two-factor pages: the code after the password, setting up, the recovery codes.

accounts.two_factor says why these are ours on allauth.mfa's models and checks.
"""

from allauth.mfa.totp.internal.auth import get_totp_secret
from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.views.decorators.http import require_http_methods, require_POST

from accounts import hooks
from accounts import two_factor as tf


def _landing(user, next_url: str = "") -> str:
    return next_url or hooks.landing_page(user) or resolve_url(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def two_factor_authenticate(request):
    """The second step of a password sign-in: a code of the app, or a recovery code."""
    pending = tf.pending_sign_in(request)
    if pending is None:
        # Someone signed in has no code to give here; someone signed out starts again.
        if request.user.is_authenticated:
            raise Http404
        return redirect("login")
    user, backend, next_url = pending
    form = tf.CodeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        form.authenticator.record_usage()
        request.session.pop(tf.SESSION_PENDING, None)
        login(request, user, backend=backend or None)
        return redirect(_landing(user, next_url))
    return render(request, "accounts/two_factor_authenticate.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """The QR code (and the key to type), then a code from the app to check it works; the
    recovery codes are shown once, in the answer."""
    if tf.has_two_factor(request.user):
        return redirect("accounts:two_factor")
    secret = get_totp_secret()
    form = tf.SetupForm(request.POST or None, secret=secret)
    if request.method == "POST" and form.is_valid():
        try:
            codes = tf.two_factor_activate(request=request, user=request.user, secret=secret)
        except IntegrityError:
            # Set up at the same moment in another tab (one app per person, allauth's
            # constraint): that one's codes were shown there.
            return redirect("accounts:two_factor")
        context = {"codes": codes, "continue_url": _landing(request.user), "new": True}
        return render(request, "accounts/two_factor_recovery_codes.html", context)
    context = {
        "form": form,
        "secret": secret,
        "qr_svg": tf.totp_qr_svg(user=request.user, secret=secret),
        "required": request.session.get(tf.SESSION_SETUP_REQUIRED, False),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
def two_factor(request):
    """Whether two-factor is on, since when, and how many recovery codes are left."""
    context = {
        "authenticators": list(tf.authenticators_of(request.user)),
        "codes_left": tf.recovery_codes_left(request.user),
        "required": hooks.two_factor_required(request.user),
    }
    return render(request, "accounts/two_factor.html", context)


@login_required
@require_POST
def two_factor_recovery_codes(request):
    """A new set of recovery codes, shown once; the old ones stop working."""
    if not tf.has_two_factor(request.user):
        return redirect("accounts:two_factor_setup")
    codes = tf.recovery_codes_regenerate(user=request.user)
    context = {"codes": codes, "continue_url": resolve_url("accounts:two_factor"), "new": False}
    return render(request, "accounts/two_factor_recovery_codes.html", context)
