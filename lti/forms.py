from django import forms
from django.utils.translation import gettext_lazy as _

ERROR_PICK = _("Choose a course or one of its modules.")


class DeepLinkForm(forms.Form):
    """A teacher's pick among the published courses: a whole course, or one module."""

    target = forms.ChoiceField(
        label=_("What your LMS should link to"),
        widget=forms.RadioSelect,
        error_messages={"required": ERROR_PICK, "invalid_choice": ERROR_PICK},
    )

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.courses = list(courses)
        self._targets = {}
        choices = []
        for course in self.courses:
            key = f"course:{course.pk}"
            self._targets[key] = (course, None)
            choices.append((key, course.title))
            for module in course.modules.all():
                key = f"module:{module.pk}"
                self._targets[key] = (course, module)
                choices.append(
                    (
                        key,
                        _("%(course)s — module: %(module)s")
                        % {"course": course.title, "module": module.title},
                    )
                )
        self.fields["target"].choices = choices

    def picked(self):
        return self._targets[self.cleaned_data["target"]]
