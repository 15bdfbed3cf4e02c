from django import forms
from django.utils.translation import gettext_lazy as _

from certificates import codes

ERROR_MALFORMED_CODE = _(
    "A verification code has 16 letters and digits, like 7KQ4-M2XD-9WPA-TR3H. "
    "Check it and try again."
)


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=codes.MAX_INPUT_LENGTH,
        help_text=_(
            "Printed under the QR code of the certificate. Capitals and dashes are optional."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        code = codes.normalise(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(ERROR_MALFORMED_CODE, code="malformed")
        return code


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept on record for administrators; the public page only says it is revoked."),
    )


class NameCorrectionForm(forms.Form):
    new_name = forms.CharField(
        label=_("Corrected name"),
        max_length=150,
        help_text=_("The certificate keeps its code; the change is recorded with your name."),
    )
