"""The quiz content in the admin, written where it lives: a quiz page holds its scenarios,
each with its questions and their choices (django-nested-admin); a module page holds its
quiz. Every chooser names the course an object belongs to."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modeltranslation.admin import TabbedTranslationAdmin
from nested_admin import NestedModelAdmin, NestedStackedInline

from accounts.admin_titles import NamedTitlesMixin
from courses import selectors as course_selectors
from courses.admin import (
    CourseChoosersMixin,
    ModuleAdmin,
    NestedTabbedTranslationAdmin,
    PrefetchedNestedFormSet,
    TranslationNestedStackedInline,
    module_label,
)
from courses.admin_history import ContentHistoryMixin
from courses.models import Module
from quizzes import admin_item_analysis, selectors
from quizzes.models import Attempt, Choice, Question, Quiz, Scenario, choice_set_error

ERROR_LESSON_OF_ANOTHER_COURSE = _(
    "Choose a lesson of this quiz’s course: the result page sends learners to it."
)


def quiz_label(quiz: Quiz) -> str:
    """ "Course — Module" (a quiz is its module's)."""
    return module_label(quiz.module)


def scenario_label(scenario: Scenario) -> str:
    return f"{quiz_label(scenario.quiz)} — {scenario}"


class QuizChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return quiz_label(obj)


class ScenarioChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return scenario_label(obj)


class QuizChoosersMixin(CourseChoosersMixin):
    """Quiz and scenario choosers name the course and module, in one query."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Quiz:
            kwargs.setdefault("queryset", Quiz.objects.select_related("module__course"))
            kwargs["form_class"] = QuizChoiceField
        elif db_field.related_model is Scenario:
            kwargs.setdefault("queryset", Scenario.objects.select_related("quiz__module__course"))
            kwargs["form_class"] = ScenarioChoiceField
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class QuestionForm(forms.ModelForm):
    """The lesson a question points to is one of its quiz's course: the chooser offers
    only those, and a lesson of another course sent anyway is refused on the field."""

    def __init__(self, *args, course_id=None, lesson_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.course_id = course_id
        field = self.fields.get("lesson")
        if field is None:
            return
        if course_id is None and self.instance.scenario_id:
            self.course_id = selectors.course_id_of_quiz(quiz_id=self.instance.scenario.quiz_id)
        if self.course_id is not None:
            field.queryset = selectors.lessons_of_course(course_id=self.course_id)
        if lesson_choices is not None:
            # One list for every question of the page, not one query per chooser.
            field.choices = lesson_choices
            inner = getattr(field.widget, "widget", None)
            if inner is not None:
                inner.choices = lesson_choices

    def clean(self):
        cleaned = super().clean()
        lesson = cleaned.get("lesson")
        if lesson is None:
            return cleaned
        course_id = self.course_id
        scenario = cleaned.get("scenario")
        if scenario is not None:
            course_id = selectors.course_id_of_quiz(quiz_id=scenario.quiz_id)
        if course_id is not None and lesson.module.course_id != course_id:
            self.add_error("lesson", ERROR_LESSON_OF_ANOTHER_COURSE)
        return cleaned


class ChoiceInlineFormSet(PrefetchedNestedFormSet):
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


class ChoiceInline(TranslationNestedStackedInline):
    """A question's choices with their feedback. Stacked, not tabular: four text boxes
    (text and feedback in two languages) side by side made the page 2,185 px wide."""

    model = Choice
    formset = ChoiceInlineFormSet
    extra = 0
    min_num = 2
    fields = (("position", "is_correct", "level"), "text", "feedback", "key")
    ordering = ("position", "pk")


class QuestionInlineFormSet(PrefetchedNestedFormSet):
    """Gives every question form its course and the course's lessons (QuestionInline
    reads them once per page and sets them on the class)."""

    course_id = None
    lesson_choices = None

    def get_form_kwargs(self, index):
        return {
            **super().get_form_kwargs(index),
            "course_id": self.course_id,
            "lesson_choices": self.lesson_choices,
        }


def quiz_id_of_page(request, obj) -> int | None:
    """The quiz whose questions a formset holds: its scenario's, or the quiz page's own
    (a scenario added on the page has none yet, nor has the template of a new one)."""
    if getattr(obj, "quiz_id", None):
        return obj.quiz_id
    match = request.resolver_match
    if match is not None and match.url_name == "quizzes_quiz_change":
        return int(match.kwargs["object_id"])
    return None


class QuestionInline(CourseChoosersMixin, TranslationNestedStackedInline):
    """A scenario's questions, each with its choices and their feedback."""

    model = Question
    form = QuestionForm
    formset = QuestionInlineFormSet
    extra = 0
    fields = (("position", "kind"), "text", "lesson", "key")
    ordering = ("position", "pk")
    inlines = [ChoiceInline]
    show_change_link = True

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        quiz_id = quiz_id_of_page(request, obj)
        if quiz_id is None:
            return formset
        # One read per page and quiz, however many scenarios and questions it shows.
        cache = request.__dict__.setdefault("_lesson_choices_by_quiz", {})
        if quiz_id not in cache:
            course_id = selectors.course_id_of_quiz(quiz_id=quiz_id)
            field = formset.form.base_fields["lesson"]
            field.queryset = selectors.lessons_of_course(course_id=course_id)
            cache[quiz_id] = (course_id, list(field.choices))
        course_id, choices = cache[quiz_id]
        return type(
            formset.__name__, (formset,), {"course_id": course_id, "lesson_choices": choices}
        )


class ScenarioInline(TranslationNestedStackedInline):
    """A quiz's scenarios, each with its questions and their choices."""

    model = Scenario
    extra = 0
    fields = (("position", "setting"), "title", "situation", "key")
    show_change_link = True
    ordering = ("position", "pk")
    inlines = [QuestionInline]


class QuizNestedAdmin(NestedModelAdmin):
    class Media:
        # Quiz has no translated field of its own; its inlines do.
        js = TabbedTranslationAdmin.Media.js
        css = TabbedTranslationAdmin.Media.css


@admin.register(Quiz)
class QuizAdmin(ContentHistoryMixin, NamedTitlesMixin, CourseChoosersMixin, QuizNestedAdmin):
    add_title = pgettext_lazy("admin title, masculine noun", "Add a quiz")
    change_title = pgettext_lazy("admin title, masculine noun", "Change the quiz")
    delete_selected_title = pgettext_lazy(
        "admin action, masculine plural", "Delete the selected quizzes"
    )
    list_display = ("module", "course", "pass_mark", "max_attempts", "shuffle_choices")
    list_filter = ("module__course",)
    list_select_related = ("module__course",)
    search_fields = ("module__title_fr", "module__title_en", "module__key")
    inlines = [ScenarioInline]

    @admin.display(description=_("course"), ordering="module__course")
    def course(self, quiz):
        return quiz.module.course

    def get_urls(self):
        view = self.admin_site.admin_view(self.item_analysis_view)
        return [
            path("<id:object_id>/item-analysis/", view, name="quizzes_quiz_item_analysis"),
        ] + super().get_urls()

    def item_analysis_view(self, request, object_id):
        return admin_item_analysis.item_analysis_view(self, request, object_id)

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


class AddedQuizForm(forms.ModelForm):
    """A quiz item sent by the module page was added by the administrator ("Add another
    quiz": the inline draws none by itself), so it is saved even with every default left
    as drawn; Django skips an unchanged new inline item, and the click would do nothing."""

    def has_changed(self):
        return self.instance._state.adding or super().has_changed()


class QuizInline(NestedStackedInline):
    """A module's quiz, on the module page; its scenarios are written on the quiz page."""

    model = Quiz
    form = AddedQuizForm
    extra = 0
    max_num = 1
    fields = ("pass_mark", "max_attempts", "shuffle_choices")
    show_change_link = True


# The module page (courses) shows the module's quiz: quizzes, the app above, adds it.
admin.site.unregister(Module)


@admin.register(Module)
class ModuleWithQuizAdmin(ModuleAdmin):
    inlines = [*ModuleAdmin.inlines, QuizInline]


@admin.register(Scenario)
class ScenarioAdmin(
    ContentHistoryMixin, NamedTitlesMixin, QuizChoosersMixin, NestedTabbedTranslationAdmin
):
    add_title = pgettext_lazy("admin title, masculine noun", "Add a scenario")
    change_title = pgettext_lazy("admin title, masculine noun", "Change the scenario")
    delete_selected_title = pgettext_lazy(
        "admin action, masculine plural", "Delete the selected scenarios"
    )
    # The parent first, then the curriculum id and position (inherited, hence listed).
    fields = ("quiz", "key", ("position", "setting"), "title", "situation")
    list_display = ("title", "course", "quiz", "setting", "position", "key")
    list_filter = ("quiz__module__course", "setting", "quiz")
    list_select_related = ("quiz__module__course",)
    search_fields = ("title_fr", "title_en", "situation_fr", "situation_en", "key")
    inlines = [QuestionInline]

    @admin.display(description=_("course"), ordering="quiz__module__course")
    def course(self, scenario):
        return scenario.quiz.module.course


@admin.register(Question)
class QuestionAdmin(
    ContentHistoryMixin, NamedTitlesMixin, QuizChoosersMixin, NestedTabbedTranslationAdmin
):
    history_includes = ("choices",)
    add_title = pgettext_lazy("admin title, feminine noun", "Add a question")
    change_title = pgettext_lazy("admin title, feminine noun", "Change the question")
    delete_selected_title = pgettext_lazy(
        "admin action, feminine plural", "Delete the selected questions"
    )
    form = QuestionForm
    fields = ("scenario", "key", ("position", "kind"), "text", "lesson")
    list_display = ("__str__", "course", "scenario", "kind", "lesson", "key")
    list_filter = ("scenario__quiz__module__course", "kind", "scenario__setting")
    list_select_related = ("scenario__quiz__module__course", "lesson")
    search_fields = ("text_fr", "text_en", "key")
    inlines = [ChoiceInline]

    @admin.display(description=_("course"), ordering="scenario__quiz__module__course")
    def course(self, question):
        return question.scenario.quiz.module.course


@admin.register(Attempt)
class AttemptAdmin(NamedTitlesMixin, admin.ModelAdmin):
    """Attempts are the learners' record: read them here, never edit them."""

    delete_selected_title = pgettext_lazy(
        "admin action, feminine plural", "Delete the selected attempts"
    )
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
