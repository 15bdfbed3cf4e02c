"""Invitations are e-mail tasks: they leave with the data they point to, once, through
a real mail server, and a failed import sends none."""

import pytest
from django.db import transaction

from accounts.models import OutgoingEmail
from accounts.tasks import PASSWORD_TOKEN_PLACEHOLDER
from organizations import services
from organizations.csv_import import StaffRow
from organizations.models import Membership


def people(count):
    return [
        StaffRow(line=n + 2, full_name=f"Person {n}", email=f"p{n}@example.org", role=None,
                 language=None)
        for n in range(count)
    ]  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_queued_invitation_arrives_once_at_the_mail_server(
    org, supervisor, task_worker, smtp_server
):
    result = services.member_add(
        organization=org,
        email="alice@example.org",
        full_name="Alice Arsenault",
        role=None,
        language="fr",
        added_by=supervisor,
    )
    assert result.invitation_sent
    assert smtp_server.messages == []  # queued, not sent from the request
    task_worker()
    task_worker()
    (message,) = smtp_server.to("alice@example.org")
    body = message.get_payload(decode=True).decode()
    assert "Refuge Le Phare" in body
    assert "/accounts/reset/" in body
    assert PASSWORD_TOKEN_PLACEHOLDER not in body  # a real token, made as it left


@pytest.mark.django_db(transaction=True)
def test_an_import_that_succeeds_loses_no_invitation(org, supervisor, task_worker, smtp_server):
    services.staff_import(organization=org, rows=people(30), language="fr", added_by=supervisor)
    task_worker()
    assert sorted(message["To"] for message in smtp_server.messages) == sorted(
        f"p{n}@example.org" for n in range(30)
    )


@pytest.mark.django_db(transaction=True)
def test_an_import_rolled_back_with_its_transaction_sends_no_invitation(
    org, supervisor, task_worker, smtp_server
):
    def import_then_fail():
        with transaction.atomic():
            services.staff_import(
                organization=org, rows=people(5), language="fr", added_by=supervisor
            )
            raise RuntimeError("a later step of the same change failed")

    with pytest.raises(RuntimeError):
        import_then_fail()
    task_worker()
    assert smtp_server.messages == []
    assert not OutgoingEmail.objects.exists()
    assert Membership.objects.filter(organization=org).count() == 1  # the supervisor
