"""What every model written from the curriculum file shares: its fingerprint, and for the
entries the file names by id (modules, lessons, scenarios, questions, choices) their `key`,
their `position` and the rule that a key is unique within its parent.

The fingerprint is a hash of the fields the file gives (`curriculum_fields`), as the loader last
wrote them. When the row no longer matches it, an administrator edited it in the admin, and the
loader keeps that edit unless forced. The loader (the `curriculum` app) computes it here, so
that the hash has one definition.
"""

import hashlib
import json
from collections.abc import Iterable
from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


def normal(value):
    """A value as the loader compares it. The admin's textareas send CRLF and forms strip:
    neither is an edit."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value


def digest(pairs: Iterable[tuple[str, object]]) -> str:
    """The fingerprint of `(field, value)` pairs: 64 hex characters."""
    payload = json.dumps([[name, normal(value)] for name, value in pairs], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def fingerprint(instance, fields: Iterable[str]) -> str:
    """A hash of the instance's `fields`, insensitive to line endings and surrounding blanks."""
    return digest((name, getattr(instance, name)) for name in fields)


class Fingerprinted(models.Model):
    """A row the curriculum file writes. `curriculum_fields` names the fields it gives."""

    curriculum_fields: ClassVar[tuple[str, ...]] = ()

    curriculum_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        abstract = True

    # Fields that refer to another entry, hashed as that entry's key (what the file gives):
    # the fingerprint then is the same in every database that holds the same content.
    fingerprint_keys: ClassVar[dict[str, str]] = {}

    def content_fingerprint(self) -> str:
        """The fingerprint of what the row holds now (compare with `curriculum_fingerprint`)."""
        return digest(
            (name, self.fingerprint_value(name, getattr(self, name)))
            for name in self.curriculum_fields
        )

    def fingerprint_value(self, name: str, value):
        """`value` of field `name` as hashed: a referred entry's key in place of its row id."""
        if name in self.fingerprint_keys and value is not None:
            return getattr(getattr(self, self.fingerprint_keys[name]), "key", value)
        return value


class EntryKeyField(models.SlugField):
    """The id of an entry in the curriculum file. Its help text names the kind of entry: each
    model gives it as `key_help_text` (French genders differ)."""

    def contribute_to_class(self, cls, name, **kwargs):
        self.help_text = getattr(cls, "key_help_text", self.help_text)
        super().contribute_to_class(cls, name, **kwargs)

    def deconstruct(self):
        # Migrations see a plain SlugField: this class only chooses the help text.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.SlugField", args, kwargs


class CurriculumEntry(Fingerprinted):
    """An entry of the curriculum file found again by its id (`key`) within its parent.

    Entries added in the admin have no key; keys given are unique within the parent, which
    each model says in its Meta with `unique_key_within(parent)`.
    """

    key_help_text: ClassVar = ""

    key = EntryKeyField(_("stable id"), max_length=80, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        abstract = True


def unique_key_within(parent: str) -> models.UniqueConstraint:
    """The constraint that an entry's key, when it has one, is unique within `parent`."""
    return models.UniqueConstraint(
        fields=[parent, "key"],
        condition=~models.Q(key=""),
        name=f"%(app_label)s_%(class)s_unique_key_per_{parent}",
    )
