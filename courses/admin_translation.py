"""How the admin shows what a course misses in French or English: the refusal to publish,
with a link to the page of each object where the missing field is filled."""

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from courses import services

SHOWN = 30  # a new course can miss hundreds of fields: the first ones say where to start


def refusal(*, course, error: services.TranslationsMissing) -> SafeString:
    """The refusal as HTML (a form error or an admin message): the headline and the list."""
    html = render_to_string(
        "courses/admin/translations_missing.html",
        {
            "course": course,
            "headline": error.messages[0],
            "gaps": error.gaps,
            "shown": error.gaps[:SHOWN],
            "more": max(len(error.gaps) - SHOWN, 0),
        },
    )
    # The template escapes every name and text of the course.
    return mark_safe(html)
