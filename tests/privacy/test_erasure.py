"""Closing an account and its erasure (privacy.erasure)."""

import datetime
import uuid
from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import models
from django.db.models import Avg, Count
from django.urls import reverse
from django.utils import timezone
from lti_tool.models import LtiRegistration, LtiUser

from accounts.models import User
from certificates.models import Certificate
from organizations.models import AuditEvent, Membership
from organizations.services import two_factor_reset
from privacy import erasure
from privacy.models import AccountClosure
from quizzes.models import Answer, Attempt
from tests.factories import PASSWORD, AdminFactory, two_factor_for
from tests.privacy.factories import EMAIL, NAME, person_with_records
from webhooks.models import WebhookDelivery, WebhookEndpoint
from xapi.models import LearnerAccount, LrsEndpoint, OutgoingStatement

pytestmark = pytest.mark.django_db

# Binary columns too: a copy of the person's data (privacy.DataExport) is a ZIP in a row.
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.BinaryField)


def traces(needles, *, allowed=()) -> list[str]:
    """Every text column of every model holding one of `needles`: ["app.Model.field"].
    `allowed`: ("app.Model", "field") pairs expected to hold them."""
    found = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            for field, value in zip(fields, row, strict=True):
                if isinstance(value, bytes | memoryview):
                    value = bytes(value).decode("utf-8", "replace")
                text = str(value).lower()
                if (model._meta.label, field) in allowed:
                    continue
                if any(needle.lower() in text for needle in needles):
                    found.append(f"{model._meta.label}.{field}")
    return sorted(set(found))


def item_figures(quiz) -> dict:
    """What item analysis and gain reports read: attempts, scores and answers per question."""
    attempts = Attempt.objects.filter(quiz=quiz).aggregate(n=Count("pk"), mean=Avg("score"))
    answers = list(
        Answer.objects.filter(attempt__quiz=quiz)
        .values("question_id", "is_correct")
        .annotate(n=Count("pk"))
        .order_by("question_id", "is_correct")
    )
    return {"attempts": attempts, "answers": answers}


def close_and_erase(world, certificates):
    closure = erasure.closure_request(user=world.person, certificates=certificates)
    erasure.account_erase(closure=closure)
    world.person.refresh_from_db()
    return closure


def test_the_world_names_the_person_before_erasure():
    """The scan finds the traces the fixture leaves (so that it can fail)."""
    person_with_records()
    assert "accounts.User.email" in traces([NAME, EMAIL])
    assert "organizations.AuditEvent.after" in traces([NAME])
    assert "admin.LogEntry.change_message" in traces([NAME])
    assert "privacy.DataExport.content" in traces([NAME])


def test_erasure_keeping_certificates_leaves_only_the_printed_name():
    """After erasure, no text column of any table holds the name or the address, except
    the name printed on the certificates kept verifiable."""
    world = person_with_records()
    close_and_erase(world, AccountClosure.Certificates.KEEP)

    assert traces([NAME, EMAIL], allowed={("certificates.Certificate", "holder_name")}) == []
    certificate = Certificate.objects.get(pk=world.certificate.pk)
    assert certificate.holder_name == NAME
    assert certificate.revoked_at is None


def test_a_kept_certificate_stays_verifiable_with_the_printed_name_only(client):
    world = person_with_records()
    close_and_erase(world, AccountClosure.Certificates.KEEP)

    response = client.get(reverse("verify:detail", args=[world.certificate.code]))

    assert response.status_code == 200
    assert NAME in response.text
    assert EMAIL not in response.text
    assert b"revoked" not in response.content.lower()


def test_erasure_revoking_certificates_leaves_no_trace_at_all(client):
    world = person_with_records()
    close_and_erase(world, AccountClosure.Certificates.REVOKE)

    assert traces([NAME, EMAIL]) == []
    certificate = Certificate.objects.get(pk=world.certificate.pk)
    assert certificate.revoked_at is not None
    response = client.get(
        reverse("verify:detail", args=[certificate.code]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert NAME not in response.text


def test_erasure_deletes_the_persons_two_factor_and_the_name_in_its_reset():
    world = person_with_records()
    secret, _codes = two_factor_for(world.person)
    two_factor_reset(user=world.person, by=AdminFactory(), reason="Téléphone perdu")
    secret, _codes = two_factor_for(world.person)
    assert traces([secret, NAME]) != []
    close_and_erase(world, AccountClosure.Certificates.REVOKE)

    assert not Authenticator.objects.filter(user=world.person).exists()
    assert traces([secret, NAME, EMAIL]) == []
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.TWO_FACTOR_RESET).exists()


def test_erasure_pseudonymises_the_account_and_ends_its_memberships():
    world = person_with_records()
    close_and_erase(world, AccountClosure.Certificates.KEEP)

    person = User.objects.get(pk=world.person.pk)
    assert person.full_name == ""
    assert person.email.endswith("@erased.invalid")
    assert not person.is_active
    assert not person.has_usable_password()
    assert not Membership.objects.filter(user=person).exists()
    closed = AuditEvent.objects.get(kind=AuditEvent.Kind.ACCOUNT_CLOSED)
    assert (closed.organization, closed.subject_label, closed.actor_label) == (world.org, "", "")
    assert Membership.objects.filter(user=world.other).exists()  # nobody else's


def test_erasure_leaves_item_analysis_figures_unchanged():
    world = person_with_records()
    before = item_figures(world.quiz)
    assert before["attempts"]["n"] == 3

    close_and_erase(world, AccountClosure.Certificates.REVOKE)

    assert item_figures(world.quiz) == before


def test_erasure_keeps_the_knowledge_checks_figures_tied_to_no_one():
    from assessments.models import Answer as CheckAnswer
    from assessments.models import Attempt as CheckAttempt
    from privacy import export
    from tests.privacy.factories import intertwined_people

    people = intertwined_people()
    alice = people.alice
    figures = sorted(CheckAttempt.objects.values_list("phase", "form", "correct_count"))
    answers = CheckAnswer.objects.count()

    closure = erasure.closure_request(user=alice, certificates="keep")
    assert erasure.account_erase(closure=closure)

    assert not CheckAttempt.objects.filter(learner=alice).exists()
    assert CheckAttempt.objects.filter(learner=people.bruno).count() == 2  # nobody else's
    assert sorted(CheckAttempt.objects.values_list("phase", "form", "correct_count")) == figures
    assert CheckAnswer.objects.count() == answers
    assert export.export_collect(user=alice)["knowledge_checks"] == []


def test_erasure_signs_the_person_out_everywhere(client):
    world = person_with_records()
    client.force_login(world.person)
    assert client.get(reverse("accounts:profile")).status_code == 200

    close_and_erase(world, AccountClosure.Certificates.KEEP)

    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    signed_in = client.post(reverse("login"), {"username": EMAIL, "password": PASSWORD})
    assert signed_in.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session


def test_erasure_runs_once():
    world = person_with_records()
    closure = close_and_erase(world, AccountClosure.Certificates.KEEP)
    erased_email = world.person.email

    assert erasure.account_erase(closure=closure) is False
    world.person.refresh_from_db()
    assert world.person.email == erased_email
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCOUNT_CLOSED).count() == 1


def test_the_command_erases_only_accounts_past_their_grace_period(settings):
    settings.REPERE_ERASURE_GRACE_DAYS = 30
    world = person_with_records()
    closure = erasure.closure_request(user=world.person, certificates="keep")
    waiting = erasure.closure_request(user=world.other, certificates="keep")
    AccountClosure.objects.filter(pk=closure.pk).update(
        erase_after=timezone.now() - datetime.timedelta(seconds=1)
    )

    out = StringIO()
    call_command("erase_accounts", stdout=out)

    assert "1 account(s) erased." in out.getvalue()
    assert AccountClosure.objects.get(pk=closure.pk).state == AccountClosure.State.DONE
    assert AccountClosure.objects.get(pk=waiting.pk).state == AccountClosure.State.PENDING
    assert User.objects.get(pk=world.other.pk).full_name == "Olivier Autre"


def test_a_kept_account_is_not_erased():
    world = person_with_records()
    erasure.closure_request(user=world.person, certificates="keep")
    assert erasure.closure_cancel(user=world.person)

    assert erasure.accounts_erase_due(now=timezone.now() + datetime.timedelta(days=365)) == 0
    assert User.objects.get(pk=world.person.pk).full_name == NAME


def test_closing_twice_or_an_administrator_is_refused():
    world = person_with_records()
    erasure.closure_request(user=world.person, certificates="keep")
    with pytest.raises(ValidationError) as twice:
        erasure.closure_request(user=world.person, certificates="keep")
    assert twice.value.messages == [str(erasure.ERROR_ALREADY_CLOSING)]
    with pytest.raises(ValidationError):
        erasure.closure_request(user=AdminFactory(), certificates="keep")


def test_erasure_deletes_what_the_organizations_systems_hold_of_the_person():
    """Webhook payloads name the person; the xAPI identifier links statements to them; the
    LMS's record of them (LTI) holds their name and address: after erasure, none is left,
    and a statement still waiting to leave does not leave."""
    world = person_with_records()
    org = world.person.memberships.get().organization
    endpoint = WebhookEndpoint.objects.create(
        organization=org, url="https://hr.example.org/hooks", events=["course.completed"]
    )
    named = WebhookDelivery.objects.create(
        endpoint=endpoint, event="course.completed",
        payload={"type": "course.completed", "data": {"learner": {
            "id": world.person.pk, "email": EMAIL, "name": NAME}}},
    )  # fmt: skip
    other = WebhookDelivery.objects.create(
        endpoint=endpoint, event="course.completed",
        payload={"type": "course.completed", "data": {"learner": {"id": world.person.pk + 1}}},
    )  # fmt: skip
    lrs = LrsEndpoint.objects.create(
        organization=org, statements_url="https://lrs.example.org/xAPI/statements",
        key="k", secret="s",
    )  # fmt: skip
    account = LearnerAccount.objects.create(user=world.person, organization=org)
    OutgoingStatement.objects.create(
        endpoint=lrs, statement_id=uuid.uuid4(), verb="completed",
        statement={"actor": {"account": {"name": str(account.name)}}},
    )  # fmt: skip
    registration = LtiRegistration.objects.create(
        name="Moodle", issuer="https://lms.example.org", client_id="c",
        auth_url="https://lms.example.org/auth", token_url="https://lms.example.org/token",
        keyset_url="https://lms.example.org/jwks",
    )  # fmt: skip
    LtiUser.objects.create(
        registration=registration, sub="lms-42", name=NAME, email=EMAIL, auth_user=world.person
    )
    assert "webhooks.WebhookDelivery.payload" in traces([NAME, EMAIL])
    assert "lti_tool.LtiUser.email" in traces([EMAIL])

    close_and_erase(world, AccountClosure.Certificates.REVOKE)

    assert traces([NAME, EMAIL]) == []
    assert not WebhookDelivery.objects.filter(pk=named.pk).exists()
    assert WebhookDelivery.objects.filter(pk=other.pk).exists()
    assert not LearnerAccount.objects.filter(user=world.person).exists()
    assert not OutgoingStatement.objects.filter(statement__actor__account__name=str(account.name))
    assert not LtiUser.objects.exists()
