# ReminderLog comes from the organizations app without its data moving: the state gains
# the model, on the table organizations/migrations/0001 created (organizations_reminderlog)
# with its once-a-day constraint, and the database is not touched. After
# organizations/0003, which removed the model from that app's state only, so a fresh
# database and an existing one reach the same schema.
#
# The model's content type is renamed too, so that permissions given on "reminders sent"
# keep applying (on a fresh database there is none yet: post_migrate creates it).

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def rename_content_type(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label='supervision', model='reminderlog').exists():
        ContentType.objects.using(db).filter(app_label='organizations', model='reminderlog').update(
            app_label='supervision'
        )


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label='organizations', model='reminderlog').exists():
        ContentType.objects.using(db).filter(app_label='supervision', model='reminderlog').update(
            app_label='organizations'
        )


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('contenttypes', '0002_remove_content_type_name'),
        ('organizations', '0003_reminderlog_moves_to_supervision'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ReminderLog',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sent_on', models.DateField(verbose_name='sent on')),
                        ('kind', models.CharField(choices=[('learner', 'Own training'), ('supervisor', 'Organization summary'), ('both', 'Own training and organization summary')], max_length=20, verbose_name='kind')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='created at')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminder_logs', to=settings.AUTH_USER_MODEL, verbose_name='person')),
                    ],
                    options={
                        'verbose_name': 'reminder sent',
                        'verbose_name_plural': 'reminders sent',
                        'db_table': 'organizations_reminderlog',
                        'ordering': ['-sent_on', 'pk'],
                        'constraints': [models.UniqueConstraint(fields=('user', 'sent_on'), name='organizations_reminder_once_a_day')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(rename_content_type, restore_content_type),
    ]
