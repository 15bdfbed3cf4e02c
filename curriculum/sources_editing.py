"""The sources of a course, written in the admin: what its file's `sources:` list holds and
which of them each lesson cites. The loader requires both (a lesson's facts come with their
source), so a course built in the admin needs them before it can be exported as a file.

One line per source, its fields separated by "|": `id | description | address | checked`,
the address and the date (YYYY-MM-DD) being optional; per lesson, the ids it cites.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from curriculum.checking.base import ID_PATTERN

ERROR_NO_SOURCE = _("Give at least one source.")
ERROR_LINE = _("Line %(line)s: %(problem)s")
ERROR_FIELDS = _("write “id | description”, then optionally “| address | YYYY-MM-DD”.")
ERROR_ID = _("“%(id)s” is not a valid id (lower-case letters, digits and hyphens).")
ERROR_DUPLICATE = _("the id “%(id)s” is already used above.")
ERROR_DESCRIPTION = _("the description is empty.")
ERROR_URL = _("“%(url)s” is not a web address.")
ERROR_DATE = _("“%(date)s” is not a date written YYYY-MM-DD.")
ERROR_CITE_NONE = _("Cite at least one source for this lesson.")
ERROR_CITE_UNKNOWN = _("Unknown source: %(ids)s (the sources above: %(known)s).")
ERROR_STILL_CITED = _(
    "The source “%(id)s” is still cited by %(entry)s (a citation from the course file): keep it."
)


def sources_text(sources: list[dict]) -> str:
    """The stored list as the lines of the form."""
    lines = []
    for source in sources:
        fields = [source["id"], source["description"]]
        if source.get("url") or source.get("checked"):
            fields.append(source.get("url", ""))
        if source.get("checked"):
            fields.append(str(source["checked"])[:10])
        lines.append(" | ".join(fields))
    return "\n".join(lines)


def _parse_line(number: int, line: str, seen: set) -> dict:
    def fail(problem, **params):
        raise ValidationError(ERROR_LINE, params={"line": number, "problem": problem % params})

    fields = [field.strip() for field in line.split("|")]
    if not 2 <= len(fields) <= 4:
        fail(ERROR_FIELDS)
    source_id, description = fields[0], fields[1]
    if not ID_PATTERN.match(source_id) or len(source_id) > 100:
        fail(ERROR_ID, id=source_id)
    if source_id in seen:
        fail(ERROR_DUPLICATE, id=source_id)
    if not description:
        fail(ERROR_DESCRIPTION)
    source = {"id": source_id, "description": description}
    if len(fields) > 2 and fields[2]:
        try:
            URLValidator(schemes=["http", "https"])(fields[2])
        except ValidationError:
            fail(ERROR_URL, url=fields[2])
        source["url"] = fields[2]
    if len(fields) > 3 and fields[3]:
        try:
            source["checked"] = datetime.date.fromisoformat(fields[3]).isoformat()
        except ValueError:
            fail(ERROR_DATE, date=fields[3])
    seen.add(source_id)
    return source


def parse_sources(text: str) -> list[dict]:
    seen, sources = set(), []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            sources.append(_parse_line(number, line, seen))
    if not sources:
        raise ValidationError(ERROR_NO_SOURCE)
    return sources


def _ids(text: str) -> list[str]:
    return [part for part in (piece.strip() for piece in text.replace(";", ",").split(",")) if part]


class CourseSourcesForm(forms.Form):
    """The sources, then one field per lesson (`lesson_<key>`) for the ids it cites.

    `lessons` is [(key, label)] in course order; `others` the citations of the course and
    its modules ({entry label: [ids]}), kept as they are but checked against the list."""

    sources = forms.CharField(
        label=_("Sources"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": ERROR_NO_SOURCE},
        help_text=_(
            "One source per line: id | description | web address | date checked "
            "(YYYY-MM-DD). The address and the date may be left out."
        ),
    )

    def __init__(self, *args, lessons, others=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lessons, self.others = lessons, others or {}
        for key, label in lessons:
            self.fields[f"lesson_{key}"] = forms.CharField(
                label=label,
                required=False,
                help_text=_("The ids of the sources it cites, separated by commas."),
            )

    def clean(self):
        cleaned = super().clean()
        if "sources" not in cleaned:
            return cleaned
        try:
            cleaned["source_list"] = parse_sources(cleaned["sources"])
        except ValidationError as error:
            self.add_error("sources", error)
            return cleaned
        known = [source["id"] for source in cleaned["source_list"]]
        citations = {}
        for key, _label in self.lessons:
            name = f"lesson_{key}"
            cited = _ids(cleaned.get(name, ""))
            unknown = [source for source in cited if source not in known]
            if not cited:
                self.add_error(name, ERROR_CITE_NONE)
            elif unknown:
                self.add_error(
                    name,
                    ValidationError(
                        ERROR_CITE_UNKNOWN,
                        params={"ids": ", ".join(unknown), "known": ", ".join(known)},
                    ),
                )
            citations[key] = cited
        for entry, cited in self.others.items():
            for source in cited:
                if source not in known:
                    self.add_error(
                        "sources",
                        ValidationError(ERROR_STILL_CITED, params={"id": source, "entry": entry}),
                    )
        cleaned["lesson_citations"] = citations
        return cleaned
