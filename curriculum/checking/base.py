"""The checks every part of the file is made of: one id pattern, one language list, and limits
read from the models' fields (so the file cannot hold what the database refuses)."""

import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import translation
from django.utils.translation import gettext_noop
from modeltranslation import settings as translation_settings

from courses.entries import CurriculumEntry, normal
from curriculum.report import CurriculumError, Problem

# The languages' names as Django's settings give them (lazy): a message names them in the
# language it is shown in.
LANGUAGE_NAMES = dict(settings.LANGUAGES)
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def max_length(model, name: str) -> int:
    """The `max_length` of `model.name`, the limit of what the file may give it."""
    return model._meta.get_field(name).max_length


def value_range(model, name: str) -> tuple[int, int]:
    """The lowest and highest values `model.name` accepts (its validators and the column's)."""
    validators = model._meta.get_field(name).validators
    low = max(v.limit_value for v in validators if isinstance(v, MinValueValidator))
    high = min(v.limit_value for v in validators if isinstance(v, MaxValueValidator))
    return low, high


def content_languages() -> dict[str, str]:
    """The languages every text is given in (modeltranslation's), named in English like the
    rest of the loader's messages: `{"fr": "French", "en": "English"}`."""
    with translation.override("en"):
        names = {code: str(name) for code, name in settings.LANGUAGES}
    return {code: names[code] for code in translation_settings.AVAILABLE_LANGUAGES}


def named(entry: str, value) -> str:
    """`modules[2]` → `modules[2] (m3-control)` when the entry has an id, to find it by name."""
    if isinstance(value, dict) and isinstance(value.get("id"), str | int):
        return f"{entry} ({value['id']})"
    return entry


class Checks:
    """Checks that raise CurriculumError naming the file, the line, the entry and the problem."""

    def __init__(self, path: str):
        self.path = path
        self.languages = content_languages()
        self.id_max_length = max_length(CurriculumEntry, "key")

    def fail(self, entry, problem, mapping=None, key=None):
        # The reader's YAML mappings remember their lines (`curriculum.reading`).
        line = None
        if mapping is not None:
            line = getattr(mapping, "key_lines", {}).get(key, getattr(mapping, "line", None))
        raise CurriculumError(self.path, entry, problem, line=line or None)

    def mapping(self, value, entry, required, optional=(), *, parent=None, key=None):
        if not isinstance(value, dict):
            self.fail(
                entry, Problem(gettext_noop("must be a mapping of `key: value` lines")), parent, key
            )
        # Unknown keys first: a misspelt key is then named as such, not as a missing one.
        for name in value:
            if name not in required and name not in optional:
                expected = ", ".join((*required, *optional))
                self.fail(
                    entry,
                    Problem(
                        gettext_noop("unknown key `%(name)s` (expected: %(expected)s)"),
                        name=name,
                        expected=expected,
                    ),
                    value,
                    name,
                )
        for name in required:
            if name not in value:
                self.fail(
                    entry,
                    Problem(gettext_noop("the required key `%(name)s` is missing"), name=name),
                    value,
                )
        return value

    def items(self, mapping, key, entry, *, count=None):
        value = mapping[key]
        if not isinstance(value, list) or not value:
            self.fail(
                entry,
                Problem(gettext_noop("%(key)s: must be a non-empty list"), key=key),
                mapping,
                key,
            )
        if count and not count[0] <= len(value) <= count[1]:
            self.fail(
                entry,
                Problem(
                    gettext_noop("%(key)s: %(given)s given, %(low)s to %(high)s needed"),
                    key=key,
                    given=len(value),
                    low=count[0],
                    high=count[1],
                ),
                mapping,
                key,
            )
        return value

    def identifier(self, mapping, key, entry, *, limit=None) -> str:
        value = mapping[key]
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.fail(
                entry,
                Problem(
                    gettext_noop(
                        "%(key)s: %(value)s is not a valid id (lower-case letters, digits and "
                        "hyphens)"
                    ),
                    key=key,
                    value=repr(value),
                ),
                mapping,
                key,
            )
        limit = limit or self.id_max_length
        if len(value) > limit:
            self.fail(
                entry,
                Problem(
                    gettext_noop("%(key)s: longer than %(limit)s characters"), key=key, limit=limit
                ),
                mapping,
                key,
            )
        return value

    def integer(self, mapping, key, entry, low, high) -> int:
        value = mapping[key]
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(
                entry,
                Problem(
                    gettext_noop("%(key)s: must be a whole number from %(low)s to %(high)s"),
                    key=key,
                    low=low,
                    high=high,
                ),
                mapping,
                key,
            )
        return value

    def boolean(self, mapping, key, entry, default=None) -> bool:
        value = mapping.get(key, default)
        if not isinstance(value, bool):
            self.fail(
                entry,
                Problem(gettext_noop("%(key)s: must be true or false"), key=key),
                mapping,
                key,
            )
        return value

    def text(self, mapping, key, entry, *, model=None) -> dict[str, str]:
        """`key: {fr: ..., en: ...}` → `{"key_fr": ..., "key_en": ...}`, all non-empty and no
        longer than `model`'s field `key` allows (when it has a limit)."""
        value = mapping[key]
        if not isinstance(value, dict):
            self.fail(
                entry,
                Problem(
                    gettext_noop("%(key)s: must give the text in each language (fr:, en:)"),
                    key=key,
                ),
                mapping,
                key,
            )
        for language in value:
            if language not in self.languages:
                self.fail(
                    entry,
                    Problem(
                        gettext_noop("%(key)s: unknown language `%(language)s`"),
                        key=key,
                        language=language,
                    ),
                    value,
                    language,
                )
        limit = max_length(model, key) if model is not None else None
        values = {}
        for language in self.languages:
            if language not in value:
                self.fail(
                    entry,
                    Problem(
                        gettext_noop("%(key)s: the %(name)s text (%(language)s) is missing"),
                        key=key,
                        name=LANGUAGE_NAMES[language],
                        language=language,
                    ),
                    value,
                )
            text = value[language]
            if not isinstance(text, str):
                self.fail(
                    entry,
                    Problem(
                        gettext_noop("%(key)s.%(language)s: must be text"),
                        key=key,
                        language=language,
                    ),
                    value,
                    language,
                )
            text = normal(text)
            if not text:
                self.fail(
                    entry,
                    Problem(
                        gettext_noop("%(key)s.%(language)s: the %(name)s text is empty"),
                        key=key,
                        language=language,
                        name=LANGUAGE_NAMES[language],
                    ),
                    value,
                    language,
                )
            if limit and len(text) > limit:
                self.fail(
                    entry,
                    Problem(
                        gettext_noop("%(key)s.%(language)s: longer than %(limit)s characters"),
                        key=key,
                        language=language,
                        limit=limit,
                    ),
                    value,
                )
            values[f"{key}_{language}"] = text
        return values
