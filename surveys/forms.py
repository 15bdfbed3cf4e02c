from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.models import COMMENT_MAX_LENGTH, RATINGS
from surveys.selectors import QUESTIONS

RATING_CHOICES = [("", _("No answer"))] + [(str(rating), str(rating)) for rating in RATINGS]


def _rating(label) -> forms.TypedChoiceField:
    """A 1–5 rating that may be left unanswered."""
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("1: not at all, 5: completely."),
    )


class SurveyForm(forms.Form):
    """Every answer optional: a rating left at "No answer" is recorded as none."""

    relevance = _rating(QUESTIONS[0][1])
    confidence = _rating(QUESTIONS[1][1])
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
