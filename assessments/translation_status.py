"""The translations missing in a course's knowledge check (registered in
`courses.hooks.translation_gaps` by `assessments.course_page.register`): its items and their
choices, in two queries whatever their number. The rule is `courses.translation_status`'s."""

from assessments.models import Item, ItemChoice
from courses.translation_status import Gap, gap_filter, gaps_of

# After every module's own content and quiz in the list of gaps (their order starts with
# the module's position): the check is the course's, not a module's.
AFTER_THE_MODULES = 10**9


def _item_order(item) -> tuple:
    return (AFTER_THE_MODULES, 0, 3, item.form, item.position, item.pk)


def item_translation_gaps(course_ids: list[int]) -> list[Gap]:
    gaps = []
    for item in Item.objects.filter(course_id__in=course_ids).filter(gap_filter(Item)):
        gaps += gaps_of(item, course_id=item.course_id, order=(*_item_order(item), -1, 0))
    choices = (
        ItemChoice.objects.filter(item__course_id__in=course_ids)
        .filter(gap_filter(ItemChoice))
        .select_related("item")
    )
    for choice in choices:
        gaps += gaps_of(
            choice,
            course_id=choice.item.course_id,
            # A choice is written on its item's page.
            edited_at=choice.item,
            order=(*_item_order(choice.item), choice.position, choice.pk),
        )
    return gaps
