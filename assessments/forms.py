from django import forms

from assessments.models import Item


def field_name(item: Item) -> str:
    return f"item-{item.pk}"


class CheckForm(forms.Form):
    """One optional radio choice per item of the form, in order: an item left blank is
    unanswered (it counts as not right)."""

    def __init__(self, *args, items: list[Item], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for number, item in enumerate(items, start=1):
            self.fields[field_name(item)] = forms.TypedChoiceField(
                label=item.text,
                choices=[(str(choice.pk), choice.text) for choice in item.choices.all()],
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
            )
            self.fields[field_name(item)].number = number

    def choices(self) -> dict[int, int]:
        """{item id: choice id} of the items answered."""
        return {
            item.pk: self.cleaned_data[field_name(item)]
            for item in self.items
            if self.cleaned_data.get(field_name(item)) is not None
        }
