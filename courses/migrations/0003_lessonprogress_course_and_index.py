"""Each lesson done records its course (the lesson's, which never changes), filled here for
the progress already recorded, and an index on (learner, course, completed_at): the
supervisors' dashboard counts a person's lessons done in a course since they joined an
organization without joining lessons and modules for every row."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_course(apps, schema_editor):
    Lesson = apps.get_model("courses", "Lesson")
    LessonProgress = apps.get_model("courses", "LessonProgress")
    LessonProgress.objects.update(
        course_id=Subquery(
            Lesson.objects.filter(pk=OuterRef("lesson_id")).values("module__course_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_add_course_former_slug"),
    ]

    operations = [
        migrations.AddField(
            model_name="lessonprogress",
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
            model_name="lessonprogress",
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
            model_name="lessonprogress",
            index=models.Index(
                fields=["learner", "course", "completed_at"], name="courses_progress_course_idx"
            ),
        ),
    ]
