"""The knowledge check's part of a course's content in a published version (registered in
`assessments.course_page.register`; see `courses.hooks.content_snapshots`)."""

from assessments.models import Item, ItemChoice
from courses.versions import entry


def items_snapshot(course) -> list[dict]:
    """Every item of the course's knowledge check and its choices: two queries."""
    items = list(Item.objects.filter(course=course).order_by("form", "position", "pk"))
    by_id = {item.pk: item for item in items}
    choices = ItemChoice.objects.filter(item__course=course).order_by("item_id", "position", "pk")
    return [
        *(entry(kind="check item", row=item, label="text") for item in items),
        *(
            entry(
                kind="check choice",
                row=choice,
                label="text",
                parent=by_id[choice.item_id],
                parent_label="text",
            )
            for choice in choices
        ),
    ]
