"""Course files in the admin: export a course as the file `load_curriculum` reads, and import
one (upload → the loader's whole check → what applying it would do → apply).

courses sits below curriculum, so its admin knows nothing of this: the export is added to
the course list and page through `courses.hooks` (`curriculum/apps.py` registers it), and the
import is the page of the `CourseFile` proxy in the admin's index.

The file uploaded is not kept on disk between the check and the apply (several servers may
answer): its text waits in the session, and the apply step posts back the SHA-256 of the
text it showed, so that what is applied is the file that was checked.
"""

import io
import zipfile

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments.models import Item, ItemChoice
from courses.models import Course, FormerSlug, Lesson, Module
from curriculum.exporting import course_file_name, course_file_text, entry_key
from curriculum.forms import (
    ERROR_STALE,
    CourseFileApplyForm,
    CourseFileUploadForm,
    text_digest,
)
from curriculum.models import CourseFile, CourseSources
from curriculum.reading import curriculum_parse
from curriculum.report import CurriculumError
from curriculum.selectors import courses_for_export
from curriculum.services import course_sources_set, curriculum_import
from curriculum.sources_editing import CourseSourcesForm, sources_text
from quizzes.models import Choice, Question, Quiz, Scenario

PERMISSION = "courses.change_course"  # who may export and import course files
SESSION_KEY = "curriculum_course_file"
YAML_TYPE = "application/yaml; charset=utf-8"
KIND_MODELS = {
    "course": Course,
    "former address": FormerSlug,
    "module": Module,
    "lesson": Lesson,
    "quiz": Quiz,
    "scenario": Scenario,
    "question": Question,
    "choice": Choice,
    "knowledge check item": Item,
    "knowledge check choice": ItemChoice,
}
# Where the model's plural alone would read like another kind's ("choices" of quizzes).
KIND_LABELS = {"knowledge check choice": _("knowledge check choices")}
SHOWN_ACTIONS = ("created", "updated", "kept", "unchanged", "left")


def _check_permission(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _checked_files(course_ids) -> list[tuple[str, str]]:
    """[(file name, text)] of the courses, each checked as the loader checks it: an export
    the loader would refuse raises its CurriculumError instead."""
    files = []
    for course in courses_for_export(course_ids=course_ids):
        name, text = course_file_name(course), course_file_text(course)
        curriculum_parse(text=text, path=name)
        files.append((name, text))
    return files


def _export_response(request, course_ids):
    """The YAML file of one course, a ZIP of several; None (and a message) if refused."""
    try:
        files = _checked_files(course_ids)
    except CurriculumError as error:
        # The line would be the export's own: the entry and the problem say what to fix.
        messages.error(
            request,
            gettext(
                "This course cannot be exported as a file the loader reads: %(entry)s: %(problem)s"
            )
            % {"entry": error.entry, "problem": error.translated_problem()},
        )
        return None
    if not files:
        raise Http404
    if len(files) == 1:
        name, text = files[0]
        response = HttpResponse(text, content_type=YAML_TYPE)
    else:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in files:
                archive.writestr(name, text)
        name = "course-files.zip"
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _error_text(error: CurriculumError) -> str:
    if error.line:
        return gettext(
            "The course file cannot be loaded: line %(line)s, %(entry)s: %(problem)s"
        ) % {
            "line": error.line,
            "entry": error.entry,
            "problem": error.translated_problem(),
        }
    return gettext("The course file cannot be loaded: %(entry)s: %(problem)s") % {
        "entry": error.entry,
        "problem": error.translated_problem(),
    }


@admin.action(description=_("Export as a course file"))
def export_as_course_file(modeladmin, request, queryset):
    """The course list's action (registered in courses.hooks by curriculum/apps.py)."""
    _check_permission(request)
    return _export_response(request, list(queryset.values_list("pk", flat=True)))


def sources_link(course, request):
    """The course page's button to the course's sources (courses.hooks.admin_course_links)."""
    if not request.user.has_perm(PERMISSION):
        return None
    return gettext("Sources cited"), reverse(
        "admin:curriculum_coursefile_sources", args=[course.pk]
    )


def export_link(course, request):
    """The course page's button (courses.hooks.admin_course_links)."""
    if not request.user.has_perm(PERMISSION):
        return None
    return gettext("Export as a course file"), reverse(
        "admin:curriculum_coursefile_export", args=[course.pk]
    )


def _summary_rows(report):
    rows = []
    for kind, counts in report.counts_by_kind().items():
        model = KIND_MODELS.get(kind)
        label = KIND_LABELS.get(kind) or (
            model._meta.verbose_name_plural
            if model
            else gettext("Entries added in the admin without an id")
        )
        rows.append((label, [counts[action] for action in SHOWN_ACTIONS]))
    return rows


def _attention(report):
    """The lines worth reading one by one: edits kept, entries the file no longer has."""
    return [(action, label) for action, label in report.lines if action in ("kept", "left")]


@admin.register(CourseFile)
class CourseFileAdmin(admin.ModelAdmin):
    """No list and no form: the import page, and the export of one course."""

    def has_module_permission(self, request):
        return request.user.has_perm(PERMISSION)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(PERMISSION)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("", view(self.import_view), name="curriculum_coursefile_changelist"),
            path("apply/", view(self.apply_view), name="curriculum_coursefile_apply"),
            path(
                "<int:course_id>/sources/",
                view(self.sources_view),
                name="curriculum_coursefile_sources",
            ),
            path(
                "<int:course_id>/export/",
                view(self.export_view),
                name="curriculum_coursefile_export",
            ),
        ]

    def _render(self, request, context, status=200):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a course file"),
            "columns": [
                _("To create"),
                _("To update"),
                _("Edit in the admin kept"),
                _("Unchanged"),
                _("Not in the file, left in place"),
            ],
            **context,
        }
        return TemplateResponse(
            request, "admin/curriculum/coursefile/import.html", context, status=status
        )

    def import_view(self, request):
        _check_permission(request)
        if request.method != "POST":
            return self._render(request, {"form": CourseFileUploadForm()})
        form = CourseFileUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, {"form": form}, status=400)
        upload, text = form.cleaned_data["file"]
        name, force = upload.name, form.cleaned_data["force"]
        try:
            report = curriculum_import(text=text, name=name, force=force, dry_run=True)
        except CurriculumError as error:
            return self._render(
                request, {"form": form, "error": error, "error_text": _error_text(error)}, 400
            )
        digest = text_digest(text)
        request.session[SESSION_KEY] = {
            "text": text,
            "name": name,
            "force": force,
            "digest": digest,
        }
        return self._render(
            request,
            {
                "report": report,
                "rows": _summary_rows(report),
                "attention": _attention(report),
                "apply_form": CourseFileApplyForm(initial={"digest": digest}),
                "file_name": name,
                "force": force,
            },
        )

    @staticmethod
    def _pending(request, digest):
        pending = request.session.get(SESSION_KEY)
        if not pending or pending["digest"] != digest or text_digest(pending["text"]) != digest:
            return None
        return pending

    def apply_view(self, request):
        _check_permission(request)
        if request.method != "POST":
            return redirect("admin:curriculum_coursefile_changelist")
        form = CourseFileApplyForm(request.POST)
        pending = self._pending(request, form.data.get("digest")) if form.is_valid() else None
        if pending is None:
            context = {"form": CourseFileUploadForm(), "stale": ERROR_STALE}
            return self._render(request, context, status=400)
        try:
            report = curriculum_import(
                text=pending["text"], name=pending["name"], force=pending["force"], dry_run=False
            )
        except CurriculumError as error:
            context = {
                "form": CourseFileUploadForm(),
                "error": error,
                "error_text": _error_text(error),
            }
            return self._render(request, context, status=400)
        del request.session[SESSION_KEY]
        course = Course.objects.filter(slug=report.slug).first()
        return self._render(
            request,
            {
                "report": report,
                "rows": _summary_rows(report),
                "attention": _attention(report),
                "applied": True,
                "file_name": pending["name"],
                "course": course,
                "columns": [
                    _("Created"),
                    _("Updated"),
                    _("Edit in the admin kept"),
                    _("Unchanged"),
                    _("Not in the file, left in place"),
                ],
            },
        )

    def export_view(self, request, course_id):
        _check_permission(request)
        response = _export_response(request, [course_id])
        if response is None:
            return redirect("admin:courses_course_change", course_id)
        return response

    def sources_view(self, request, course_id):
        """The course's sources and what each lesson cites (curriculum.sources_editing)."""
        _check_permission(request)
        course = Course.objects.filter(pk=course_id).first()
        if course is None:
            raise Http404
        stored = CourseSources.objects.filter(course=course).first() or CourseSources()
        citations = stored.citations or {}
        lessons = list(
            Lesson.objects.filter(module__course=course)
            .select_related("module")
            .order_by("module__position", "module__pk", "position", "pk")
        )
        keys = [(entry_key(lesson, "lesson"), lesson) for lesson in lessons]
        fields = [(key, f"{lesson.module.title} — {lesson.title}") for key, lesson in keys]
        others = {gettext("the course"): citations.get("course", [])}
        modules = {lesson.module for lesson in lessons}
        for module in sorted(modules, key=lambda module: (module.position, module.pk)):
            cited = citations.get("modules", {}).get(entry_key(module, "module"))
            if cited:
                others[gettext("the module “%(title)s”") % {"title": module.title}] = cited
        initial = {"sources": sources_text(stored.sources or [])}
        for key, _lesson in keys:
            initial[f"lesson_{key}"] = ", ".join(citations.get("lessons", {}).get(key, []))
        form = CourseSourcesForm(
            request.POST if request.method == "POST" else None,
            initial=initial,
            lessons=fields,
            others=others,
        )
        status = 200
        if request.method == "POST":
            if form.is_valid():
                course_sources_set(
                    course=course,
                    sources=form.cleaned_data["source_list"],
                    lesson_citations=form.cleaned_data["lesson_citations"],
                )
                messages.success(request, gettext("The sources of the course are saved."))
                return redirect("admin:courses_course_change", course.pk)
            status = 400
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Sources cited by “%(title)s”") % {"title": course.title},
            "course": course,
            "form": form,
        }
        return TemplateResponse(
            request, "admin/curriculum/coursefile/sources.html", context, status=status
        )
