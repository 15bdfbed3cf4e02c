"""The admin's history of course content: each object's edits with their previous text
(`ContentHistoryMixin`, on the "History" page of every content admin) and a course's
published versions with what changed between each two (`CourseVersionsMixin`)."""

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from courses import selectors, versions

# A kind of entry, in the history: French genders differ ("ajoutée" for a leçon).
KIND_NAMES = {
    "course": pgettext_lazy("history kind", "Course"),
    "module": pgettext_lazy("history kind", "Module"),
    "lesson": pgettext_lazy("history kind", "Lesson"),
    "quiz": pgettext_lazy("history kind", "Quiz"),
    "scenario": pgettext_lazy("history kind", "Scenario"),
    "question": pgettext_lazy("history kind", "Question"),
    "choice": pgettext_lazy("history kind", "Choice"),
    "check item": pgettext_lazy("history kind", "Knowledge check item"),
    "check choice": pgettext_lazy("history kind", "Knowledge check choice"),
}


class ContentHistoryMixin:
    """Adds the history of edits (who, when, each field's previous → new text) above
    Django's own list on the object's "History" page."""

    object_history_template = "admin/courses/content_history.html"
    # Reverse relations whose rows have no admin page of their own (a question's choices,
    # edited inline): their edits are shown on this page too.
    history_includes: tuple[str, ...] = ()

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        edits = []
        if obj is not None and self.has_view_or_change_permission(request, obj):
            rows = [obj]
            for relation in self.history_includes:
                rows += list(getattr(obj, relation).all())
            edits = [
                (edit, self._fields(edit)) for edit in selectors.content_edits_of(instances=rows)
            ]
        return super().history_view(
            request, object_id, extra_context={"content_edits": edits, **(extra_context or {})}
        )

    def _fields(self, edit):
        model = edit.content_type.model_class()
        return [
            (self._field_label(model, name), old, new) for name, (old, new) in edit.changes.items()
        ]

    @staticmethod
    def _field_label(model, name: str) -> str:
        base, _sep, language = name.rpartition("_")
        if language not in versions.LANGUAGES:
            base, language = name, ""
        try:
            label = str(model._meta.get_field(base).verbose_name)
        except FieldDoesNotExist:  # a field removed since the edit keeps its name
            return name
        return f"{label} [{language}]" if language else label


class CourseVersionsMixin:
    """A "Versions" page for each course: every published version, and between each two
    consecutive ones the entries added, changed (field by field, old → new) and removed."""

    def get_readonly_fields(self, request, obj=None):
        # The version number follows the publications (`course_version_record`), never a
        # hand-typed value that certificates would then copy.
        fields = (*super().get_readonly_fields(request, obj), "content_version")
        return (*fields, "versions_link") if obj is not None else fields

    @admin.display(description=_("versions"))
    def versions_link(self, course):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:courses_course_versions", args=[course.pk]),
            _("Versions published and what changed between them"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/versions/",
                self.admin_site.admin_view(self.versions_view),
                name="courses_course_versions",
            ),
            *super().get_urls(),
        ]

    def versions_view(self, request, pk):
        course = get_object_or_404(self.model, pk=pk)
        if not self.has_view_or_change_permission(request, course):
            raise PermissionDenied
        language = get_language()[:2]
        published = selectors.course_versions(course=course)
        steps = []
        previous = None
        for version in published:
            changes = versions.diff(previous.content, version.content) if previous else None
            steps.append((version, changes and self._named(changes, language)))
            previous = version
        context = {
            **self.admin_site.each_context(request),
            "title": _("Versions of %(course)s") % {"course": course},
            "opts": self.model._meta,
            "original": course,
            "steps": list(reversed(steps)),
        }
        return TemplateResponse(request, "admin/courses/course_versions.html", context)

    @staticmethod
    def _named(changes, language):
        def rows(entries):
            return [
                {
                    "kind": KIND_NAMES.get(entry.kind, entry.kind),
                    "name": entry.name(language),
                    "parent": entry.parent_name(language),
                    "fields": entry.fields,
                }
                for entry in entries
            ]

        return {
            "added": rows(changes.added),
            "changed": rows(changes.changed),
            "removed": rows(changes.removed),
        }
