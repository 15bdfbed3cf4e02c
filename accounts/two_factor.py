"""Two-factor sign-in on allauth.mfa's models and checks, behind our own pages.

Why our pages rather than allauth's: our sign-in is Django's LoginView (accounts.views),
not allauth's login flow, so allauth's pages would only half apply (its set-up pages ask
for reauthentication through allauth's login). We keep allauth's `Authenticator` rows, its
TOTP and recovery-code checks (constant-time comparison, each TOTP code once, each recovery
code once under a row lock) and its rate limit of wrong codes; the pages and the session's
steps are ours, in both languages with the quick exit and the hotline.

- After the password, a person with an authenticator is not signed in yet: the session
  keeps who is waiting (`SESSION_PENDING`, a few minutes) and the code page signs them in.
  A sign-in through an organization's provider goes through allauth's login flow, whose
  own code step (allauth's `mfa_authenticate` view, our template) does the same.
- On every sign-in, someone who must use two-factor (`hooks.two_factor_required`) and has
  no authenticator gets `SESSION_SETUP_REQUIRED`: the middleware sends them to the set-up
  page before any other page, until it is done.
"""

import time
from io import BytesIO

import segno
from allauth.mfa.adapter import DefaultMFAAdapter, get_adapter
from allauth.mfa.base.forms import BaseAuthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, clear_totp_secret, validate_totp_code
from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts import hooks
from accounts.models import User

SESSION_PENDING = "accounts.two_factor.pending"
SESSION_SETUP_REQUIRED = "accounts.two_factor.setup_required"
# How long the code page waits after the password before starting again.
PENDING_SECONDS = 5 * 60

ERROR_INCORRECT_CODE = _(
    "This code is not right. Type the 6 digits your app shows now, or one of your recovery codes."
)
ERROR_SETUP_CODE = _("This code is not right. Type the 6 digits your app shows now.")

# The kinds a person signs in with (recovery codes only stand in for one of them).
SIGN_IN_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


class MFAAdapter(DefaultMFAAdapter):
    """allauth.mfa with our wording, and the account's address in the code app."""

    error_messages = {**DefaultMFAAdapter.error_messages, "incorrect_code": ERROR_INCORRECT_CODE}

    def get_totp_label(self, user) -> str:
        return user.email


def has_two_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=SIGN_IN_TYPES).exists()


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def authenticators_of(user):
    return Authenticator.objects.filter(user_id=user.pk).order_by("created_at", "pk")


# The password step and the code step.


def sign_in_pending(request, *, user: User, next_url: str) -> None:
    """The password was right: remember who waits for their code, not signed in yet."""
    request.session[SESSION_PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", ""),
        "next": next_url,
        "at": int(time.time()),
    }


def pending_sign_in(request) -> tuple[User, str, str] | None:
    """(user, backend, next) waiting for a code, or None if none waits or it waited too long."""
    data = request.session.get(SESSION_PENDING)
    if not isinstance(data, dict) or time.time() - data.get("at", 0) > PENDING_SECONDS:
        request.session.pop(SESSION_PENDING, None)
        return None
    user = User.objects.filter(pk=data.get("user"), is_active=True).first()
    if user is None or not has_two_factor(user):
        request.session.pop(SESSION_PENDING, None)
        return None
    return user, data.get("backend", ""), data.get("next", "")


class CodeForm(BaseAuthenticateForm):
    """A code of the app or a recovery code, checked by allauth (and rate-limited by it:
    ACCOUNT_RATE_LIMITS["login_failed"], a form error once past it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = _("Code")
        self.fields["code"].widget.attrs.update(
            {"placeholder": "", "inputmode": "numeric", "autocomplete": "one-time-code"}
        )


# Setting up, and the recovery codes.


def setup_required_on_login(sender, request, user, **kwargs):
    """Connected to `user_logged_in`: whether this session must set up two-factor first."""
    if request is None or not hasattr(request, "session"):
        return
    if hooks.two_factor_required(user) and not has_two_factor(user):
        request.session[SESSION_SETUP_REQUIRED] = True
    else:
        request.session.pop(SESSION_SETUP_REQUIRED, None)


def totp_qr_svg(*, user: User, secret: str) -> str:
    """The otpauth:// address as an SVG QR code (segno), to put in the page as it is."""
    buffer = BytesIO()
    segno.make(get_adapter().build_totp_url(user, secret), error="m").save(
        buffer, kind="svg", scale=5, border=2, xmldecl=False, svgns=True, title=""
    )
    return buffer.getvalue().decode()


class SetupForm(forms.Form):
    code = forms.CharField(
        label=_("Code shown by the app"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, secret: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.secret = secret

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        if not validate_totp_code(self.secret, code):
            raise forms.ValidationError(ERROR_SETUP_CODE)
        return code


@transaction.atomic
def two_factor_activate(*, request, user: User, secret: str) -> list[str]:
    """The app's secret and a new set of recovery codes, together; the codes to show once.
    Once per person: allauth's constraint (one TOTP per user) refuses a second."""
    TOTP.activate(user, secret)
    Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.RECOVERY_CODES).delete()
    codes = RecoveryCodes.activate(user)
    clear_totp_secret(request)
    request.session.pop(SESSION_SETUP_REQUIRED, None)
    return codes.generate_codes()


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """A new set: the old codes stop working. The codes to show once."""
    Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.RECOVERY_CODES).delete()
    return RecoveryCodes.activate(user).generate_codes()


def recovery_codes_left(user: User) -> int | None:
    instance = Authenticator.objects.filter(
        user_id=user.pk, type=Authenticator.Type.RECOVERY_CODES
    ).first()
    return None if instance is None else len(instance.wrap().get_unused_codes())
