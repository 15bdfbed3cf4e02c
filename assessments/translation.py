from modeltranslation.translator import TranslationOptions, register

from assessments.models import Item, ItemChoice


@register(Item)
class ItemTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(ItemChoice)
class ItemChoiceTranslationOptions(TranslationOptions):
    fields = ("text",)
