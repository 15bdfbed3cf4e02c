"""The rows the curriculum file writes: a key is unique within its parent, and the fingerprint
changes with the content the file gives, not with line endings or where the row sits."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from courses.entries import fingerprint
from courses.models import Lesson, Module
from quizzes.models import Choice, Question, Scenario
from tests.factories import LessonFactory, ModuleFactory
from tests.quizzes.factories import ChoiceFactory, QuestionFactory, ScenarioFactory

pytestmark = pytest.mark.django_db

# Each entry with the name of its parent and the factory that makes one.
ENTRIES = [
    (ModuleFactory, "course"),
    (LessonFactory, "module"),
    (ScenarioFactory, "quiz"),
    (QuestionFactory, "scenario"),
    (ChoiceFactory, "question"),
]


@pytest.mark.parametrize(("factory", "parent"), ENTRIES, ids=[p for _f, p in ENTRIES])
def test_a_key_is_unique_within_its_parent_but_not_beyond(factory, parent):
    first = factory(key="same-id")
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(key="same-id", **{parent: getattr(first, parent)})
    factory(key="same-id")  # in another parent


@pytest.mark.parametrize(("factory", "parent"), ENTRIES, ids=[p for _f, p in ENTRIES])
def test_entries_added_in_the_admin_without_a_key_may_be_many(factory, parent):
    first = factory(key="")
    factory(key="", **{parent: getattr(first, parent)})
    assert type(first).objects.filter(key="").count() == 2


def test_each_kind_of_entry_says_whose_id_its_key_is():
    with translation.override("en"):
        help_texts = {
            model: str(model._meta.get_field("key").help_text)
            for model in (Module, Lesson, Scenario, Question, Choice)
        }
    assert help_texts == {
        Module: "The id of this module in the curriculum file, if it comes from one.",
        Lesson: "The id of this lesson in the curriculum file, if it comes from one.",
        Scenario: "The id of this scenario in the curriculum file, if it comes from one.",
        Question: "The id of this question in the curriculum file, if it comes from one.",
        Choice: "The id of this choice in the curriculum file, if it comes from one.",
    }


def test_the_fingerprint_follows_the_content_not_line_endings_nor_position():
    lesson = LessonFactory(body_fr="Un\ntexte")
    before = lesson.content_fingerprint()
    lesson.body_fr = "  Un\r\ntexte\n"
    lesson.position += 3
    assert lesson.content_fingerprint() == before
    lesson.body_fr = "Un\ntexte."
    assert lesson.content_fingerprint() != before
    lesson.body_fr = "Un\ntexte"
    lesson.minutes += 1
    assert lesson.content_fingerprint() != before


def test_fingerprint_ignores_line_endings_and_surrounding_blanks_but_not_content():
    first = LessonFactory(body_fr="Un\ntexte", body_en="A text")
    second = LessonFactory(body_fr="  Un\r\ntexte\n", body_en="A text")
    third = LessonFactory(body_fr="Un\ntexte.", body_en="A text")
    fields = ("body_fr", "body_en")
    assert fingerprint(first, fields) == fingerprint(second, fields)
    assert fingerprint(first, fields) != fingerprint(third, fields)
    assert len(fingerprint(first, fields)) == 64
