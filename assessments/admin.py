"""The knowledge check's items in the admin: an item's page holds its choices, with tabs
per language; the items' list leads to the check's item analysis. Attempts and answers
are the learners' record and have no page here."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from accounts.admin_titles import NamedTitlesMixin
from assessments import admin_item_analysis
from assessments.models import Item, ItemChoice, item_choice_error
from courses.admin import CourseChoosersMixin
from courses.admin_history import ContentHistoryMixin
from quizzes.selectors import lessons_of_course

ERROR_LESSON_OF_ANOTHER_COURSE = _(
    "Choose a lesson of this item’s course: the gain report groups items by its module."
)


class ItemForm(forms.ModelForm):
    """The lesson an item measures is one of its course's."""

    def clean(self):
        cleaned = super().clean()
        lesson = cleaned.get("lesson")
        course = cleaned.get("course") or (
            self.instance.course if self.instance.course_id else None
        )
        if lesson is not None and course is not None and lesson.module.course_id != course.pk:
            self.add_error("lesson", ERROR_LESSON_OF_ANOTHER_COURSE)
        return cleaned


class ItemChoiceInlineFormSet(BaseInlineFormSet):
    """Refuses an item that has not at least two choices with exactly one right."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        problem = item_choice_error(
            choice_count=len(kept),
            correct_count=sum(1 for form in kept if form.cleaned_data.get("is_correct")),
        )
        if problem:
            raise ValidationError(problem)


class ItemChoiceInline(TranslationStackedInline):
    model = ItemChoice
    formset = ItemChoiceInlineFormSet
    extra = 0
    min_num = 2
    fields = (("position", "is_correct"), "text", "key")
    ordering = ("position", "pk")


@admin.register(Item)
class ItemAdmin(ContentHistoryMixin, NamedTitlesMixin, CourseChoosersMixin, TabbedTranslationAdmin):
    history_includes = ("choices",)
    add_title = pgettext_lazy("admin title, feminine noun", "Add a knowledge check item")
    change_title = pgettext_lazy("admin title, feminine noun", "Change the knowledge check item")
    delete_selected_title = pgettext_lazy(
        "admin action, feminine plural", "Delete the selected knowledge check items"
    )
    form = ItemForm
    fields = ("course", "key", ("position", "form"), "text", "lesson")
    list_display = ("__str__", "course", "form", "lesson", "position", "key")
    list_filter = ("course", "form")
    list_select_related = ("course", "lesson")
    search_fields = ("text_fr", "text_en", "key")
    inlines = [ItemChoiceInline]

    def get_readonly_fields(self, request, obj=None):
        # Learners' answers record the item's course: it stays in it.
        return ("course",) if obj is not None else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "lesson" in form.base_fields:
            form.base_fields["lesson"].queryset = lessons_of_course(course_id=obj.course_id)
        return form

    def get_urls(self):
        courses = self.admin_site.admin_view(self.item_analysis_courses_view)
        analysis = self.admin_site.admin_view(self.item_analysis_view)
        return [
            path("item-analysis/", courses, name="assessments_item_analysis_courses"),
            path("item-analysis/<int:course_id>/", analysis, name="assessments_item_analysis"),
        ] + super().get_urls()

    def item_analysis_courses_view(self, request):
        return admin_item_analysis.courses_view(self, request)

    def item_analysis_view(self, request, course_id):
        return admin_item_analysis.item_analysis_view(self, request, course_id)
