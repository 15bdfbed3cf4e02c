"""What the dashboard's table shows: its columns (and the sorts they offer), and the value
of each cell. The page, the CSV and the Excel exports take their cells from the same
`row_values()`, so they show the same values (each formatted for its medium)."""

import datetime
import functools
from dataclasses import dataclass
from typing import NamedTuple

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from supervision.selectors.statuses import Status


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    field: str  # the annotation sorted on

    @property
    def descending_key(self) -> str:
        return f"-{self.key}"


COLUMNS = [
    Column("name", _("Name"), "learner_sort"),
    Column("email", _("E-mail"), "learner_email"),
    Column("course", _("Course"), "course_title"),
    Column("status", _("Status"), "status_rank"),
    Column("progress", _("Progress (%)"), "progress"),
    Column("due", _("Due on"), "due_on"),
    Column("completed", _("Completed on"), "completed_at"),
    Column("expires", _("Certificate expires on"), "certificate_expires_on"),
    Column("activity", _("Last activity"), "last_activity_at"),
    Column("score", _("Best quiz score (%)"), "best_score"),
]
# Shown when the organization has units (a board's schools): the unit of each row, which
# is the organization that assigned the course (organizations.selectors.units).
UNIT_COLUMN = Column("unit", _("Unit"), "unit_name")
UNIT_POSITION = 2  # after the name and the e-mail
SORT_FIELDS = {column.key: column.field for column in [*COLUMNS, UNIT_COLUMN]}
SORT_CHOICES = [(column.key, column.label) for column in [*COLUMNS, UNIT_COLUMN]] + [
    (column.descending_key, column.label) for column in [*COLUMNS, UNIT_COLUMN]
]
DEFAULT_SORT = "status"
ROW_FIELDS = (
    "pk",
    "learner_id",
    "course_id",
    "organization_id",
    "unit_name",
    "learner_name",
    "learner_sort",
    "learner_email",
    "course_title",
    "status_rank",
    "progress",
    "due_on",
    "completed_at",
    "certificate_expires_on",
    "last_activity_at",
    "best_score",
)


def _text(value) -> str:
    """A cell of `row_values` as text: dates in ISO 8601 (2025-03-31), in both languages:
    unambiguous, and sorted correctly by a spreadsheet; times to the minute."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _local(value):
    return timezone.localtime(value) if value else None


@functools.cache
def _labels_in(language: str | None) -> tuple[str, ...]:
    with translation.override(language):
        return tuple(str(Status.labels[value]) for value in Status.values)


def status_labels() -> tuple[str, ...]:
    """The status labels in the current language, by rank (see `row_cells`)."""
    return _labels_in(translation.get_language())


def columns(*, units: bool = False) -> list[Column]:
    """The table's columns: with the unit's after the e-mail when `units` (the
    organization has units below it)."""
    if not units:
        return COLUMNS
    return [*COLUMNS[:UNIT_POSITION], UNIT_COLUMN, *COLUMNS[UNIT_POSITION:]]


def row_values(row: dict, labels: tuple[str, ...] | None = None, *, units: bool = False) -> list:
    """The value of each column for one row, typed: text, integers, dates (the day of
    completion in the current time zone), the last activity as a local datetime, None
    where blank. The page formats them for a reader (dates with the `date` filter), the
    Excel file writes them as typed cells, `row_cells` as text.

    `labels` are the `status_labels()`, which a caller formatting many rows looks up once
    (translating each row's label is a third of a 10,000-row export).
    """
    labels = labels or status_labels()
    completed_at = _local(row["completed_at"])
    values = [
        row["learner_name"],
        row["learner_email"],
        row["course_title"],
        labels[row["status_rank"]],
        row["progress"],
        row["due_on"],
        completed_at.date() if completed_at else None,
        row["certificate_expires_on"],
        _local(row["last_activity_at"]),
        row["best_score"],
    ]
    if units:
        values.insert(UNIT_POSITION, row["unit_name"])
    return values


def row_cells(
    row: dict, labels: tuple[str, ...] | None = None, *, units: bool = False
) -> list[str]:
    """The text of each column for one row, as the CSV export writes it (see `_text`)."""
    return [_text(value) for value in row_values(row, labels, units=units)]


def sort_headers(current: str, *, units: bool = False) -> list[dict]:
    """Each column's header: the link that sorts by it, and its aria-sort state."""
    headers = []
    for column in columns(units=units):
        if current == column.key:
            state, next_sort = "ascending", column.descending_key
        elif current == column.descending_key:
            state, next_sort = "descending", column.key
        else:
            state, next_sort = None, column.key
        headers.append({"column": column, "aria_sort": state, "next_sort": next_sort})
    return headers


class Cell(NamedTuple):
    """One cell of the page's table: its column, and its value from `row_values`."""

    key: str
    label: str
    value: object

    @property
    def is_date(self) -> bool:
        return isinstance(self.value, datetime.date)


def table_rows(rows, *, units: bool = False) -> list[dict]:
    """A page of `dashboard_rows` as the page shows it: its cells, the badge of the
    row's status, and the person's unit (their page is opened there)."""
    labels = status_labels()
    shown = columns(units=units)
    return [
        {
            "cells": [
                Cell(column.key, column.label, value)
                for column, value in zip(shown, row_values(row, labels, units=units), strict=True)
            ],
            "badge": Status.badges[Status.at(row["status_rank"])],
            "learner_id": row["learner_id"],
            "organization_id": row["organization_id"],
        }
        for row in rows
    ]


def header_cells(*, units: bool = False) -> list[str]:
    return [str(column.label) for column in columns(units=units)]
