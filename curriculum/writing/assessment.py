"""Writing the course's knowledge check (its items and their choices): created or updated
by id, administrators' edits kept, exactly as for quizzes. Nothing is deleted: an item the
file no longer has is reported "left" (learners' answers hang on it)."""

from django.utils import translation

from assessments.models import Item, ItemChoice, item_choice_error
from courses.models import Course, Lesson
from curriculum.report import CurriculumError, LoadReport
from curriculum.specs import ItemSpec
from curriculum.writing.entries import by_key, entry_sync

ITEM = "knowledge check item"
CHOICE = "knowledge check choice"


def assessment_write(
    items: list[ItemSpec], *, course: Course, force: bool, report: LoadReport
) -> None:
    """Create or update the course's items (in the caller's transaction), positions in the
    file's order. Loading the same file twice changes nothing."""
    path = report.source
    existing_items, unkeyed = by_key(
        Item.objects.filter(course=course).select_related("lesson"),
        ITEM,
        path=path,
        within="course",
    )
    existing_choices, more = by_key(
        ItemChoice.objects.filter(item__course=course), CHOICE, path=path, within="course"
    )
    lessons = dict(
        Lesson.objects.filter(module__course=course).exclude(key="").values_list("key", "pk")
    )
    written = []
    for position, spec in enumerate(items, start=1):
        item = existing_items.pop(spec.key, None) or Item(key=spec.key)
        entry_sync(
            item,
            {**spec.values, "lesson_id": lessons[spec.lesson_key]},
            structure={"course_id": course.pk, "position": position},
            label=f"{ITEM} {spec.key}",
            force=force,
            report=report,
            keys={"lesson_id": spec.lesson_key},
        )
        for choice_position, choice_spec in enumerate(spec.choices, start=1):
            choice = existing_choices.pop(choice_spec.key, None) or ItemChoice(key=choice_spec.key)
            entry_sync(
                choice,
                choice_spec.values,
                structure={"item_id": item.pk, "position": choice_position},
                label=f"{CHOICE} {choice_spec.key}",
                force=force,
                report=report,
            )
        written.append((spec.key, item))
    _check_gradable(written, report=report)
    for key in existing_items:
        report.left(f"{ITEM} {key} (not in the file: delete it in the admin if it should go)")
    for key in existing_choices:
        report.left(f"{CHOICE} {key} (not in the file: delete it in the admin if it should go)")
    if unkeyed + more:
        report.left(f"{unkeyed + more} knowledge check item(s) or choice(s) added in the admin")


def _check_gradable(written, *, report) -> None:
    """Administrators' edits kept on some choices and the file's values written on others
    could together make an item that has no right answer, or two: refuse the whole load
    then. One query for all the items."""
    counts = {item.pk: [0, 0] for _key, item in written}
    for item_id, is_correct in ItemChoice.objects.filter(item_id__in=counts).values_list(
        "item_id", "is_correct"
    ):
        counts[item_id][0] += 1
        counts[item_id][1] += int(is_correct)
    for key, item in written:
        choice_count, correct_count = counts[item.pk]
        with translation.override("en"):
            problem = item_choice_error(choice_count=choice_count, correct_count=correct_count)
        if problem:
            raise CurriculumError(
                report.source,
                f"{ITEM} {key}",
                f"{problem} (with the edits kept from the admin; load with --force to use the "
                "file's version, or fix the item in the admin)",
            )
