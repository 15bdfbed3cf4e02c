"""Retention (privacy.retention): what is past its period is deleted, nothing younger.

Run on SQLite and on PostgreSQL (DATABASE_URL=postgres://…)."""

import datetime
import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import OutgoingEmail, User
from organizations.models import AuditEvent, Invitation
from privacy import erasure
from privacy.retention import retention_apply
from quizzes.models import Attempt
from supervision.models import ReminderLog
from tests.factories import UserFactory
from tests.organizations.factories import OrganizationFactory
from tests.quizzes.factories import AttemptFactory, SubmittedAttemptFactory
from tests.webhooks.factories import WebhookEndpointFactory
from webhooks.models import WebhookAttempt, WebhookDelivery
from xapi.models import LrsEndpoint, OutgoingStatement

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = datetime.timedelta(days=1)


def ages(days: int) -> tuple[datetime.datetime, datetime.datetime]:
    """(a day younger than the period, a day older)."""
    period = datetime.timedelta(days=days)
    return NOW - period + DAY, NOW - period - DAY


def test_audit_events_past_the_period_are_deleted(settings):
    young, old = ages(settings.REPERE_RETENTION_AUDIT_DAYS)
    kept = AuditEvent.objects.create(kind=AuditEvent.Kind.ROLE_CHANGED, occurred_at=young)
    AuditEvent.objects.create(kind=AuditEvent.Kind.ROLE_CHANGED, occurred_at=old)

    assert retention_apply(now=NOW)["audit_events"] == 1
    assert list(AuditEvent.objects.all()) == [kept]


def test_email_log_past_the_period_is_deleted_but_not_what_waits_to_leave(settings):
    young, old = ages(settings.REPERE_RETENTION_EMAIL_LOG_DAYS)

    def email(key, created_at, status=OutgoingEmail.Status.SENT):
        return OutgoingEmail.objects.create(
            idempotency_key=key,
            recipient="a@example.org",
            subject="s",
            body="b",
            created_at=created_at,
            status=status,
        )

    kept = [email("young", young), email("queued", old, OutgoingEmail.Status.QUEUED)]
    email("old", old)
    email("failed", old, OutgoingEmail.Status.FAILED)

    assert retention_apply(now=NOW)["emails"] == 2
    assert set(OutgoingEmail.objects.all()) == set(kept)


def test_webhook_deliveries_past_the_period_go_with_their_attempts_but_not_those_in_flight(
    settings,
):
    young, old = ages(settings.REPERE_RETENTION_WEBHOOK_DAYS)
    endpoint = WebhookEndpointFactory()
    Status = WebhookDelivery.Status

    def delivery(created_at, status):
        made = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event="course.completed",
            payload={"data": {"learner": {"email": "a@example.org"}}},
            created_at=created_at,
            status=status,
        )
        WebhookAttempt.objects.create(delivery=made, attempted_at=created_at, status_code=200)
        return made

    kept = [delivery(young, Status.DELIVERED), delivery(old, Status.RETRYING)]
    delivery(old, Status.DELIVERED)
    delivery(old, Status.FAILED)

    assert retention_apply(now=NOW)["webhook_deliveries"] == 2
    assert set(WebhookDelivery.objects.all()) == set(kept)
    assert WebhookAttempt.objects.count() == 2


def test_xapi_statements_past_the_period_are_deleted_but_not_those_waiting(settings):
    young, old = ages(settings.REPERE_RETENTION_XAPI_DAYS)
    lrs = LrsEndpoint.objects.create(
        organization=OrganizationFactory(),
        statements_url="https://lrs.example.org/xAPI/statements",
        key="k",
        secret="s",
    )
    Status = OutgoingStatement.Status

    def statement(created_at, status):
        return OutgoingStatement.objects.create(
            endpoint=lrs,
            statement_id=uuid.uuid4(),
            verb="completed",
            statement={},
            created_at=created_at,
            status=status,
        )

    kept = [statement(young, Status.SENT), statement(old, Status.QUEUED)]
    statement(old, Status.SENT)
    statement(old, Status.FAILED)

    assert retention_apply(now=NOW)["xapi_statements"] == 2
    assert set(OutgoingStatement.objects.all()) == set(kept)


def test_reminder_log_past_the_period_is_deleted(settings):
    young, old = ages(settings.REPERE_RETENTION_REMINDER_LOG_DAYS)
    person = UserFactory()
    kept = ReminderLog.objects.create(user=person, sent_on=young.date(), kind="learner")
    ReminderLog.objects.create(user=person, sent_on=old.date(), kind="learner")
    ReminderLog.objects.filter(pk=kept.pk).update(created_at=young)
    ReminderLog.objects.exclude(pk=kept.pk).update(created_at=old)

    assert retention_apply(now=NOW)["reminders"] == 1
    assert list(ReminderLog.objects.all()) == [kept]


def test_unanswered_invitations_past_the_period_are_deleted(settings):
    young, old = ages(settings.REPERE_RETENTION_INVITATION_DAYS)
    org = OrganizationFactory()

    def invitation(email, created_at, state=Invitation.State.PENDING):
        return Invitation.objects.create(
            organization=org, email=email, full_name="X", created_at=created_at, state=state
        )

    kept = [invitation("a@example.org", young), invitation("b@example.org", old, "accepted")]
    invitation("c@example.org", old)

    assert retention_apply(now=NOW)["invitations"] == 1
    assert set(Invitation.objects.all()) == set(kept)


def test_abandoned_attempts_past_the_period_are_deleted(settings):
    young, old = ages(settings.REPERE_RETENTION_OPEN_ATTEMPT_DAYS)
    open_young = AttemptFactory()
    open_old = AttemptFactory(quiz=open_young.quiz, learner=open_young.learner, cycle=2)
    submitted_old = SubmittedAttemptFactory(
        quiz=open_young.quiz, learner=open_young.learner, cycle=3
    )
    Attempt.objects.filter(pk=open_young.pk).update(started_at=young)
    Attempt.objects.filter(pk__in=[open_old.pk, submitted_old.pk]).update(started_at=old)

    assert retention_apply(now=NOW)["open_attempts"] == 1
    assert set(Attempt.objects.all()) == {open_young, submitted_old}


def test_accounts_never_signed_in_to_past_the_period_are_deleted(settings):
    young, old = ages(settings.REPERE_RETENTION_NEVER_ACTIVATED_DAYS)

    def invited(joined, **fields):
        user = UserFactory(date_joined=joined, **fields)
        user.set_unusable_password()
        user.save()
        return user

    gone = invited(old, full_name="Ginette Gone")
    kept = [
        invited(young),
        invited(old, last_login=old),  # signed in once
        UserFactory(date_joined=old),  # chose a password
        invited(old, is_staff=True),
    ]
    AuditEvent.objects.create(
        kind=AuditEvent.Kind.MEMBER_CREATED, subject=gone, subject_label="Ginette Gone"
    )

    assert retention_apply(now=NOW)["never_activated"] == 1
    assert set(User.objects.all()) == set(kept)
    assert AuditEvent.objects.get().subject_label == ""


def test_an_account_being_closed_is_left_to_erasure(settings):
    _, old = ages(settings.REPERE_RETENTION_NEVER_ACTIVATED_DAYS)
    user = UserFactory(date_joined=old)
    erasure.closure_request(user=user, certificates="keep")
    user.set_unusable_password()
    user.save()

    assert retention_apply(now=NOW)["never_activated"] == 0


def test_deletion_goes_in_batches_and_the_command_reports_counts(settings):
    _, old = ages(settings.REPERE_RETENTION_AUDIT_DAYS)
    AuditEvent.objects.bulk_create(
        [AuditEvent(kind=AuditEvent.Kind.ROLE_CHANGED, occurred_at=old) for _ in range(7)]
    )

    assert retention_apply(now=NOW, batch_size=3)["audit_events"] == 7
    assert not AuditEvent.objects.exists()

    AuditEvent.objects.create(kind=AuditEvent.Kind.ROLE_CHANGED, occurred_at=old)
    out = StringIO()
    call_command("apply_retention", "--batch-size", "2", stdout=out)
    assert "audit_events: 1 deleted" in out.getvalue()
    assert "never_activated: 0 deleted" in out.getvalue()
