"""The history of edits of course content: every save or deletion of a `Fingerprinted` row
(course, module, lesson, quiz, scenario, question, choice), wherever it comes from — the
admin, the curriculum loader, a service — writes a `ContentEdit` with the fields that
changed and their previous text, in the transaction of the save.

Why our own record rather than django-simple-history: simple-history copies a model's fields
when the model class is prepared, before django-modeltranslation adds `title_fr`/`title_en`,
so its history tables would miss the very fields we need unless registered late by hand; it
would add seven history tables, and its admin class would have to be mixed with
TabbedTranslationAdmin in every content admin. django-pghistory needs PostgreSQL triggers
(development and the tests also run on SQLite). Django's `LogEntry` records admin edits only
and names the fields changed, without their text. So a signal compares the row with the
database before saving it (one query per save of content: rare, and no learner page saves
content) and stores `{field: [previous, new]}` for the fields the file writes.

Who edited: the person signed in to the request (`EditorMiddleware`), or whoever a command
names with `editing_as(user)`; nobody (empty) for the curriculum loader run from the shell.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.contenttypes.models import ContentType

from courses.entries import Fingerprinted, normal
from courses.models import ContentEdit

_editor: ContextVar = ContextVar("content_editor", default=None)


@contextmanager
def editing_as(user):
    """Record the edits made inside the block as `user`'s. The user is looked at only when
    an edit is recorded: a request's lazy user costs no query on pages that edit nothing."""
    token = _editor.set(user)
    try:
        yield
    finally:
        _editor.reset(token)


class EditorMiddleware:
    """Edits saved while answering a request are the signed-in person's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with editing_as(getattr(request, "user", None)):
            return self.get_response(request)


def _editor_now():
    user = _editor.get()
    return user if user is not None and user.is_authenticated else None


def _record(instance, action, changes):
    ContentEdit.objects.create(
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=instance.pk,
        object_repr=str(instance)[:200],
        action=action,
        edited_by=_editor_now(),
        changes=changes,
    )


def before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not isinstance(instance, Fingerprinted) or instance.pk is None:
        return
    fields = [
        name for name in sender.curriculum_fields if update_fields is None or name in update_fields
    ]
    if not fields:
        return
    previous = sender._base_manager.filter(pk=instance.pk).values(*fields).first()
    if previous is None:
        instance._content_added = True
        return
    changes = {
        name: [normal(previous[name]), normal(getattr(instance, name))]
        for name in fields
        if normal(previous[name]) != normal(getattr(instance, name))
    }
    if changes:
        _record(instance, "changed", changes)


def after_save(sender, instance, created, raw=False, **kwargs):
    if raw or not isinstance(instance, Fingerprinted):
        return
    if created or getattr(instance, "_content_added", False):
        instance._content_added = False
        _record(instance, "added", {})


def before_delete(sender, instance, **kwargs):
    if not isinstance(instance, Fingerprinted):
        return
    changes = {name: [normal(getattr(instance, name)), ""] for name in sender.curriculum_fields}
    _record(instance, "deleted", changes)
