from django import forms
from django.utils.translation import gettext_lazy as _

from privacy.models import AccountClosure

ERROR_PASSWORD = _("This password is not right. Type the one you sign in with.")


class CloseAccountForm(forms.Form):
    """The choice about certificates and the password, typed again to confirm."""

    certificates = forms.ChoiceField(
        label=_("Your certificates"),
        choices=[
            (
                AccountClosure.Certificates.KEEP,
                _(
                    "Keep them verifiable: anyone with a code still sees that the certificate "
                    "is valid and the name printed on it, nothing else."
                ),
            ),
            (
                AccountClosure.Certificates.REVOKE,
                _(
                    "Revoke them: the verification page says they are no longer valid, "
                    "without any name."
                ),
            ),
        ],
        initial=AccountClosure.Certificates.KEEP,
        widget=forms.RadioSelect,
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(ERROR_PASSWORD, code="password")
        return password
