"""The knowledge check's items in the admin: written with their choices in both languages,
refused unless exactly one of at least two choices is right; the course's publication and
its versions take them into account."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments.models import (
    ERROR_ITEM_ONE_RIGHT_CHOICE,
    ERROR_ITEM_TOO_FEW_CHOICES,
    Form,
    Item,
    ItemChoice,
)
from courses import services, translation_status, versions
from tests.assessments.factories import ItemChoiceFactory, ItemFactory
from tests.factories import CourseFactory, LessonFactory

pytestmark = pytest.mark.django_db


def url(name, *args) -> str:
    with translation.override("en"):
        return reverse(f"admin:assessments_item_{name}", args=args)


def item_data(of_lesson, choices, **overrides) -> dict:
    """The add page's data: `choices` is [(text, right)]."""
    data = {
        "course": of_lesson.module.course_id,
        "key": "",
        "position": 1,
        "form": Form.A,
        "text_fr": "Que faites-vous ?",
        "text_en": "What do you do?",
        "lesson": of_lesson.pk,
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": 0,
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 1000,
    }
    for index, (text, right) in enumerate(choices):
        data |= {
            f"choices-{index}-position": index,
            f"choices-{index}-text_fr": f"{text} (fr)",
            f"choices-{index}-text_en": text,
            f"choices-{index}-key": "",
        }
        if right:
            data[f"choices-{index}-is_correct"] = "on"
    return data | overrides


def test_an_item_with_one_right_choice_among_several_is_saved(admin_client):
    lesson = LessonFactory()
    response = admin_client.post(
        url("add"), item_data(lesson, [("Listen", True), ("Confront", False)])
    )
    assert response.status_code == 302
    item = Item.objects.get()
    assert (item.course_id, item.lesson_id, item.text_en) == (
        lesson.module.course_id,
        lesson.pk,
        "What do you do?",
    )
    assert list(item.choices.order_by("position").values_list("text_en", "is_correct")) == [
        ("Listen", True),
        ("Confront", False),
    ]


@pytest.mark.parametrize(
    ("choices", "error"),
    [
        ([("Listen", True)], (ERROR_ITEM_TOO_FEW_CHOICES, {})),
        ([("Listen", False), ("Confront", False)], (ERROR_ITEM_ONE_RIGHT_CHOICE, {"count": 0})),
        ([("Listen", True), ("Call", True)], (ERROR_ITEM_ONE_RIGHT_CHOICE, {"count": 2})),
    ],
)
def test_an_item_without_exactly_one_right_choice_among_two_or_more_is_refused(
    admin_client, choices, error
):
    message, values = error
    with translation.override("en"):
        error = str(message) % values if values else str(message)
    response = admin_client.post(url("add"), item_data(LessonFactory(), choices))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert Item.objects.count() == ItemChoice.objects.count() == 0


def test_deleting_the_only_right_choice_is_refused(admin_client):
    item = ItemFactory()
    right, *others = item.choices.order_by("position")
    data = item_data(item.lesson, [], course="", **{"choices-TOTAL_FORMS": 3})
    data["choices-INITIAL_FORMS"] = 3
    for index, choice in enumerate([right, *others]):
        data |= {
            f"choices-{index}-id": choice.pk,
            f"choices-{index}-item": item.pk,
            f"choices-{index}-position": choice.position,
            f"choices-{index}-text_fr": choice.text_fr,
            f"choices-{index}-text_en": choice.text_en,
            f"choices-{index}-key": choice.key,
        }
    data["choices-0-is_correct"] = "on"
    data["choices-0-DELETE"] = "on"
    response = admin_client.post(url("change", item.pk), data)
    assert response.status_code == 200
    with translation.override("en"):
        assert str(ERROR_ITEM_ONE_RIGHT_CHOICE) % {"count": 0} in response.content.decode()
    assert item.choices.filter(is_correct=True).exists()


def test_a_lesson_of_another_course_is_refused(admin_client):
    lesson, elsewhere = LessonFactory(), LessonFactory()
    data = item_data(lesson, [("Listen", True), ("Confront", False)], lesson=elsewhere.pk)
    response = admin_client.post(url("add"), data)
    assert response.status_code == 200
    assert "Choose a lesson of this item’s course" in response.content.decode()
    assert not Item.objects.exists()


def test_the_list_filters_by_course_and_form_and_searches_the_texts(admin_client):
    first, second = ItemFactory(text_en="Who decides?"), ItemFactory(form=Form.B)
    page = admin_client.get(url("changelist"), {"course__id__exact": first.course_id})
    assert "Who decides?" in page.content.decode()
    assert second.text_en not in page.content.decode()
    page = admin_client.get(url("changelist"), {"form__exact": Form.B}).content.decode()
    assert second.text_en in page
    assert "Who decides?" not in page
    page = admin_client.get(url("changelist"), {"q": "decides"}).content.decode()
    assert "Who decides?" in page
    assert second.text_en not in page


def test_the_item_page_has_a_tab_per_language_and_its_choices(admin_client):
    item = ItemFactory()
    page = admin_client.get(url("change", item.pk)).content.decode()
    assert 'name="text_fr"' in page
    assert 'name="text_en"' in page
    assert 'name="choices-2-text_en"' in page
    assert "tabbed_translation_fields" in page


def test_french_titles_agree_with_the_noun(admin_client):
    item = ItemFactory()
    with translation.override("fr"):
        change = reverse("admin:assessments_item_change", args=[item.pk])
        changelist = reverse("admin:assessments_item_changelist")
    assert "| Modification de la question du test de connaissances |" in (
        admin_client.get(change).content.decode()
    )
    page = admin_client.get(changelist).content.decode()
    assert "Supprimer les questions du test de connaissances sélectionnées" in page


def test_an_item_missing_english_keeps_the_course_from_being_published(admin_client):
    course = CourseFactory(is_published=False, lessons=1)
    item = ItemFactory(lesson=course.modules.get().lessons.get())
    item.text_en = ""
    item.save()
    gaps = translation_status.course_missing_translations(course=course)
    assert [(gap.instance, gap.language) for gap in gaps] == [(item, "en")]
    assert gaps[0].url.endswith(f"/assessments/item/{item.pk}/change/")
    with pytest.raises(ValidationError):
        services.course_set_published(course=course, published=True)

    choice = item.choices.first()
    item.text_en = "What do you do?"
    item.save()
    choice.text_en = ""
    choice.save()
    (gap,) = translation_status.course_missing_translations(course=course)
    assert gap.instance == choice
    assert gap.url.endswith(f"/assessments/item/{item.pk}/change/")
    choice.text_en = "Listen"
    choice.save()
    services.course_set_published(course=course, published=True)
    course.refresh_from_db()
    assert course.is_published


def test_a_published_version_keeps_the_items_and_their_choices():
    course = CourseFactory(is_published=False, lessons=1)
    item = ItemFactory(lesson=course.modules.get().lessons.get(), text_en="Who decides?")
    services.course_set_published(course=course, published=True)
    entries = course.versions.get().content["entries"]
    kept = [entry for entry in entries if entry["kind"] in ("check item", "check choice")]
    assert [entry["kind"] for entry in kept] == ["check item"] + ["check choice"] * 3
    assert kept[0]["fields"]["text_en"] == "Who decides?"

    item.text_en = "Who decides, and how?"
    item.save()
    diff = versions.diff(course.versions.get().content, versions.snapshot(course))
    assert [change.kind for change in diff.changed] == ["check item"]


def _queries(client, address) -> int:
    client.get(address)  # the session and caches warmed
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    return len(queries)


def test_the_item_list_and_an_items_page_run_the_same_queries_whatever_their_size(admin_client):
    small, large = CourseFactory(lessons=1), CourseFactory(lessons=3)
    ItemFactory(lesson=small.modules.get().lessons.get())
    for lesson in [lesson for module in large.modules.all() for lesson in module.lessons.all()]:
        ItemFactory.create_batch(4, lesson=lesson)
    few = _queries(admin_client, url("changelist") + f"?course__id__exact={small.pk}")
    many = _queries(admin_client, url("changelist") + f"?course__id__exact={large.pk}")
    assert few == many

    two, eight = ItemFactory(choices=False), ItemFactory(choices=False)
    ItemChoiceFactory.create_batch(2, item=two)
    ItemChoiceFactory.create_batch(8, item=eight)
    assert _queries(admin_client, url("change", two.pk)) == _queries(
        admin_client, url("change", eight.pk)
    )
