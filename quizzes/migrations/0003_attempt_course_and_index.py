"""Each attempt records its quiz's course (which never changes), filled here for the
attempts already made, and an index on (learner, course, submitted_at) carrying the score:
the supervisors' dashboard finds a person's best score in a course since they joined an
organization from the index alone."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_course(apps, schema_editor):
    Quiz = apps.get_model("quizzes", "Quiz")
    Attempt = apps.get_model("quizzes", "Attempt")
    Attempt.objects.update(
        course_id=Subquery(Quiz.objects.filter(pk=OuterRef("quiz_id")).values("module__course_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_lessonprogress_course_and_index"),
        ("quizzes", "0002_add_choice_level"),
    ]

    operations = [
        migrations.AddField(
            model_name="attempt",
            name="course",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="courses.course",
                verbose_name="course",
            ),
        ),
        migrations.RunPython(fill_course, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="attempt",
            name="course",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="courses.course",
                verbose_name="course",
            ),
        ),
        migrations.AddIndex(
            model_name="attempt",
            index=models.Index(
                fields=["learner", "course", "submitted_at"],
                include=["score"],
                name="quizzes_attempt_course_idx",
            ),
        ),
    ]
