from django import forms
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm

from accounts.emails import normalize_email
from accounts.models import User
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


class PasswordResetForm(DjangoPasswordResetForm):
    def get_users(self, email):
        """The account whose address is the one typed, normalised as login matches it
        (Django's own lookup uses `__iexact`, which PostgreSQL folds differently)."""
        users = User._default_manager.filter(email=normalize_email(email), is_active=True)
        return (user for user in users if user.has_usable_password())
