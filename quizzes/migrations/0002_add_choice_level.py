"""Wrong choices get a level (partly right, wrong, harmful) for the result page's wording.

The curriculum loader now fingerprints `level` with a choice's other fields. A choice whose
stored fingerprint matches its content (no administrator edited it) gets the fingerprint of
the same content with an empty level, so that the next load updates it instead of keeping
it as if it had been edited. The hash is the loader's (courses.entries.digest), copied
here because a migration must not change when the code it once ran changes.
"""

import hashlib
import json

from django.db import migrations, models

OLD_FIELDS = ("is_correct", "text_fr", "text_en", "feedback_fr", "feedback_en")
NEW_FIELDS = ("is_correct", "level", "text_fr", "text_en", "feedback_fr", "feedback_en")


def _normal(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value


def _digest(choice, fields):
    pairs = [[name, _normal(getattr(choice, name))] for name in fields]
    payload = json.dumps(pairs, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def refingerprint(apps, schema_editor, old_fields=OLD_FIELDS, new_fields=NEW_FIELDS):
    Choice = apps.get_model("quizzes", "Choice")
    changed = []
    for choice in Choice.objects.exclude(curriculum_fingerprint="").iterator():
        if choice.curriculum_fingerprint == _digest(choice, old_fields):
            choice.curriculum_fingerprint = _digest(choice, new_fields)
            changed.append(choice)
    Choice.objects.bulk_update(changed, ["curriculum_fingerprint"], batch_size=500)


def refingerprint_backwards(apps, schema_editor):
    refingerprint(apps, schema_editor, old_fields=NEW_FIELDS, new_fields=OLD_FIELDS)


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0001_initial_quizzes"),
    ]

    operations = [
        migrations.AddField(
            model_name="choice",
            name="level",
            field=models.CharField(
                blank=True,
                choices=[("partly", "Partly right"), ("wrong", "Wrong"), ("harmful", "Harmful")],
                default="",
                help_text=(
                    "For a wrong choice: partly right, wrong, or harmful (it could hurt the "
                    "person). Leave empty for a right choice."
                ),
                max_length=10,
                verbose_name="kind of wrong answer",
            ),
        ),
        migrations.AddConstraint(
            model_name="choice",
            constraint=models.CheckConstraint(
                condition=models.Q(("is_correct", False), ("level", ""), _connector="OR"),
                name="quizzes_choice_right_has_no_level",
                violation_error_message=(
                    "A right choice has no kind of wrong answer: leave “kind of wrong answer” "
                    "empty."
                ),
            ),
        ),
        migrations.RunPython(refingerprint, refingerprint_backwards, elidable=True),
    ]
