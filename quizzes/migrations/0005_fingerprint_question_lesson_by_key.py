"""A question's fingerprint hashes the key of its lesson (as the curriculum file names it),
no longer the lesson's row id: the same content has the same fingerprint in every database,
so that a course exported from one and imported into another matches.

A question whose stored fingerprint matches its content under the old rule (no administrator
edited it) gets the fingerprint of the same content under the new one; an edited question
keeps its fingerprint, and so stays edited. The hash is the loader's
(courses.entries.digest), copied here because a migration must not change when the code it
once ran changes.
"""

import hashlib
import json

from django.db import migrations

FIELDS = ("kind", "text_fr", "text_en", "lesson_id")


def _normal(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value


def _digest(question, lesson_value):
    values = {name: getattr(question, name) for name in FIELDS}
    values["lesson_id"] = lesson_value
    payload = json.dumps([[name, _normal(values[name])] for name in FIELDS], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _by_key(question):
    return question.lesson.key if question.lesson_id is not None else None


def _by_id(question):
    return question.lesson_id


def refingerprint(apps, schema_editor, old=_by_id, new=_by_key):
    Question = apps.get_model("quizzes", "Question")
    changed = []
    questions = Question.objects.exclude(curriculum_fingerprint="").exclude(lesson=None)
    for question in questions.select_related("lesson").iterator(chunk_size=500):
        if question.curriculum_fingerprint == _digest(question, old(question)):
            question.curriculum_fingerprint = _digest(question, new(question))
            changed.append(question)
    Question.objects.bulk_update(changed, ["curriculum_fingerprint"], batch_size=500)


def refingerprint_backwards(apps, schema_editor):
    refingerprint(apps, schema_editor, old=_by_key, new=_by_id)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_lessonprogress_course_and_index"),
        ("quizzes", "0004_attempt_practice_and_recorded_index"),
    ]

    operations = [
        migrations.RunPython(refingerprint, refingerprint_backwards, elidable=True),
    ]
