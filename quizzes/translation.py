from modeltranslation.translator import TranslationOptions, register

from quizzes.models import Choice, Question, Scenario


@register(Scenario)
class ScenarioTranslationOptions(TranslationOptions):
    fields = ("title", "situation")


@register(Question)
class QuestionTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(Choice)
class ChoiceTranslationOptions(TranslationOptions):
    fields = ("text", "feedback")
