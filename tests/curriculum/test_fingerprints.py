"""A question's fingerprint names its lesson by key: the same in every database, and the
migration that changed the rule leaves the questions nobody edited following the file."""

import importlib

import pytest
from django.apps import apps

from courses.models import Course
from curriculum.services import curriculum_load
from quizzes.models import Question
from tests.curriculum.documents import small_document, write

pytestmark = pytest.mark.django_db

migration = importlib.import_module("quizzes.migrations.0005_fingerprint_question_lesson_by_key")


@pytest.fixture
def small_file(tmp_path):
    return write(tmp_path, small_document(modules=2))


def test_a_questions_fingerprint_does_not_depend_on_the_row_id_of_its_lesson(small_file):
    curriculum_load(path=small_file)
    first = dict(Question.objects.values_list("key", "curriculum_fingerprint"))
    lesson_ids = set(Question.objects.values_list("lesson_id", flat=True))
    Course.objects.all().delete()
    curriculum_load(path=small_file)  # the lessons have other row ids now
    assert not lesson_ids & set(Question.objects.values_list("lesson_id", flat=True))
    assert dict(Question.objects.values_list("key", "curriculum_fingerprint")) == first


def test_the_migration_refingerprints_only_the_questions_nobody_edited(small_file, tmp_path):
    curriculum_load(path=small_file)
    questions = list(Question.objects.exclude(lesson=None).select_related("lesson"))
    loaded, edited = questions[0], questions[1]
    for question in questions:  # as the loader wrote them before the migration
        question.curriculum_fingerprint = migration._digest(question, question.lesson_id)
    edited.curriculum_fingerprint = "an edit made in the admin since the last load"
    Question.objects.bulk_update(questions, ["curriculum_fingerprint"])

    migration.refingerprint(apps, None)

    loaded.refresh_from_db()
    edited.refresh_from_db()
    assert loaded.curriculum_fingerprint == loaded.content_fingerprint()
    assert edited.curriculum_fingerprint == "an edit made in the admin since the last load"
    # The file changes both questions: the one nobody edited follows it, the edit is kept.
    document = small_document(modules=2)
    for module in document["modules"]:
        for scenario in module["quiz"]["scenarios"]:
            for question in scenario["questions"]:
                if question["id"] in (loaded.key, edited.key):
                    question["text"]["en"] += " (reworded)"
    report = curriculum_load(path=write(tmp_path, document, "changed.yaml"))
    actions = dict((label, action) for action, label in report.lines)
    assert actions[f"question {loaded.key}"] == "updated"
    assert actions[f"question {edited.key}"] == "kept"
