"""ReminderLog moved from organizations to supervision without its data moving."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from supervision.models import ReminderLog
from tests.factories import UserFactory

BEFORE_THE_MOVE = [
    ("supervision", None),
    ("organizations", "0002_invitations_audit_events_and_permission"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_a_reminder_logged_before_the_move_is_read_after_it_and_still_counts_once_a_day():
    learner = UserFactory()
    executor = _migrate(BEFORE_THE_MOVE)
    try:
        old_apps = executor.loader.project_state(BEFORE_THE_MOVE[1:]).apps
        OldReminderLog = old_apps.get_model("organizations", "ReminderLog")
        OldReminderLog.objects.create(
            user_id=learner.pk, sent_on=datetime.date(2025, 3, 4), kind="learner"
        )
    finally:
        executor = MigrationExecutor(connection)
        _migrate(executor.loader.graph.leaf_nodes())
    log = ReminderLog.objects.get()
    assert (log.user, log.sent_on, log.kind) == (learner, datetime.date(2025, 3, 4), "learner")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderLog.objects.create(user=learner, sent_on=datetime.date(2025, 3, 4), kind="both")
