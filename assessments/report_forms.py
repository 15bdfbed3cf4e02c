from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from quizzes.forms import DateRangeForm


class GainFilterForm(DateRangeForm):
    """The admin's gain report: every organization together or one, and the dates of the
    checks after (either end may be left out)."""

    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        empty_label=_("Every organization together"),
    )

    field_order = ["organization", "since", "until"]
