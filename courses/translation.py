from modeltranslation.translator import TranslationOptions, register

from courses.models import Course, Lesson, Module


@register(Course)
class CourseTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "content_note")


@register(Module)
class ModuleTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "objectives", "content_note")


@register(Lesson)
class LessonTranslationOptions(TranslationOptions):
    fields = ("title", "body")
