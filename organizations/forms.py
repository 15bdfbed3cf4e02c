from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.names import name_order
from accounts.validators import validate_no_control_characters
from courses.models import Course
from organizations.csv_import import ERROR_TOO_BIG, MAX_BYTES, parse_staff_csv
from organizations.models import Membership, Organization
from organizations.selectors import has_units, units_in
from organizations.services import ERROR_NOBODY


class MemberSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or e-mail"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


def _language_choices():
    return [(code, name) for code, name in User._meta.get_field("preferred_language").choices]


class MemberAddForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, validators=[validate_no_control_characters]
    )
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.STAFF,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=_language_choices,
        help_text=_("For a new account; someone who already has one gets their own language."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = (get_language() or settings.LANGUAGE_CODE)[:2]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "A header row, then one person per line: name (nom), e-mail (courriel), and "
            "optionally role (rôle: staff or supervisor) and language (langue: fr or en). "
            "Commas or semicolons; UTF-8."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=_("Only check the file, import nothing"), required=False, initial=False
    )

    def __init__(self, *args, with_units: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_units:
            self.fields["file"].help_text = _(
                "A header row, then one person per line: name (nom), e-mail (courriel), and "
                "optionally role (rôle: staff or supervisor), language (langue: fr or en) "
                "and unit (unité: the name of this organization or of one of its units, "
                "where the person joins; left out, they join this one). Commas or "
                "semicolons; UTF-8."
            )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(ERROR_TOO_BIG, code="too_big")
        return upload

    def import_arguments(self) -> dict:
        """The rows of the file and the dry-run choice, as arguments of `staff_import`.
        Raises CsvImportError when the file cannot be read as a list of staff."""
        return {
            "rows": parse_staff_csv(self.cleaned_data["file"].read()),
            "dry_run": self.cleaned_data["dry_run"],
        }


def _is_id(value) -> bool:
    """An id as a database stores it: ASCII digits ("²".isdigit() is true too), 64 bits."""
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= 18


class _PeopleField(forms.ModelMultipleChoiceField):
    """A ticked value that cannot be an id is an invalid choice, never sent to the database
    (SQLite raises OverflowError past 64 bits: a 500 instead of the form again)."""

    def _check_values(self, value):
        for pk in value:
            if not _is_id(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class AssignForm(forms.Form):
    """Assign a course to the people ticked (from the staff page), to everyone, or, in a
    unit with units below it, to everyone in it and in them (the default there)."""

    SELECTED, EVERYONE, UNITS = "selected", "everyone", "units"

    course = forms.ModelChoiceField(label=_("Course"), queryset=Course.objects.none())
    due_on = forms.DateField(
        label=_("Due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Optional. After this date, the people who have not finished are overdue."),
    )
    scope = forms.ChoiceField(label=_("Assign to"), widget=forms.RadioSelect)
    learners = _PeopleField(
        label=_("People"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organization: Organization, selected_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        members = User.objects.filter(memberships__organization=organization)
        self.fields["course"].queryset = Course.objects.filter(is_published=True)
        self.fields["learners"].queryset = members
        # Only the people chosen on the staff page are listed, however large the staff.
        ids = {int(value) for value in selected_ids if _is_id(value)}
        chosen = members.filter(pk__in=ids).order_by(name_order(), "pk") if ids else []
        self.fields["learners"].widget.choices = [
            (user.pk, f"{user.full_name} <{user.email}>") for user in chosen
        ]
        if has_units(organization):
            everyone = [
                (self.UNITS, _("Everyone in this unit and the units below it")),
                (self.EVERYONE, _("Only the members of this unit itself")),
            ]
        else:
            everyone = [(self.EVERYONE, _("Everyone in the organization"))]
        if chosen:
            self.fields["scope"].choices = [
                (self.SELECTED, _("The people ticked below")),
                *everyone,
            ]
            self.fields["scope"].initial = self.SELECTED
            self.fields["learners"].initial = [user.pk for user in chosen]
        else:
            # Nobody was ticked on the staff page: "the people ticked below" would be an
            # empty list, so everyone is the only choice (the page says how to pick some).
            self.fields["scope"].choices = everyone
            self.fields["scope"].initial = everyone[0][0]
            del self.fields["learners"]
        published = list(self.fields["course"].queryset[:2])
        if len(published) == 1:
            self.fields["course"].initial = published[0].pk
        self.organization = organization
        self.members = members

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == self.SELECTED and not cleaned.get("learners"):
            self.add_error("learners", ERROR_NOBODY)
        return cleaned

    def over_units(self) -> bool:
        """Whether to assign in every unit below too (`assignments_create_in_units`)."""
        return self.cleaned_data["scope"] == self.UNITS

    def chosen_learners(self):
        if self.cleaned_data["scope"] == self.EVERYONE:
            return self.members
        return self.members.filter(pk__in=[user.pk for user in self.cleaned_data["learners"]])

    def assignment(self) -> dict:
        """The keyword arguments of `assignments_create` (or, `over_units`, of
        `assignments_create_in_units`) that the form decides."""
        arguments = {"course": self.cleaned_data["course"], "due_on": self.cleaned_data["due_on"]}
        if not self.over_units():
            arguments["learners"] = self.chosen_learners()
        return arguments


class SignInLinkForm(forms.Form):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class UnitFilterForm(forms.Form):
    """The unit filter of a report that rolls up over the units below the organization
    (the gain report, the survey's aggregates), read from the query string: a select of
    the organization and its units, as the dashboard has, read in one query that also
    tells whether there are any (`has_units`); without units, no field. A unit of another
    tree is not a choice: a form error, never its figures."""

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        units = list(units_in(organization).only("pk", "name", "path"))
        self.has_units = len(units) > 1
        self._units = {str(unit.pk): unit for unit in units}
        if self.has_units:
            self.fields["unit"] = forms.ChoiceField(
                label=_("Unit"),
                choices=[("", pgettext_lazy("units", "All"))]
                + [(pk, unit.name) for pk, unit in self._units.items()],
                required=False,
            )

    def group(self) -> Organization | None:
        """The organization whose members (with those of its units) the report counts:
        the unit chosen, else the organization itself; None when the choice is not one
        of its units."""
        if not self.is_valid():
            return None
        return self._units.get(self.cleaned_data.get("unit") or "", self.organization)
