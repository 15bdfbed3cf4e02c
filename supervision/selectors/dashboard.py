"""The supervisors' dashboard: one row per (member, assigned course), computed in the database.

Everything a row shows — progress, status, last activity, best quiz score, certificate
expiry — is an annotation (subqueries, `Case`/`When`), so a page of the dashboard costs the
same few queries for ten staff as for ten thousand, and the CSV export streams the same
rows (selectors.export). The columns and cells are in selectors.table.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from certificates.models import Certificate
from courses.models import Course
from organizations.models import Assignment, AuditEvent, Organization
from organizations.selectors import PAGE_SIZE, unit_ids_in, units_in
from supervision import summary
from supervision.selectors.statuses import (
    Status,
    assignment_rows,
    assignment_statuses,
    shown_certificate,
)
from supervision.selectors.table import (
    DEFAULT_SORT,
    ROW_FIELDS,
    SORT_FIELDS,
    sort_headers,
    table_rows,
)


def dashboard_scope(*, organization: Organization, unit: Organization | None = None) -> QuerySet:
    """The ids of the organizations whose rows the dashboard of `organization` shows, as a
    subquery: the organization and every unit below it (a board's schools), or only the
    units of `unit`, one of those (the unit filter). A `unit` of another tree selects
    nothing: the filter never reaches outside the organization."""
    if unit is None:
        return unit_ids_in(organization)
    return units_in(organization).filter(pk__in=unit_ids_in(unit)).order_by().values("pk")


def reads_summary() -> bool:
    """The dashboard reads the maintained summary (supervision.summary) rather than the
    live query: the REPERE_DASHBOARD_SUMMARY setting."""
    return settings.REPERE_DASHBOARD_SUMMARY


def _sort_field(sort: str) -> str:
    return SORT_FIELDS.get(sort.lstrip("-"), SORT_FIELDS[DEFAULT_SORT])


def _ordering(sort: str):
    descending = sort.startswith("-")
    field = _sort_field(sort)
    expression = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    # Ties are broken by name (as a French reader sorts: accounts.names) then id, so that
    # pages never overlap or skip a row.
    return [expression, "learner_sort", "pk"]


def dashboard_rows(
    *,
    organization: Organization,
    unit: Organization | None = None,
    course: Course | None = None,
    status: str = "",
    search: str = "",
    sort: str = DEFAULT_SORT,
    today: datetime.date | None = None,
    requirement_counts: dict[int, int] | None = None,
) -> QuerySet:
    """The dashboard's rows (dicts of ROW_FIELDS) under the given filters, sorted.

    The page paginates this queryset and the export iterates over it: they cannot differ.
    The rows of every unit below the organization are included (`dashboard_scope`).
    (`requirement_counts`: see statuses.assignment_rows.)
    """
    if reads_summary():
        rows = summary.summary_rows(today=today)
    else:
        rows = assignment_rows(today=today, requirement_counts=requirement_counts)
    rows = rows.filter(organization_id__in=dashboard_scope(organization=organization, unit=unit))
    if course is not None:
        rows = rows.filter(course=course)
    if status:
        rows = rows.filter(status_rank=Status.rank(status))
    if search:
        # Lower case here too: SQLite only folds the case of ASCII letters ("É").
        search = search.lower()
        rows = rows.filter(
            Q(learner__full_name__icontains=search) | Q(learner__email__icontains=search)
        )
    return rows.order_by(*_ordering(sort)).values(*ROW_FIELDS)


def dashboard_certificates(*, organization: Organization, **filters) -> QuerySet[Certificate]:
    """The certificates the dashboard shows under the same filters (see `dashboard_rows`):
    for each row, the latest certificate of the course not revoked, issued since the person
    joined — the one whose expiry the row shows. So each is a certificate that
    `supervisor_can_see_certificate` lets the organization's supervisors download: the
    holder a current member, the course assigned by the organization, issued since joining.
    """
    rows = dashboard_rows(organization=organization, **filters)
    if reads_summary():
        shown = rows.order_by().values("certificate_id")
    else:
        shown = (
            rows.annotate(certificate_id=Subquery(shown_certificate().values("pk")[:1]))
            .order_by()
            .values("certificate_id")
        )
    return Certificate.objects.filter(pk__in=shown).order_by("holder_name", "course_title_fr", "pk")


@dataclass
class StatusTotal:
    status: str
    label: str
    count: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.count / self.total) if self.total else 0

    @property
    def badge(self) -> str:
        return Status.badges[self.status]


@dataclass
class Totals:
    total: int
    by_status: list[StatusTotal]

    @property
    def trained(self) -> int:
        return sum(item.count for item in self.by_status if item.status in Status.TRAINED)

    @property
    def completion_rate(self) -> int:
        """Percentage of assignments completed with a certificate still valid."""
        return round(100 * self.trained / self.total) if self.total else 0


def dashboard_totals(
    *,
    organization: Organization,
    unit: Organization | None = None,
    course: Course | None = None,
    today: datetime.date | None = None,
) -> Totals:
    """Counts per status for the organization (and course), in one query. The status
    filter and the search do not apply: the totals show the whole picture."""
    statuses = summary.summary_statuses if reads_summary() else assignment_statuses
    rows = statuses(today=today).filter(
        organization_id__in=dashboard_scope(organization=organization, unit=unit)
    )
    if course is not None:
        rows = rows.filter(course=course)
    counts = dict(
        rows.order_by()
        .values_list("status_rank")
        .annotate(n=Count("pk"))
        .values_list("status_rank", "n")
    )
    return _totals_from(counts)


def _totals_from(counts: dict[int, int]) -> Totals:
    """The Totals of {status rank: number of rows}."""
    total = sum(counts.values())
    return Totals(
        total=total,
        by_status=[
            StatusTotal(
                status=value, label=label, count=counts.get(Status.rank(value), 0), total=total
            )
            for value, label in Status.choices
        ],
    )


def dashboard_courses(*, organization: Organization) -> QuerySet[Course]:
    """The courses assigned in the organization or a unit below it (the course filter's
    choices)."""
    assigned = Assignment.objects.filter(
        organization_id__in=unit_ids_in(organization), course_id=OuterRef("pk")
    )
    return Course.objects.filter(Exists(assigned))


class _CountedPaginator(Paginator):
    """A paginator told its count, when the totals already say it: counting the rows again
    would evaluate every row's status a second time."""

    def __init__(self, object_list, per_page, *, count: int | None):
        super().__init__(object_list, per_page)
        if count is not None:
            self.count = count  # replaces the cached property's query


def _known_count(totals: Totals, filters: dict) -> int | None:
    """The number of rows under the filters, if the totals tell it (no search)."""
    if filters["search"]:
        return None
    if filters["status"]:
        return next(item.count for item in totals.by_status if item.status == filters["status"])
    return totals.total


def _requested_page(page_number) -> int | None:
    """The page asked for, as `Paginator.get_page` reads it before knowing the count: 1 if
    it is not a number; None below 1 (the last page, which only the count tells)."""
    try:
        number = int(page_number)
    except (TypeError, ValueError):
        return 1
    return number if number >= 1 else None


# The keys of every row, computed once each, then counted by status and paged in one
# statement. MATERIALIZED keeps the databases from folding the keys into the outer query,
# which would repeat the status expression (and its lookups) in each count.
_PAGE_WITH_TOTALS_SQL = """
WITH keyed AS MATERIALIZED ({keys})
SELECT row_id, {counts}
FROM keyed
ORDER BY {sort_column} {direction} NULLS LAST, sort_name ASC, row_id ASC
LIMIT %s OFFSET %s
"""


def _page_with_totals(*, organization, filters, number: int, today) -> tuple | None:
    """(Totals, ids of the rows of page `number`) in one statement, when the page has no
    status filter and no search (the totals then count the same rows as the page): each
    row's status is evaluated once instead of twice (the totals, then the sort). None when
    the page is past the end (no row to carry the counts).

    Not for the sort by name: that page is read from the name index in a few rows, while
    this statement sorts every row."""
    field = _sort_field(filters["sort"])
    columns = {"row_id": F("pk"), "status_key": F("status_rank"), "sort_name": F("learner_sort")}
    if field != "status_rank":  # named once: SQL would evaluate the status twice
        columns["sort_value"] = F(field)
    keys = (
        dashboard_rows(
            organization=organization,
            unit=filters.get("unit"),
            course=filters["course"],
            today=today,
        )
        .order_by()
        .values(**columns)
    )
    keys_sql, params = keys.query.sql_with_params()
    counts = ", ".join(
        f"SUM(CASE WHEN status_key = {rank} THEN 1 ELSE 0 END) OVER ()"
        for rank in range(len(Status.values))
    )
    sql = _PAGE_WITH_TOTALS_SQL.format(
        keys=keys_sql,
        counts=counts,
        sort_column="sort_value" if "sort_value" in columns else "status_key",
        direction="DESC" if filters["sort"].startswith("-") else "ASC",
    )
    with connections[keys.db].cursor() as cursor:
        cursor.execute(sql, [*params, PAGE_SIZE, (number - 1) * PAGE_SIZE])
        found = cursor.fetchall()
    if not found:
        return None
    _row_id, *by_rank = found[0]
    counts = {rank: int(n) for rank, n in enumerate(by_rank) if n}
    return _totals_from(counts), [row[0] for row in found]


def dashboard_page(
    *, organization: Organization, filters: dict, page_number, units: bool = False
) -> dict:
    """What the dashboard page shows under the valid `filters` (see `DashboardFilterForm`):
    the filters, the totals, the page of rows asked for, its table and the sort headers;
    with the unit column when `units` (the organization has units below it).

    Two statements whatever the size of the staff: without a status filter, a search or
    the sort by name, the totals and the ids of the page's rows, then those rows'
    columns; otherwise the totals, then the page (and its count, with a search). A page
    past the end costs a third (the last page, read the second way).
    """
    today = timezone.localdate()
    rows = dashboard_rows(organization=organization, today=today, **filters)
    number = _requested_page(page_number)
    combined = None
    # By name, the page is the first rows of the name index: the totals apart are cheaper.
    if (
        number is not None
        and not filters["status"]
        and not filters["search"]
        and _sort_field(filters["sort"]) != "learner_sort"
    ):
        combined = _page_with_totals(
            organization=organization, filters=filters, number=number, today=today
        )
    if combined is not None:
        totals, ids = combined
        paginator = _CountedPaginator(rows, PAGE_SIZE, count=totals.total)
        page = paginator.page(number)
        by_id = {row["pk"]: row for row in rows.filter(pk__in=ids).order_by()}
        page.object_list = [by_id[pk] for pk in ids if pk in by_id]
    else:
        totals = dashboard_totals(
            organization=organization,
            unit=filters.get("unit"),
            course=filters["course"],
            today=today,
        )
        paginator = _CountedPaginator(rows, PAGE_SIZE, count=_known_count(totals, filters))
        page = paginator.get_page(page_number)
    return {
        "filters": filters,
        "totals": totals,
        "page": page,
        "table": table_rows(page.object_list, units=units),
        "headers": sort_headers(filters["sort"], units=units),
        "units": units,
        "closed_accounts": dashboard_closed_accounts(organization=organization),
    }


def dashboard_closed_accounts(*, organization: Organization) -> int:
    """How many of the members of the organization and its units closed their account
    (privacy erases them): the supervisors see that much of them, and nothing else. One
    query."""
    return AuditEvent.objects.filter(
        organization_id__in=unit_ids_in(organization), kind=AuditEvent.Kind.ACCOUNT_CLOSED
    ).count()
