"""The two-factor pages: the code or passkey after the password, setting up, the recovery
codes, the person's passkeys.

accounts.two_factor and accounts.passkeys say why these are ours on allauth.mfa's models
and checks.
"""

from allauth.mfa.base.views import AuthenticateView
from allauth.mfa.totp.internal.auth import get_totp_secret
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import hooks
from accounts import passkeys as pk
from accounts import two_factor as tf


def _landing(user, next_url: str = "") -> str:
    return next_url or hooks.landing_page(user) or resolve_url(settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def two_factor_authenticate(request):
    """The second step of a password sign-in: a code of the app, a recovery code, or one
    of the person's passkeys."""
    pending = tf.pending_sign_in(request)
    if pending is None:
        # Someone signed in has no code to give here; someone signed out starts again.
        if request.user.is_authenticated:
            raise Http404
        return redirect("login")
    user, backend, next_url = pending
    with_passkey = request.method == "POST" and "credential" in request.POST
    form = tf.CodeForm(None if with_passkey else request.POST or None, user=user)
    passkey_form = None
    if pk.passkeys_of(user).exists():
        passkey_form = pk.PasskeyCheckForm(request.POST if with_passkey else None, user=user)
    posted = passkey_form if with_passkey else form
    if request.method == "POST" and posted is not None and posted.is_valid():
        authenticator = form.authenticator if posted is form else posted.cleaned_data["credential"]
        authenticator.record_usage()
        request.session.pop(tf.SESSION_PENDING, None)
        login(request, user, backend=backend or None)
        return redirect(_landing(user, next_url))
    # Someone with a passkey and no code app is not told to open an app on a phone.
    has_totp = passkey_form is None or tf.has_totp(user)
    context = {"form": form, "webauthn_form": passkey_form, "has_totp": has_totp}
    if passkey_form is not None:
        context["js_data"] = {"request_options": pk.passkey_request_options(user=user)}
    return render(request, "accounts/two_factor_authenticate.html", context)


class ProviderTwoFactorAuthenticateView(AuthenticateView):
    """allauth's code step of a provider sign-in (its login flow, our template): the
    passkey part only for someone who has one, with our wording of its failures."""

    webauthn_form_class = pk.PasskeyCheckForm

    def get_webauthn_form_class(self):
        return self.webauthn_form_class

    def get_context_data(self, **kwargs) -> dict:
        if not pk.passkeys_of(self.stage.login.user).exists():
            self.webauthn_form = None
        return super().get_context_data(**kwargs)


provider_two_factor_authenticate = ProviderTwoFactorAuthenticateView.as_view()


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request):
    """The QR code (and the key to type), then a code from the app to check it works; the
    recovery codes are shown once, in the answer."""
    if tf.has_totp(request.user):
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
        "has_totp": tf.has_totp(request.user),
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


# Passkeys.


@login_required
@require_http_methods(["GET", "POST"])
def passkey_add(request):
    """A name, then the browser makes the passkey (static/js/passkeys.js) and the page sends
    it; the first second factor also brings the recovery codes, shown once."""
    form = pk.AddPasskeyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        codes = pk.passkey_add(
            request=request,
            user=request.user,
            name=form.cleaned_data["name"],
            credential=form.cleaned_data["credential"],
        )
        if codes is not None:
            context = {"codes": codes, "continue_url": _landing(request.user), "new": True}
            return render(request, "accounts/two_factor_recovery_codes.html", context)
        messages.success(request, _("Your passkey is added."))
        return redirect("accounts:two_factor")
    context = {
        "form": form,
        "js_data": {"creation_options": pk.passkey_creation_options(user=request.user)},
        "required": request.session.get(tf.SESSION_SETUP_REQUIRED, False),
    }
    return render(request, "accounts/passkey_add.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def passkey(request, passkey_id: int):
    """One of the person's passkeys: its name to change, and removing it."""
    passkey = pk.passkey_of(request.user, passkey_id)
    form = pk.RenamePasskeyForm(request.POST or None, initial={"name": pk.passkey_name(passkey)})
    if request.method == "POST" and form.is_valid():
        pk.passkey_rename(passkey=passkey, name=form.cleaned_data["name"])
        messages.success(request, _("The passkey is renamed."))
        return redirect("accounts:two_factor")
    context = {"form": form, "passkey": passkey, "name": pk.passkey_name(passkey)}
    return render(request, "accounts/passkey.html", context)


@login_required
@require_POST
def passkey_remove(request, passkey_id: int):
    passkey = pk.passkey_of(request.user, passkey_id)
    try:
        pk.passkey_remove(user=request.user, passkey=passkey)
    except pk.LastRequiredFactor:
        messages.error(request, pk.ERROR_LAST_REQUIRED)
        return redirect("accounts:passkey", passkey_id=passkey.pk)
    messages.success(request, _("The passkey is removed: it no longer signs you in."))
    return redirect("accounts:two_factor")
