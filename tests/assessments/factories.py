"""Factories of the assessments app: an item bank in two forms, for a course."""

import factory

from assessments.models import Answer, Attempt, Form, Item, ItemChoice, Phase
from tests.factories import LessonFactory


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item
        skip_postgeneration_save = True

    lesson = factory.SubFactory(LessonFactory)
    course = factory.SelfAttribute("lesson.module.course")
    form = Form.A
    key = factory.Sequence(lambda n: f"item-{n}")
    position = factory.Sequence(lambda n: n)
    text_fr = factory.Sequence(lambda n: f"Question {n} ?")
    text_en = factory.Sequence(lambda n: f"Question {n}?")

    @factory.post_generation
    def choices(self, create, extracted, **kwargs):
        """Three choices, the first right, unless `choices=False`."""
        if not create or extracted is False:
            return
        for position in range(3):
            ItemChoiceFactory(item=self, is_correct=position == 0, position=position)


class ItemChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ItemChoice

    item = factory.SubFactory(ItemFactory, choices=False)
    key = factory.Sequence(lambda n: f"choice-{n}")
    text_fr = factory.Sequence(lambda n: f"Choix {n}")
    text_en = factory.Sequence(lambda n: f"Choice {n}")
    is_correct = False


def item_bank(*, course, per_form: int = 2) -> dict[str, list[Item]]:
    """`per_form` items in each form for each module of the course (on its first lesson),
    so that every module has items in both forms."""
    bank = {Form.A: [], Form.B: []}
    for module in course.modules.order_by("position"):
        lesson = module.lessons.order_by("position").first()
        for form in (Form.A, Form.B):
            bank[form] += [ItemFactory(lesson=lesson, form=form) for _ in range(per_form)]
    return bank


def checked(*, learner, course, phase, form, items, right=(), wrong=()) -> Attempt:
    """An attempt at `items` (the form's items) whose answers are right for the items in
    `right`, wrong for those in `wrong`; the others are left blank (no Answer row)."""
    attempt = Attempt.objects.create(
        learner=learner,
        course=course,
        phase=phase,
        form=form,
        item_count=len(items),
        correct_count=len(right),
    )
    Answer.objects.bulk_create(
        [
            Answer(
                attempt=attempt,
                item=item,
                choice=item.choices.filter(is_correct=is_right).first(),
                is_correct=is_right,
            )
            for is_right, chosen in ((True, right), (False, wrong))
            for item in chosen
        ]
    )
    return attempt


def scored(*, learner, course, pre: tuple[int, int], post: tuple[int, int]) -> None:
    """Both checks of a person, as (right answers, items), without answer rows: what the
    course's figures read."""
    for phase, form, (right, items) in ((Phase.PRE, Form.A, pre), (Phase.POST, Form.B, post)):
        Attempt.objects.create(
            learner=learner,
            course=course,
            phase=phase,
            form=form,
            item_count=items,
            correct_count=right,
        )
