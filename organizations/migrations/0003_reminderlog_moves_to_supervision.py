# ReminderLog moved to the supervision app (supervision/migrations/0001). Only the state
# forgets it here: its table, organizations_reminderlog, its rows and its constraint stay
# as they are, and supervision's model keeps using them (db_table).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('organizations', '0002_invitations_audit_events_and_permission'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='ReminderLog')],
            database_operations=[],
        ),
    ]
