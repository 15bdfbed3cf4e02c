from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import COMMENT_MAX_LENGTH, RATINGS
from surveys.selectors import QUESTIONS

RATING_CHOICES = [("", _("No answer"))] + [(str(rating), str(rating)) for rating in RATINGS]


class SurveyForm(forms.Form):
    """Every answer optional: a rating left at "No answer" is recorded as none."""

    relevance = forms.TypedChoiceField(
        label=QUESTIONS[0][1],
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("1: not at all, 5: completely."),
    )
    confidence = forms.TypedChoiceField(
        label=QUESTIONS[1][1],
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("1: not at all, 5: completely."),
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell us? (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Read by the course's authors, without your name. Your organization never sees it."
        ),
    )

    def is_empty(self) -> bool:
        data = self.cleaned_data
        return data["relevance"] is None and data["confidence"] is None and not data["comment"]


class DateRangeForm(forms.Form):
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The start date must be before the end date."))
        return data
