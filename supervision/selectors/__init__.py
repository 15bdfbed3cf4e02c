"""Reads of the supervision app, split by topic; import them from here."""

from organizations.selectors import PAGE_SIZE
from supervision.selectors.dashboard import (
    Totals,
    dashboard_certificates,
    dashboard_courses,
    dashboard_page,
    dashboard_rows,
    dashboard_totals,
)
from supervision.selectors.export import dashboard_export_rows, dashboard_export_values
from supervision.selectors.reminders import (
    Reminder,
    organizations_needing_attention,
    reminder_people,
    reminders_due,
)
from supervision.selectors.statuses import Status, assignment_rows
from supervision.selectors.table import (
    COLUMNS,
    DEFAULT_SORT,
    SORT_CHOICES,
    columns,
    header_cells,
    row_cells,
    row_values,
    sort_headers,
    status_labels,
    table_rows,
)

__all__ = [
    "PAGE_SIZE",
    "COLUMNS",
    "DEFAULT_SORT",
    "SORT_CHOICES",
    "Reminder",
    "Status",
    "Totals",
    "assignment_rows",
    "columns",
    "dashboard_certificates",
    "dashboard_courses",
    "dashboard_export_rows",
    "dashboard_export_values",
    "dashboard_page",
    "dashboard_rows",
    "dashboard_totals",
    "header_cells",
    "organizations_needing_attention",
    "reminder_people",
    "reminders_due",
    "row_cells",
    "row_values",
    "sort_headers",
    "status_labels",
    "table_rows",
]
