"""Passkeys (WebAuthn) as a second factor, on allauth.mfa's WebAuthn support.

As for the code app (accounts.two_factor), we keep allauth's `Authenticator` rows and its
checks (fido2's verification of the browser's answer against the challenge kept in the
session, the rate limit of failures) and make the pages ours. A passkey here is a second
factor after the password, never a way to sign in without it (MFA_PASSKEY_LOGIN_ENABLED
stays off): the sign-in page decides who signs in where (an organization's provider,
the lockout after wrong passwords) and a passwordless path would go round it.

The browser's part is allauth's webauthn-json.js (served from our static files) and our
static/js/passkeys.js: the options are in the page as JSON (`json_script`, not run by the
browser), so the CSP needs no inline script.
"""

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.webauthn.forms import AddWebAuthnForm, AuthenticateWebAuthnForm
from allauth.mfa.webauthn.internal import auth as webauthn
from django import forms
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts import hooks
from accounts.models import User
from accounts.two_factor import SESSION_SETUP_REQUIRED, SIGN_IN_TYPES

NAME_MAX_LENGTH = 60
ERROR_PASSKEY = _(
    "Your passkey could not be checked. Try again, or use a code from your app or a recovery code."
)
ERROR_ADD = _("The passkey could not be added. Try again.")
ERROR_LAST_REQUIRED = _(
    "This passkey is your only second factor and your organization asks you to use one: "
    "set up another before removing it."
)


# What fido2 raises on an answer of the wrong shape (a missing key, a list for a
# dictionary, bytes that do not decode): the browser's answer is the poster's to make.
MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError)


class LastRequiredFactor(Exception):
    """Removing this passkey would leave someone who must use two-factor without any."""


def passkeys_of(user: User):
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.WEBAUTHN).order_by(
        "created_at", "pk"
    )


def passkey_of(user: User, pk: int) -> Authenticator:
    """One of the person's own passkeys; anybody else's is not found."""
    passkey = passkeys_of(user).filter(pk=pk).first()
    if passkey is None:
        raise Http404
    return passkey


def passkey_name(authenticator: Authenticator) -> str:
    return authenticator.data.get("name", "")


def _credential_errors_in_our_words(form: forms.Form, message) -> None:
    """allauth words a passkey's failure as a wrong code, on a hidden field that the page
    does not show: one error of ours for the form instead (the name's own errors stay)."""
    wrong = [key for key in form.errors if key != "name"]
    if wrong:
        for key in wrong:
            del form.errors[key]
        form.add_error(None, message)


class AddPasskeyForm(AddWebAuthnForm):
    """A name the person chooses, and the browser's answer (checked by allauth and fido2
    against the challenge of this session)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["name"] = ""
        self.fields["name"] = forms.CharField(
            label=_("Name of the passkey"),
            max_length=NAME_MAX_LENGTH,
            required=False,
            help_text=_("So that you recognise it later, for example “Work phone”."),
        )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        return name or str(_("Passkey %(number)d") % {"number": passkeys_of(self.user).count() + 1})

    def clean(self):
        try:
            return super().clean()
        except MALFORMED as error:
            raise forms.ValidationError(ERROR_ADD) from error

    def full_clean(self):
        super().full_clean()
        _credential_errors_in_our_words(self, ERROR_ADD)


class PasskeyCheckForm(AuthenticateWebAuthnForm):
    """The browser's answer at the second step of a sign-in, for `user`; wrong answers
    count against allauth's "login_failed" limit as wrong codes do."""

    def clean_credential(self):
        try:
            return super().clean_credential()
        except MALFORMED as error:
            raise forms.ValidationError(ERROR_PASSKEY) from error

    def full_clean(self):
        super().full_clean()
        _credential_errors_in_our_words(self, ERROR_PASSKEY)


class RenamePasskeyForm(forms.Form):
    name = forms.CharField(label=_("Name of the passkey"), max_length=NAME_MAX_LENGTH)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the passkey a name."))
        return name


def passkey_creation_options(*, user: User) -> dict:
    """The challenge for the browser (kept in the session), refusing the person's passkeys
    already added."""
    return webauthn.begin_registration(user, passwordless=False)


def passkey_request_options(*, user: User) -> dict:
    """The challenge of the sign-in's second step, for the person's passkeys."""
    return webauthn.begin_authentication(user)


@transaction.atomic
def passkey_add(*, request, user: User, name: str, credential: dict) -> list[str] | None:
    """Add the passkey checked by AddPasskeyForm. Someone without recovery codes gets a
    set with their first passkey (what they sign in with if the device is lost): the
    codes to show once, or None when they already had some."""
    webauthn.WebAuthn.add(user, name, credential)
    request.session.pop(SESSION_SETUP_REQUIRED, None)
    if Authenticator.objects.filter(
        user_id=user.pk, type=Authenticator.Type.RECOVERY_CODES
    ).exists():
        return None
    return RecoveryCodes.activate(user).generate_codes()


def passkey_rename(*, passkey: Authenticator, name: str) -> None:
    passkey.data["name"] = name
    passkey.save(update_fields=["data"])


@transaction.atomic
def passkey_remove(*, user: User, passkey: Authenticator) -> None:
    """Remove the passkey; with the last second factor gone, the recovery codes go too
    (they only stand in for one). Refused when it is the last and two-factor is required
    of the person (the middleware would only notice at their next sign-in)."""
    others = (
        Authenticator.objects.select_for_update()
        .filter(user_id=user.pk, type__in=SIGN_IN_TYPES)
        .exclude(pk=passkey.pk)
    )
    last = not others.exists()
    if last and hooks.two_factor_required(user):
        raise LastRequiredFactor
    passkey.delete()
    if last:
        Authenticator.objects.filter(
            user_id=user.pk, type=Authenticator.Type.RECOVERY_CODES
        ).delete()
