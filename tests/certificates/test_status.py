"""A certificate's status: the Python answer and the database's agree, at the edges of
the expiry window, whatever the window the setting gives."""

import datetime

import pytest
from django.utils import timezone, translation

from certificates import status
from certificates.models import Certificate, Status
from tests.certificates.factories import CertificateFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 15)


def offsets_around_the_edges(days: int) -> list[int]:
    """Days from today to the last valid day: either side of today and of the window's end."""
    return [-2, -1, 0, 1, days - 1, days, days + 1, days + 2]


@pytest.mark.parametrize("days", [30, 7, 1])
def test_python_and_sql_statuses_agree_around_the_window(settings, days):
    settings.REPERE_CERTIFICATE_EXPIRING_DAYS = days
    expected = {}
    for offset in offsets_around_the_edges(days):
        for revoked in (False, True):
            certificate = CertificateFactory(
                expires_on=TODAY + datetime.timedelta(days=offset),
                revoked_at=timezone.now() if revoked else None,
                revoked_reason="Erreur" if revoked else "",
            )
            expected[certificate.pk] = certificate.status(TODAY)
    in_sql = dict(
        Certificate.objects.annotate(computed=status.status_annotation(today=TODAY)).values_list(
            "pk", "computed"
        )
    )
    assert in_sql == expected


@pytest.mark.parametrize(
    ("offset", "revoked", "expected"),
    [
        (-1, False, Status.EXPIRED),
        (0, False, Status.EXPIRING),  # the last valid day is today
        (30, False, Status.EXPIRING),
        (31, False, Status.VALID),
        (-1, True, Status.REVOKED),  # revoked comes first, even once expired
        (365, True, Status.REVOKED),
    ],
)
def test_status_table_with_the_default_window(offset, revoked, expected):
    certificate = Certificate(
        expires_on=TODAY + datetime.timedelta(days=offset),
        revoked_at=timezone.now() if revoked else None,
    )
    assert certificate.status(TODAY) == expected


def test_the_window_is_the_setting(settings):
    certificate = Certificate(expires_on=TODAY + datetime.timedelta(days=10))
    settings.REPERE_CERTIFICATE_EXPIRING_DAYS = 9
    assert certificate.status(TODAY) == Status.VALID
    settings.REPERE_CERTIFICATE_EXPIRING_DAYS = 10
    assert certificate.status(TODAY) == Status.EXPIRING


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [("en", "within 1 day", "within 45 days"), ("fr", "d’ici 1 jour", "d’ici 45 jours")],
)
def test_the_window_is_written_with_the_settings_number(settings, language, one, many):
    text = status.within_expiring_days()  # lazy: read when shown, not when made
    with translation.override(language):
        settings.REPERE_CERTIFICATE_EXPIRING_DAYS = 1
        assert str(text) == one
        settings.REPERE_CERTIFICATE_EXPIRING_DAYS = 45
        assert str(text) == many
