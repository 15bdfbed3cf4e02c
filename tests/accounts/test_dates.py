"""Dates read the same everywhere, in the reader's language: "1er décembre 2026" (OQLF),
"December 1, 2026", on the pages, in the e-mails and on the certificates."""

import datetime

import pytest
from django.core import mail
from django.template import Context, Template
from django.utils import translation

from accounts.dates import date_format
from certificates.rendering import document_for
from supervision.services import reminders_send
from tests.certificates.factories import CertificateFactory
from tests.factories import CourseFactory
from tests.organizations.factories import AssignmentFactory, OrganizationFactory, staff_of

FIRST = datetime.date(2026, 12, 1)
SECOND = datetime.date(2026, 12, 2)
# 14:30 in Toronto on the first of December.
MOMENT = datetime.datetime(2026, 12, 1, 19, 30, tzinfo=datetime.UTC)
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "day", "expected"),
    [
        ("fr", FIRST, "1er décembre 2026"),
        ("fr", SECOND, "2 décembre 2026"),
        ("en", FIRST, "December 1, 2026"),
        ("en", SECOND, "December 2, 2026"),
    ],
)
def test_the_long_date_in_each_language(language, day, expected):
    with translation.override(language):
        assert date_format(day) == expected
        assert Template("{{ day|date }}").render(Context({"day": day})) == expected
        assert Template('{{ day|date:"DATE_FORMAT" }}').render(Context({"day": day})) == expected


@pytest.mark.parametrize(
    ("language", "name", "expected"),
    [
        ("fr", "DATETIME_FORMAT", f"1er décembre 2026 à 14{NBSP}h{NBSP}30"),
        ("en", "DATETIME_FORMAT", "December 1, 2026, 2:30 p.m."),
        ("fr", "SHORT_DATE_FORMAT", "1er déc. 2026"),
        ("en", "SHORT_DATE_FORMAT", "Dec. 1, 2026"),
        ("fr", "SHORT_DATETIME_FORMAT", f"1er déc. 2026, 14{NBSP}h{NBSP}30"),
        ("fr", "TIME_FORMAT", f"14{NBSP}h{NBSP}30"),
        ("en", "TIME_FORMAT", "2:30 p.m."),
    ],
)
def test_an_aware_moment_is_shown_in_local_time_in_every_format(language, name, expected):
    with translation.override(language):
        assert date_format(MOMENT, name) == expected
        rendered = Template(f'{{{{ moment|date:"{name}" }}}}').render(Context({"moment": MOMENT}))
        assert rendered == expected


def test_an_explicit_format_keeps_its_escaped_letters_and_iso_stays_iso():
    with translation.override("fr"):
        assert date_format(FIRST, "Y-m-d") == "2026-12-01"
        assert date_format(FIRST, r"\j j") == "j 1er"


def test_the_filter_leaves_empty_values_empty():
    assert Template("[{{ none|date }}]").render(Context({"none": None})) == "[]"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "completed", "valid_until"),
    [
        ("fr", "1er décembre 2026", "1er décembre 2027"),
        ("en", "December 1, 2026", "December 1, 2027"),
    ],
)
def test_my_certificates_shows_its_dates_like_every_page(client, language, completed, valid_until):
    certificate = CertificateFactory(completed_at=MOMENT, expires_on=datetime.date(2027, 12, 1))
    client.force_login(certificate.holder)
    page = client.get(f"/{language}/certificates/").content.decode()
    assert completed in page
    assert valid_until in page


@pytest.mark.django_db
def test_a_bilingual_certificate_writes_the_first_of_the_month_in_each_language():
    certificate = CertificateFactory(
        completed_at=MOMENT, expires_on=datetime.date(2027, 12, 1), languages="fr,en"
    )
    values = dict(document_for(certificate).details)
    assert values["Terminé le / Completed on"] == "1er décembre 2026 / December 1, 2026"
    assert values["Valide jusqu’au / Valid until"] == "1er décembre 2027 / December 1, 2027"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "1er novembre 2025"), ("en", "November 1, 2025")]
)
def test_the_reminder_e_mail_writes_the_due_date_like_the_pages(language, expected):
    organization = OrganizationFactory()
    learner = staff_of(organization, preferred_language=language)
    course = CourseFactory(lessons=1)
    AssignmentFactory(
        organization=organization,
        learner=learner,
        course=course,
        due_on=datetime.date(2025, 11, 1),
    )
    reminders_send()
    (message,) = [message for message in mail.outbox if message.to == [learner.email]]
    assert expected in message.body
