"""The admin's course file upload: the file's text, decoded and within its size limit."""

import hashlib

from django import forms
from django.utils.translation import gettext_lazy as _

# The real course's file is 0.4 MiB; the text waits in the session between check and apply.
COURSE_FILE_MAX_BYTES = 2 * 1024 * 1024

ERROR_TOO_BIG = _("This file is larger than %(limit)s MiB: a course file is much smaller.")
ERROR_NOT_TEXT = _(
    "This file is not UTF-8 text. Save it as UTF-8 (a course file is written as YAML text)."
)
ERROR_STALE = _(
    "The file checked is no longer the one waiting to be applied (another file was checked "
    "since, or the session ended). Upload it again."
)


def text_digest(text: str) -> str:
    """The SHA-256 of a file's text: what the apply step checks against the text checked."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class CourseFileUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Course file"),
        help_text=_(
            "A YAML file as load_curriculum reads it (an export of this site or of another). "
            "Nothing is written before you apply it."
        ),
    )
    force = forms.BooleanField(
        label=_("Replace the edits made in the admin with the file's text"),
        required=False,
        help_text=_("Otherwise, entries edited in the admin since the last load keep their edits."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > COURSE_FILE_MAX_BYTES:
            raise forms.ValidationError(
                ERROR_TOO_BIG, params={"limit": COURSE_FILE_MAX_BYTES // (1024 * 1024)}
            )
        try:
            text = upload.read().decode("utf-8-sig")  # a byte-order mark is no problem
        except UnicodeDecodeError as error:
            raise forms.ValidationError(ERROR_NOT_TEXT) from error
        if "\x00" in text:
            raise forms.ValidationError(ERROR_NOT_TEXT)
        return upload, text


class CourseFileApplyForm(forms.Form):
    digest = forms.CharField(widget=forms.HiddenInput, max_length=64, min_length=64)
