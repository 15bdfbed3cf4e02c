from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from courses.models import Course
from organizations.models import Organization
from organizations.selectors import units_in
from supervision import selectors


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, read from the query string. An invalid value is reported
    and ignored; the page still shows.

    An organization with units below it (a board's schools) gets a unit filter, whose
    choices are the organization and its units, read in one query that also tells
    whether there are any (`has_units`); a unit of another tree is not a choice."""

    course = forms.ModelChoiceField(
        label=_("Course"), queryset=Course.objects.none(), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + selectors.Status.choices, required=False
    )
    q = forms.CharField(
        label=_("Name or e-mail"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    sort = forms.ChoiceField(
        choices=selectors.SORT_CHOICES, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = selectors.dashboard_courses(organization=organization)
        units = list(units_in(organization).only("pk", "name", "path"))
        self.has_units = len(units) > 1
        self._units = {str(unit.pk): unit for unit in units}
        if self.has_units:
            # First, where a supervisor of a board looks for the school.
            self.fields = {
                "unit": forms.ChoiceField(
                    label=_("Unit"),
                    choices=[("", pgettext_lazy("units", "All"))]
                    + [(pk, unit.name) for pk, unit in self._units.items()],
                    required=False,
                ),
                **self.fields,
            }

    def filters(self) -> dict:
        """The valid filters, as keyword arguments of the dashboard selectors."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "unit": self._units.get(cleaned.get("unit") or ""),
            "course": cleaned.get("course"),
            "status": cleaned.get("status") or "",
            "search": (cleaned.get("q") or "").strip(),
            "sort": cleaned.get("sort") or selectors.DEFAULT_SORT,
        }


ERROR_DUE_IN_PAST = _("Choose today or a later date, or leave the date empty for none.")


class DueDateForm(forms.Form):
    """A new due date for one assignment; empty clears it. The person page draws one
    input per course itself (ids `due-<assignment id>`), with this field's errors."""

    due_on = forms.DateField(
        label=_("New due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Leave it empty for no due date. The person receives an e-mail."),
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on is not None and due_on < self.today:
            raise forms.ValidationError(ERROR_DUE_IN_PAST, code="past")
        return due_on
