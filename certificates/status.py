"""A certificate's status: one definition, answered in Python and in SQL.

The rules, in order; the first that applies wins:

1. revoked — it has been revoked;
2. expired — its last valid day (`expires_on`) is before today;
3. expiring — its last valid day is at most `REPERE_CERTIFICATE_EXPIRING_DAYS` days from
   today (the setting; 30 by default): the holder can renew it;
4. valid.

`status_of()` reads the rules for one certificate in Python (`Certificate.status`);
`status_whens()` turns the same rules into `When` clauses for a `Case`, so that a query
answers for many rows at once (`status_annotation()` for certificates, the supervisors'
assignment statuses for their staff). A test checks that both agree around the edges.
"""

import datetime
import operator
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Case, CharField, Q, Value, When
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class Status(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


# The statuses in which the holder may renew the certificate (take the course again).
RENEWABLE = (Status.EXPIRED, Status.EXPIRING)


def expiring_days() -> int:
    """How many days before its expiry a certificate counts as expiring (the setting)."""
    return settings.REPERE_CERTIFICATE_EXPIRING_DAYS


def _within_days_text() -> str:
    days = expiring_days()
    return ngettext("within %(days)d day", "within %(days)d days", days) % {"days": days}


# "within 30 days", in the language active when it is read and with the setting's value.
within_expiring_days = lazy(_within_days_text, str)


@dataclass(frozen=True)
class Rule:
    """`<field> <lookup> value(today)` means `status`."""

    status: Status
    field: str
    lookup: str  # a Django lookup, also read in Python (see _COMPARE)
    value: Callable[[datetime.date], object]


RULES = (
    Rule(Status.REVOKED, "revoked_at", "isnull", lambda today: False),
    Rule(Status.EXPIRED, "expires_on", "lt", lambda today: today),
    Rule(
        Status.EXPIRING,
        "expires_on",
        "lte",
        lambda today: today + datetime.timedelta(days=expiring_days()),
    ),
)

_COMPARE = {
    "isnull": lambda value, isnull: (value is None) is isnull,
    "lt": operator.lt,
    "lte": operator.le,
}


def status_of(certificate, today: datetime.date) -> Status:
    """The status of one certificate (anything with `revoked_at` and `expires_on`)."""
    for rule in RULES:
        if _COMPARE[rule.lookup](getattr(certificate, rule.field), rule.value(today)):
            return rule.status
    return Status.VALID


def status_whens(
    *, today: datetime.date, fields: dict[str, str] | None = None, then: dict | None = None
) -> list[When]:
    """The rules as `When` clauses, in order, for a `Case`.

    `fields` maps the rules' fields to what the queryset calls them (for instance
    `{"expires_on": "certificate_expires_on"}`); a rule whose field is not mapped is left
    out, which is right only when no row can meet it (a subquery that already excludes
    revoked certificates). `then` maps each status to the clause's value (by default,
    the status itself); a status not in it is left out too.
    """
    fields = fields if fields is not None else {rule.field: rule.field for rule in RULES}
    then = then if then is not None else {rule.status: Value(rule.status.value) for rule in RULES}
    return [
        When(
            Q(**{f"{fields[rule.field]}__{rule.lookup}": rule.value(today)}), then=then[rule.status]
        )
        for rule in RULES
        if rule.field in fields and rule.status in then
    ]


def status_annotation(*, today: datetime.date) -> Case:
    """The status of each certificate of a queryset, as computed by the database."""
    return Case(
        *status_whens(today=today),
        default=Value(Status.VALID.value),
        output_field=CharField(),
    )
