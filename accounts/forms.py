from django import forms

from accounts.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ("full_name", "preferred_language", "workplace")

    def __init__(self, *args, workplace_locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if workplace_locked:
            del self.fields["workplace"]
