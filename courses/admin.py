import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Prefetch
from django.forms.models import _get_foreign_key
from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from modeltranslation.admin import TabbedTranslationAdmin, TranslationInlineModelAdmin
from nested_admin import NestedModelAdmin, NestedStackedInline
from nested_admin.formsets import NestedInlineFormSet

from accounts.admin_titles import NamedTitlesMixin
from courses import admin_translation, hooks, selectors, services
from courses.admin_history import ContentHistoryMixin, CourseVersionsMixin
from courses.markdown import render_markdown
from courses.models import Course, Enrollment, FormerSlug, Lesson, LessonProgress, Module
from courses.widgets import MarkdownPreviewWidget


class ModuleChoiceField(forms.ModelChoiceField):
    """Names the course too: "Module 1" of two courses read the same otherwise."""

    def label_from_instance(self, obj):
        return module_label(obj)


class LessonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return lesson_label(obj)


def module_label(module: Module) -> str:
    """ "Course — Module" (its queryset selects the course)."""
    return f"{module.course} — {module}"


def lesson_label(lesson: Lesson) -> str:
    return f"{module_label(lesson.module)} — {lesson}"


class CourseChoosersMixin:
    """Every module or lesson chooser of the admin names the course, in one query."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Module:
            kwargs.setdefault("queryset", Module.objects.select_related("course"))
            kwargs["form_class"] = ModuleChoiceField
        elif db_field.related_model is Lesson:
            kwargs.setdefault("queryset", Lesson.objects.select_related("module__course"))
            kwargs["form_class"] = LessonChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _accessor(parent_model, inline_class) -> str:
    """The name by which a parent row reaches the inline's rows ("lessons")."""
    fk = _get_foreign_key(parent_model, inline_class.model, fk_name=inline_class.fk_name)
    return fk.remote_field.get_accessor_name()


def nested_prefetches(inline_class, prefix: str = "") -> list[Prefetch]:
    """Prefetch lookups for the rows of every inline nested in `inline_class`, in the
    order each inline shows them, at any depth."""
    lookups = []
    for child in getattr(inline_class, "inlines", ()):
        path = prefix + _accessor(inline_class.model, child)
        ordering = child.ordering or child.model._meta.ordering
        queryset = child.model._default_manager.order_by(*ordering)
        lookups.append(Prefetch(path, queryset=queryset))
        lookups += nested_prefetches(child, prefix=path + "__")
    return lookups


class PrefetchedNestedFormSet(NestedInlineFormSet):
    """The rows of a nested inline taken from its parent row's prefetched ones, when the
    parent inline read them (PrefetchingNestedInline): nested admin builds one formset per
    parent row, each of which would otherwise query its own rows, so that the page's
    queries grew with the content. Posted pages read the rows nested admin asks for."""

    def get_queryset(self):
        if self.data or self.instance is None or self.instance.pk is None:
            return super().get_queryset()
        if not hasattr(self, "_queryset"):
            cache = getattr(self.instance, "_prefetched_objects_cache", {})
            name = self.fk.remote_field.get_accessor_name()
            if name not in cache:
                return super().get_queryset()
            self._queryset = list(cache[name])
        return self._queryset


class PrefetchingNestedInline(NestedStackedInline):
    """An inline that reads its nested inlines' rows with its own, one query per level
    whatever the number of rows (their formsets use them: PrefetchedNestedFormSet)."""

    formset = PrefetchedNestedFormSet

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(*nested_prefetches(type(self)))


class TranslationNestedStackedInline(TranslationInlineModelAdmin, PrefetchingNestedInline):
    """modeltranslation's tabs in a django-nested-admin inline (its JS knows nested admin's
    markup since modeltranslation 0.13)."""


class NestedTabbedTranslationAdmin(TabbedTranslationAdmin, NestedModelAdmin):
    """A model's page with tabs per language and inlines within inlines."""


class CourseAdminForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = "__all__"  # noqa: DJ007 — the admin shows every field

    def clean(self):
        # The publish rule is the service's: the form only reports it on the field.
        cleaned = super().clean()
        if cleaned.get("is_published"):
            # The course's own fields as this form is about to save them.
            course = copy.copy(self.instance)
            for name, value in cleaned.items():
                if name in self._meta.model._meta._forward_fields_map:
                    setattr(course, name, value)
            try:
                services.course_check_publishable(course=course)
            except services.TranslationsMissing as error:
                self.add_error(
                    "is_published", admin_translation.refusal(course=course, error=error)
                )
            except ValidationError as error:
                self.add_error("is_published", error)
        return cleaned


class LessonInline(TranslationNestedStackedInline):
    model = Lesson
    extra = 0
    fields = ("position", "title", "minutes", "body", "key")
    # The body (its only TextField) with its rendering, as on the lesson's own page.
    formfield_overrides = {models.TextField: {"widget": MarkdownPreviewWidget}}
    show_change_link = True
    ordering = ("position", "pk")


class ModuleInline(TranslationNestedStackedInline):
    """A course's modules, each with its lessons, on the course page."""

    model = Module
    extra = 0
    fields = ("position", "title", "summary", "key")
    show_change_link = True
    ordering = ("position", "pk")
    inlines = [LessonInline]


class FormerSlugInline(NestedStackedInline):
    """Old addresses of the course: each redirects to its current one. Stacked: a tabular
    inline's fields have no label of their own (axe: label)."""

    model = FormerSlug
    extra = 0


@admin.register(Course)
class CourseAdmin(
    CourseVersionsMixin, ContentHistoryMixin, NamedTitlesMixin, NestedTabbedTranslationAdmin
):
    add_title = pgettext_lazy("admin title, masculine noun", "Add a course")
    change_title = pgettext_lazy("admin title, masculine noun", "Change the course")
    delete_selected_title = pgettext_lazy(
        "admin action, masculine plural", "Delete the selected courses"
    )
    form = CourseAdminForm
    list_display = ("title", "slug", "is_published", "content_version", "estimated_minutes")
    list_filter = ("is_published",)
    search_fields = ("title_fr", "title_en", "slug", "summary_fr", "summary_en")
    prepopulated_fields = {"slug": ("title_fr",)}
    inlines = [ModuleInline, FormerSlugInline]
    actions = ["publish", "unpublish"]
    view_on_site = True

    def get_actions(self, request):
        # And those the apps above add (courses.hooks.admin_course_actions).
        actions = super().get_actions(request)
        if IS_POPUP_VAR in request.GET:
            return actions
        for function in hooks.admin_course_actions:
            actions.setdefault(function.__name__, self.get_action(function))
        return actions

    def save_model(self, request, obj, form, change):
        """Save the other fields, then publish or unpublish through the service."""
        if "is_published" not in form.changed_data:
            return super().save_model(request, obj, form, change)
        published = obj.is_published
        obj.is_published = not published  # as it was: the service makes the change
        super().save_model(request, obj, form, change)
        services.course_set_published(course=obj, published=published, by=request.user)

    @admin.action(description=_("Publish the selected courses"))
    def publish(self, request, queryset):
        published = 0
        for course in queryset:
            try:
                services.course_set_published(course=course, published=True, by=request.user)
                published += 1
            except services.TranslationsMissing as error:
                refusal = admin_translation.refusal(course=course, error=error)
                self.message_user(request, format_html("{}: {}", course, refusal), messages.ERROR)
            except ValidationError as error:
                self.message_user(request, f"{course}: {error.messages[0]}", messages.ERROR)
        if published:
            self.message_user(
                request,
                ngettext("%(n)d course published.", "%(n)d courses published.", published)
                % {"n": published},
                messages.SUCCESS,
            )

    @admin.action(description=_("Unpublish the selected courses"))
    def unpublish(self, request, queryset):
        for course in queryset:
            services.course_set_published(course=course, published=False)


@admin.register(Module)
class ModuleAdmin(
    ContentHistoryMixin, NamedTitlesMixin, CourseChoosersMixin, NestedTabbedTranslationAdmin
):
    add_title = pgettext_lazy("admin title, masculine noun", "Add a module")
    change_title = pgettext_lazy("admin title, masculine noun", "Change the module")
    delete_selected_title = pgettext_lazy(
        "admin action, masculine plural", "Delete the selected modules"
    )
    # The parent first, then the curriculum id and position (inherited, hence listed).
    fields = ("course", "key", "position", "title", "summary", "objectives", "content_note")
    list_display = ("title", "course", "position", "key")
    list_filter = ("course",)
    list_select_related = ("course",)
    search_fields = ("title_fr", "title_en", "key")
    # The module's quiz inline is added by quizzes (the app above): see quizzes/admin.py.
    inlines = [LessonInline]

    def get_readonly_fields(self, request, obj=None):
        # Progress and attempts record their course: a module stays in the course it was
        # created in (a new one is created in the other course instead).
        return ("course",) if obj is not None else ()


@admin.register(Lesson)
class LessonAdmin(
    ContentHistoryMixin, NamedTitlesMixin, CourseChoosersMixin, TabbedTranslationAdmin
):
    add_title = pgettext_lazy("admin title, feminine noun", "Add a lesson")
    change_title = pgettext_lazy("admin title, feminine noun", "Change the lesson")
    delete_selected_title = pgettext_lazy(
        "admin action, feminine plural", "Delete the selected lessons"
    )
    fields = ("module", "key", "position", "title", "body", "minutes")
    list_display = ("title", "course", "module", "position", "minutes", "key")
    list_filter = ("module__course", "module")
    list_select_related = ("module", "module__course")
    search_fields = ("title_fr", "title_en", "body_fr", "body_en", "key")
    # The body's only TextField: its rendering under it, as learners will read it.
    formfield_overrides = {models.TextField: {"widget": MarkdownPreviewWidget}}

    def view_on_site(self, obj):
        # The lesson as a learner reads it, draft or not, without enrolling.
        return obj.get_preview_url()

    def get_urls(self):
        preview = path(
            "markdown-preview/",
            self.admin_site.admin_view(self.markdown_preview),
            name="courses_lesson_markdown_preview",
        )
        return [preview, *super().get_urls()]

    def markdown_preview(self, request):
        """The posted `text` rendered by the lesson page's code (sanitised): the HTML
        fragment that the body's widget shows under the field."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not (self.has_change_permission(request) or self.has_add_permission(request)):
            raise PermissionDenied
        return HttpResponse(render_markdown(request.POST.get("text", "")))

    @admin.display(description=_("course"), ordering="module__course")
    def course(self, lesson):
        return lesson.module.course

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "module" in form.base_fields:
            # A lesson moves between the modules of its course only (progress records it).
            form.base_fields["module"].queryset = selectors.modules_of_course(
                course_id=obj.module.course_id
            )
        return form


@admin.register(Enrollment)
class EnrollmentAdmin(NamedTitlesMixin, admin.ModelAdmin):
    add_title = pgettext_lazy("admin title, feminine noun", "Add an enrollment")
    change_title = pgettext_lazy("admin title, feminine noun", "Change the enrollment")
    delete_selected_title = pgettext_lazy(
        "admin action, feminine plural", "Delete the selected enrollments"
    )
    list_display = ("learner", "course", "cycle", "enrolled_at", "completed_at")
    list_filter = ("course", "completed_at")
    list_select_related = ("learner", "course")
    search_fields = ("learner__full_name", "learner__email")
    raw_id_fields = ("learner",)
    readonly_fields = ("enrolled_at", "cycle_started_at", "last_activity_at")


@admin.register(LessonProgress)
class LessonProgressAdmin(NamedTitlesMixin, admin.ModelAdmin):
    add_title = pgettext_lazy("admin title, feminine noun", "Add a lesson progress record")
    change_title = pgettext_lazy("admin title, feminine noun", "Change the lesson progress record")
    view_title = pgettext_lazy("admin title, feminine noun", "View the lesson progress record")
    delete_selected_title = pgettext_lazy(
        "admin action, feminine plural", "Delete the selected lesson progress records"
    )

    list_display = ("learner", "lesson", "completed_at")
    list_select_related = ("learner", "lesson")
    search_fields = ("learner__full_name", "learner__email")
    raw_id_fields = ("learner", "lesson")
