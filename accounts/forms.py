from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.emails import normalize_email
from accounts.models import User
from accounts.services import Email, email_queue
from accounts.tasks import PASSWORD_TOKEN_PLACEHOLDER
from accounts.validators import validate_no_control_characters


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("full_name", "preferred_language", "workplace")

    def __init__(self, *args, workplace_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Also on the model field; here so that the form says it before anything else.
        self.fields["full_name"].validators.append(validate_no_control_characters)
        if workplace_locked:
            del self.fields["workplace"]


# Django's message says both fields "may be case-sensitive": the address is not (it is
# matched case-folded, accounts.emails), and the message is the same whether or not an
# account has that address.
ERROR_INVALID_LOGIN = _(
    "The e-mail address or the password is not right. Capital letters count in the "
    "password, not in the e-mail address."
)


ERROR_PASSWORD_MISSING = _("Enter your password.")
PASSWORD_HELP = _(
    "Does your organization sign you in with its own account? Leave the password empty: "
    "you will continue on its sign-in page."
)


class LoginForm(AuthenticationForm):
    """Django's login, whose password may be left empty in the browser: an address of an
    organization with single sign-on then goes to its provider (accounts.views.LoginView);
    any other address is told to enter its password, whether or not it has an account."""

    error_messages = {**AuthenticationForm.error_messages, "invalid_login": ERROR_INVALID_LOGIN}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].required = False
        self.fields["password"].help_text = PASSWORD_HELP

    def clean(self):
        if self.cleaned_data.get("username") and not self.cleaned_data.get("password"):
            raise forms.ValidationError({"password": ERROR_PASSWORD_MISSING})
        return super().clean()


class PasswordResetForm(DjangoPasswordResetForm):
    def get_users(self, email):
        """The account whose address is the one typed, normalised as login matches it
        (Django's own lookup uses `__iexact`, which PostgreSQL folds differently)."""
        users = User._default_manager.filter(email=normalize_email(email), is_active=True)
        return (user for user in users if user.has_usable_password())

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """Queue the link instead of sending it from the request (a task sends it, and
        retries while the mail server is down). Its token is made when it leaves, so it
        is never stored and lasts its full validity from then (accounts.tasks)."""
        context = {**context, "token": PASSWORD_TOKEN_PLACEHOLDER}
        subject = loader.render_to_string(subject_template_name, context)
        body = loader.render_to_string(email_template_name, context)
        email_queue(
            emails=[
                Email(
                    recipient=context["email"],
                    subject="".join(subject.splitlines()),
                    body=body,
                    user=context["user"],
                    language=translation.get_language() or "",
                    password_link=True,
                )
            ]
        )
