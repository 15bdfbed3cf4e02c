"""What is missing in French or English in a course and everything in it.

A translated field (registered in an app's `translation.py`) is *missing* in a language:
- if the field is required (`blank=False`) and empty in that language;
- if the field is optional (a summary, a content note) and empty in that language while
  the other language has it. An optional field empty in both says nothing to either
  learner, so it blocks nothing.

The course, its modules and lessons are read here; the apps above add their own entries
through `courses.hooks.translation_gaps` (quizzes: scenarios, questions, choices and their
feedback). Each source runs one query per model, filtered in the database to the rows
that miss something, so the count is fixed whatever the size of the course.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext, pgettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator
from modeltranslation.utils import build_localized_fieldname

from courses import hooks
from courses.models import Course, Lesson, Module

ERROR_TRANSLATIONS_MISSING = _(
    "A course cannot be published while a field is empty in French or in English."
)
NAME_LENGTH = 60

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def language_in_sentence(code: str) -> str:
    """The language's name inside a sentence ("empty in English", « vide en anglais »)."""
    names = {
        "fr": pgettext("inside a sentence: empty in …", "French"),
        "en": pgettext("inside a sentence: empty in …", "English"),
    }
    return names.get(code, code)


def language_name(code: str) -> str:
    """The language's name on its own (a tab, a heading): "English", « Anglais »."""
    names = {"fr": gettext("French"), "en": gettext("English")}
    return names.get(code, code)


@dataclass(frozen=True)
class Gap:
    """One translated field of one object, empty in one language."""

    course_id: int
    instance: Model
    field: str  # the field's name without language suffix
    language: str
    module: Module | None = None
    in_quiz: bool = False
    url: str | None = None  # the admin change page where it is filled
    order: tuple = ()

    @property
    def field_label(self) -> str:
        return str(self.instance._meta.get_field(self.field).verbose_name)

    @property
    def object_label(self) -> str:
        name = Truncator(str(self.instance) or f"#{self.instance.pk}").chars(NAME_LENGTH)
        kind = str(self.instance._meta.verbose_name)
        return _("%(kind)s “%(name)s”") % {"kind": kind[:1].upper() + kind[1:], "name": name}

    @property
    def place(self) -> str:
        if self.module is None:
            return ""
        if self.in_quiz:
            return _("quiz of module “%(module)s”") % {"module": self.module}
        return _("module “%(module)s”") % {"module": self.module}

    @property
    def message(self) -> str:
        """E.g. 'Question “Que faites-vous ?” (quiz of module “Signs”): “question” is empty
        in English.', in the active language."""
        values = {
            "object": self.object_label,
            "place": self.place,
            "field": self.field_label,
            "language": language_in_sentence(self.language),
        }
        if self.place:
            return _("%(object)s (%(place)s): “%(field)s” is empty in %(language)s.") % values
        return _("%(object)s: “%(field)s” is empty in %(language)s.") % values


def translated_fields(model: type[Model]) -> tuple[str, ...]:
    """The model's fields registered for translation, in the model's field order (none for
    a model not registered)."""
    try:
        registered = translator.get_options_for_model(model).fields
    except NotRegistered:
        return ()
    return tuple(f.name for f in model._meta.fields if f.name in registered)


def _empty(name: str) -> Q:
    return Q(**{f"{name}__isnull": True}) | Q(**{name: ""})


def gap_filter(model: type[Model]) -> Q:
    """The rows of `model` that miss at least one translation (the rule above), as SQL."""
    condition = Q(pk__in=[])
    for field in translated_fields(model):
        names = [build_localized_fieldname(field, code) for code in LANGUAGE_CODES]
        if model._meta.get_field(field).blank:
            for name in names:
                others_filled = Q()
                for other in names:
                    if other != name:
                        others_filled &= ~_empty(other)
                condition |= _empty(name) & others_filled
        else:
            for name in names:
                condition |= _empty(name)
    return condition


def missing_in(values: dict[str, str | None], *, optional: bool) -> list[str]:
    """The languages missing among `values` ({language: text}), by the rule above."""
    empty = [code for code, value in values.items() if not (value or "").strip()]
    if optional and len(empty) == len(values):
        return []
    return empty


def missing_languages(instance: Model, field: str) -> list[str]:
    """The languages in which the instance's `field` is missing (the rule above)."""
    values = {
        code: getattr(instance, build_localized_fieldname(field, code)) for code in LANGUAGE_CODES
    }
    return missing_in(values, optional=instance._meta.get_field(field).blank)


def admin_url(instance: Model) -> str | None:
    opts = instance._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[instance.pk])
    except NoReverseMatch:
        return None


def gaps_of(
    instance: Model,
    *,
    course_id: int,
    module: Module | None = None,
    in_quiz: bool = False,
    edited_at: Model | None = None,
    order: tuple = (),
) -> list[Gap]:
    """The gaps of one object. `edited_at`: the object whose admin page edits it, when
    it has none of its own (a choice is edited on its question's page)."""
    url = admin_url(instance) or (admin_url(edited_at) if edited_at is not None else None)
    return [
        Gap(
            course_id=course_id,
            instance=instance,
            field=field,
            language=code,
            module=module,
            in_quiz=in_quiz,
            url=url,
            order=(*order, index),
        )
        for index, field in enumerate(translated_fields(type(instance)))
        for code in missing_languages(instance, field)
    ]


def module_order(module: Module) -> tuple:
    return (module.position, module.pk)


def _course_content_gaps(course_ids: list[int]) -> list[Gap]:
    """Modules and lessons: two queries."""
    gaps = []
    for module in Module.objects.filter(course_id__in=course_ids).filter(gap_filter(Module)):
        gaps += gaps_of(module, course_id=module.course_id, order=(*module_order(module), 0, 0, 0))
    lessons = (
        Lesson.objects.filter(module__course_id__in=course_ids)
        .filter(gap_filter(Lesson))
        .select_related("module")
    )
    for lesson in lessons:
        gaps += gaps_of(
            lesson,
            course_id=lesson.module.course_id,
            module=lesson.module,
            order=(*module_order(lesson.module), 1, lesson.position, lesson.pk),
        )
    return gaps


def _content_gaps_by_course(course_ids: list[int]) -> dict[int, list[Gap]]:
    gaps = _course_content_gaps(course_ids)
    for source in hooks.translation_gaps:
        gaps += source(course_ids)
    by_course = defaultdict(list)
    for gap in sorted(gaps, key=lambda gap: gap.order):
        by_course[gap.course_id].append(gap)
    return by_course


def course_missing_translations(*, course: Course) -> list[Gap]:
    """Every translation missing in the course (as it is in memory, so that a form can
    check what it is about to save) and, as saved, in everything in it: course first,
    then module by module. A fixed number of queries."""
    own = gaps_of(course, course_id=course.pk, order=(-1,))
    if course.pk is None:
        return own
    return own + _content_gaps_by_course([course.pk]).get(course.pk, [])


def missing_counts_by_course(*, course_ids: list[int]) -> dict[int, Counter]:
    """{course id: Counter({language: number of fields missing})} for the saved courses,
    each course present (an empty Counter when nothing is missing). A fixed number of
    queries whatever the number of courses."""
    counts = {course_id: Counter() for course_id in course_ids}
    if not course_ids:
        return counts
    gaps = [
        gap
        for course in Course.objects.filter(pk__in=course_ids).filter(gap_filter(Course))
        for gap in gaps_of(course, course_id=course.pk)
    ]
    gaps += [gap for found in _content_gaps_by_course(course_ids).values() for gap in found]
    for gap in gaps:
        counts[gap.course_id][gap.language] += 1
    return counts


def missing_count_label(language: str, count: int) -> str:
    """E.g. "English: 4 fields missing", « Anglais : 4 champs manquants »."""
    if language == "en":
        text = ngettext("English: %(n)d field missing", "English: %(n)d fields missing", count)
    else:
        text = ngettext("French: %(n)d field missing", "French: %(n)d fields missing", count)
    return text % {"n": count}


def drafts_with_translation_status(courses: QuerySet[Course] | list[Course]) -> list[Course]:
    """The courses, each draft with `translation_status`: a list of labels, one per
    language with something missing (empty when both are complete). Published courses
    get an empty list. A fixed number of queries."""
    courses = list(courses)
    counts = missing_counts_by_course(
        course_ids=[course.pk for course in courses if not course.is_published]
    )
    for course in courses:
        missing = counts.get(course.pk, Counter())
        course.translation_status = [
            missing_count_label(code, missing[code]) for code in LANGUAGE_CODES if missing[code]
        ]
    return courses
