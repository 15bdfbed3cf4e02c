from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.workplaces import Workplace
from quizzes import services
from quizzes.models import Question
from quizzes.selectors import AttemptQuestionView

SELECT_ALL_THAT_APPLY = _(
    "Select all that apply. This question counts as right only when you choose exactly "
    "the right answers, no more and no fewer."
)


class AttemptForm(forms.Form):
    """One field per question of the attempt: radio buttons, or checkboxes for
    “select all that apply”. Values are choice ids; labels are the choice texts only."""

    def __init__(self, *args, items: list[AttemptQuestionView], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        error_messages = {
            "required": services.ERROR_MISSING_ANSWER,
            "invalid_choice": services.ERROR_FOREIGN_CHOICE,
            "invalid_list": services.ERROR_FOREIGN_CHOICE,
        }
        for item in items:
            question = item.question
            choices = [(choice.pk, choice.text) for choice in item.choices]
            if question.kind == Question.Kind.MULTIPLE:
                field = forms.TypedMultipleChoiceField(
                    coerce=int,
                    choices=choices,
                    widget=forms.CheckboxSelectMultiple,
                    error_messages=error_messages,
                    help_text=SELECT_ALL_THAT_APPLY,
                )
            else:
                field = forms.TypedChoiceField(
                    coerce=int,
                    choices=choices,
                    widget=forms.RadioSelect,
                    error_messages=error_messages,
                )
            field.label = question.text
            self.fields[self.field_name(question)] = field
            item.field_name = self.field_name(question)

    @staticmethod
    def field_name(question: Question) -> str:
        return f"question_{question.pk}"

    def bound_items(self):
        """The items, each with its bound field as `.field`, for the template."""
        for item in self.items:
            item.field = self[item.field_name]
        return self.items

    def answers(self) -> dict[int, list[int]]:
        """{question id: [choice ids]} for `services.attempt_submit`."""
        answers = {}
        for item in self.items:
            value = self.cleaned_data[item.field_name]
            answers[item.question.pk] = value if isinstance(value, list) else [value]
        return answers


class PreviewSettingsForm(forms.Form):
    """Whose quiz an administrator previews: a learner of this workplace, on this attempt
    (each attempt brings the next situation of the workplace's own)."""

    workplace = forms.ChoiceField(label=_("Workplace"), choices=Workplace.choices)
    attempt = forms.IntegerField(
        label=_("Attempt"),
        min_value=1,
        max_value=99,
        initial=1,
        help_text=_("Each new attempt brings the next situation of the workplace."),
    )

    def settings(self, *, default_workplace: str) -> tuple[str, int]:
        """(workplace, attempt number): the valid ones given, else the defaults."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("workplace") or default_workplace, data.get("attempt") or 1


class DateRangeForm(forms.Form):
    """From and to dates (either may be left out) for the administrators' reports: the
    item analysis and the survey's answers."""

    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The start date must be before the end date."))
        return data
