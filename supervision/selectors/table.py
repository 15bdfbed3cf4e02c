"""What the dashboard's table shows: its columns (and the sorts they offer), and the text
of each cell. The page and the CSV export format their cells with the same `row_cells()`,
so they show the same values."""

import functools
from dataclasses import dataclass

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
SORT_FIELDS = {column.key: column.field for column in COLUMNS}
SORT_CHOICES = [(column.key, column.label) for column in COLUMNS] + [
    (column.descending_key, column.label) for column in COLUMNS
]
DEFAULT_SORT = "status"
ROW_FIELDS = (
    "pk",
    "learner_id",
    "course_id",
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


def _date(value) -> str:
    return value.isoformat() if value else ""


def _local_date(value) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


def _local_minute(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


@functools.cache
def _labels_in(language: str | None) -> tuple[str, ...]:
    with translation.override(language):
        return tuple(str(Status.labels[value]) for value in Status.values)


def status_labels() -> tuple[str, ...]:
    """The status labels in the current language, by rank (see `row_cells`)."""
    return _labels_in(translation.get_language())


def row_cells(row: dict, labels: tuple[str, ...] | None = None) -> list[str]:
    """The text of each column for one row, as both the page and the CSV show it.

    Dates are ISO 8601 (2025-03-31) in both languages: unambiguous, and sorted correctly
    by a spreadsheet. `labels` are the `status_labels()`, which a caller formatting many
    rows looks up once (translating each row's label is a third of a 10,000-row export).
    """
    labels = labels or status_labels()
    return [
        row["learner_name"],
        row["learner_email"],
        row["course_title"],
        labels[row["status_rank"]],
        str(row["progress"]),
        _date(row["due_on"]),
        _local_date(row["completed_at"]),
        _date(row["certificate_expires_on"]),
        _local_minute(row["last_activity_at"]),
        "" if row["best_score"] is None else str(row["best_score"]),
    ]


def sort_headers(current: str) -> list[dict]:
    """Each column's header: the link that sorts by it, and its aria-sort state."""
    headers = []
    for column in COLUMNS:
        if current == column.key:
            state, next_sort = "ascending", column.descending_key
        elif current == column.descending_key:
            state, next_sort = "descending", column.key
        else:
            state, next_sort = None, column.key
        headers.append({"column": column, "aria_sort": state, "next_sort": next_sort})
    return headers


def table_rows(rows) -> list[dict]:
    """A page of `dashboard_rows` as the page shows it: (column key, cell) pairs, and the
    badge of the row's status."""
    keys = [column.key for column in COLUMNS]
    labels = status_labels()
    return [
        {
            "cells": list(zip(keys, row_cells(row, labels), strict=True)),
            "badge": Status.badges[Status.at(row["status_rank"])],
        }
        for row in rows
    ]


def header_cells() -> list[str]:
    return [str(column.label) for column in COLUMNS]
