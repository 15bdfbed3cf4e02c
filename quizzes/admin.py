from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TabbedTranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from courses import selectors as course_selectors
from courses.admin_history import ContentHistoryMixin
from quizzes import selectors
from quizzes.models import Attempt, Choice, Question, Quiz, Scenario, choice_set_error


class ChoiceInlineFormSet(BaseInlineFormSet):
    """Refuses a question whose choices cannot be graded, and says why."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        problem = choice_set_error(
            kind=self.instance.kind,
            choice_count=len(kept),
            correct_count=sum(1 for form in kept if form.cleaned_data.get("is_correct")),
        )
        if problem:
            raise ValidationError(problem)


class ChoiceInline(TranslationTabularInline):
    model = Choice
    formset = ChoiceInlineFormSet
    extra = 0
    min_num = 2
    fields = ("position", "text", "is_correct", "level", "feedback", "key")
    ordering = ("position", "pk")


class QuestionInlineFormSet(BaseInlineFormSet):
    """On the scenario page, changing a question's kind is checked against its choices."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        forms = [
            form
            for form in self.forms
            if form.instance.pk and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        counts = selectors.question_choice_counts(question_ids=[form.instance.pk for form in forms])
        for form in forms:
            row = counts.get(form.instance.pk, {"n": 0, "correct": 0})
            problem = choice_set_error(
                kind=form.cleaned_data.get("kind", form.instance.kind),
                choice_count=row["n"],
                correct_count=row["correct"],
            )
            if problem:
                form.add_error("kind", problem)


class QuestionInline(TranslationStackedInline):
    model = Question
    formset = QuestionInlineFormSet
    extra = 0
    fields = ("position", "kind", "text", "lesson", "key")
    raw_id_fields = ("lesson",)
    show_change_link = True
    ordering = ("position", "pk")

    def has_add_permission(self, request, obj=None):
        # A new question needs its choices: it is added from the question page.
        return False


class ScenarioInline(TranslationStackedInline):
    model = Scenario
    extra = 0
    fields = ("position", "setting", "title", "situation", "key")
    show_change_link = True
    ordering = ("position", "pk")


@admin.register(Quiz)
class QuizAdmin(ContentHistoryMixin, admin.ModelAdmin):
    list_display = ("module", "course", "pass_mark", "max_attempts", "shuffle_choices")
    list_filter = ("module__course",)
    list_select_related = ("module__course",)
    search_fields = ("module__title_fr", "module__title_en", "module__key")
    inlines = [ScenarioInline]

    class Media:
        # Quiz has no translated field of its own; its scenario inline does.
        js = TabbedTranslationAdmin.Media.js
        css = TabbedTranslationAdmin.Media.css

    @admin.display(description=_("course"), ordering="module__course")
    def course(self, quiz):
        return quiz.module.course

    def view_on_site(self, obj):
        # The quiz as a learner takes it, draft or not, graded without recording anything.
        return obj.get_preview_url()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and "module" in form.base_fields:
            # Attempts record the quiz's course: it moves between its course's modules only.
            form.base_fields["module"].queryset = course_selectors.modules_of_course(
                course_id=obj.module.course_id
            )
        return form


@admin.register(Scenario)
class ScenarioAdmin(ContentHistoryMixin, TabbedTranslationAdmin):
    # The parent first, then the curriculum id and position (inherited, hence listed).
    fields = ("quiz", "key", "position", "setting", "title", "situation")
    list_display = ("title", "quiz", "setting", "position", "key")
    list_filter = ("setting", "quiz__module__course", "quiz")
    list_select_related = ("quiz__module",)
    search_fields = ("title_fr", "title_en", "situation_fr", "situation_en", "key")
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(ContentHistoryMixin, TabbedTranslationAdmin):
    history_includes = ("choices",)

    fields = ("scenario", "key", "position", "kind", "text", "lesson")
    list_display = ("__str__", "scenario", "kind", "lesson", "key")
    list_filter = ("kind", "scenario__setting", "scenario__quiz")
    list_select_related = ("scenario", "lesson")
    search_fields = ("text_fr", "text_en", "key")
    raw_id_fields = ("lesson",)
    inlines = [ChoiceInline]


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Attempts are the learners' record: read them here, never edit them."""

    list_display = (
        *("learner", "quiz", "cycle", "number", "started_at", "score", "passed", "practice"),
    )
    list_filter = ("passed", "practice", "quiz__module__course", "quiz")
    list_select_related = ("learner", "quiz__module")
    search_fields = ("learner__full_name", "learner__email")
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
