"""Nothing personal in server logs (issue 20): config.log_masking."""

import logging

import pytest
from django.conf import settings

from config.log_masking import PersonalDataFilter
from tests.factories import UserFactory


@pytest.fixture
def masked(caplog):
    """caplog's handler with the filter every handler of LOGGING has."""
    caplog.handler.addFilter(PersonalDataFilter())
    caplog.set_level(logging.INFO)
    return caplog


def test_every_handler_masks_personal_data():
    assert settings.LOGGING["filters"]["mask_personal"]["()"] == (
        "config.log_masking.PersonalDataFilter"
    )
    assert all(
        "mask_personal" in handler.get("filters", [])
        for handler in settings.LOGGING["handlers"].values()
    )


def test_email_addresses_are_masked_in_message_and_arguments(masked):
    logging.getLogger("repere.test").warning(
        "Could not send to %s (cc Camille.Roy+work@refuge.example.org)", "alice@example.org"
    )
    (record,) = masked.records
    assert record.getMessage() == "Could not send to ***@example.org (cc ***@refuge.example.org)"
    assert "alice" not in masked.text
    assert "Camille" not in masked.text


@pytest.mark.django_db
def test_an_accounts_name_passed_to_a_log_line_is_masked(masked):
    user = UserFactory(full_name="Noémie Bastarache", email="noemie@example.org")
    logging.getLogger("repere.test").info("Reminder for %s", user)
    assert masked.records[0].getMessage() == f"Reminder for user #{user.pk}"


@pytest.mark.django_db
def test_a_password_reset_link_that_is_not_found_does_not_log_its_token(client, masked):
    client.get("/fr/accounts/reset/MTIz/cxyz-0123456789abcdef0123456789abcdef/nope/")
    text = "\n".join(record.getMessage() for record in masked.records)
    assert "Not Found" in text
    assert "0123456789abcdef" not in text
    assert "/reset/***" in text


@pytest.mark.django_db
def test_a_data_export_link_does_not_log_its_token(client, masked):
    client.force_login(UserFactory())
    client.get("/fr/privacy/my-data/Zm9vYmFyLXNlY3JldC10b2tlbg/")  # 404: not theirs
    text = "\n".join(record.getMessage() for record in masked.records)
    assert "Not Found: /fr/privacy/my-data/***/" in text
    assert "Zm9vYmFyLXNlY3JldC10b2tlbg" not in text


@pytest.mark.django_db
def test_the_name_of_the_requests_person_is_masked(rf, masked):
    request = rf.get("/fr/")
    request.user = UserFactory(full_name="Noémie Bastarache")
    logging.getLogger("django.request").warning(
        "Refused for Noémie Bastarache", extra={"request": request}
    )
    assert masked.records[0].getMessage() == f"Refused for user #{request.user.pk}"


def test_token_in_a_query_string_is_masked(masked):
    logging.getLogger("django.request").warning("Bad Request: /fr/verify/?code=ABCD1234EFGH5678")
    assert masked.records[0].getMessage() == "Bad Request: /fr/verify/?code=***"
