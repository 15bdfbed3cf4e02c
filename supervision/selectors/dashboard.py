"""The supervisors' dashboard: one row per (member, assigned course), computed in the database.

Everything a row shows — progress, status, last activity, best quiz score, certificate
expiry — is an annotation (subqueries, `Case`/`When`), so a page of the dashboard costs the
same few queries for ten staff as for ten thousand, and the CSV export streams the same
rows (selectors.export). The columns and cells are in selectors.table.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery

from certificates.models import Certificate
from courses.models import Course
from organizations.models import Assignment, Organization
from organizations.selectors import PAGE_SIZE
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


def _ordering(sort: str):
    descending = sort.startswith("-")
    field = SORT_FIELDS.get(sort.lstrip("-"), SORT_FIELDS[DEFAULT_SORT])
    expression = F(field).desc(nulls_last=True) if descending else F(field).asc(nulls_last=True)
    # Ties are broken by name (as a French reader sorts: accounts.names) then id, so that
    # pages never overlap or skip a row.
    return [expression, "learner_sort", "pk"]


def dashboard_rows(
    *,
    organization: Organization,
    course: Course | None = None,
    status: str = "",
    search: str = "",
    sort: str = DEFAULT_SORT,
    today: datetime.date | None = None,
    requirement_counts: dict[int, int] | None = None,
) -> QuerySet:
    """The dashboard's rows (dicts of ROW_FIELDS) under the given filters, sorted.

    The page paginates this queryset and the export iterates over it: they cannot differ.
    (`requirement_counts`: see statuses.assignment_rows.)
    """
    rows = assignment_rows(today=today, requirement_counts=requirement_counts)
    rows = rows.filter(organization=organization)
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
    shown = (
        dashboard_rows(organization=organization, **filters)
        .annotate(certificate_id=Subquery(shown_certificate().values("pk")[:1]))
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
    course: Course | None = None,
    today: datetime.date | None = None,
) -> Totals:
    """Counts per status for the organization (and course), in one query. The status
    filter and the search do not apply: the totals show the whole picture."""
    rows = assignment_statuses(today=today).filter(organization=organization)
    if course is not None:
        rows = rows.filter(course=course)
    counts = dict(
        rows.order_by()
        .values_list("status_rank")
        .annotate(n=Count("pk"))
        .values_list("status_rank", "n")
    )
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
    """The courses assigned in the organization (the course filter's choices)."""
    return Course.objects.filter(
        Exists(Assignment.objects.filter(organization=organization, course_id=OuterRef("pk")))
    )


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


def dashboard_page(*, organization: Organization, filters: dict, page_number) -> dict:
    """What the dashboard page shows under the valid `filters` (see `DashboardFilterForm`):
    the filters, the totals, the page of rows asked for, its table and the sort headers."""
    totals = dashboard_totals(organization=organization, course=filters["course"])
    rows = dashboard_rows(organization=organization, **filters)
    paginator = _CountedPaginator(rows, PAGE_SIZE, count=_known_count(totals, filters))
    page = paginator.get_page(page_number)
    return {
        "filters": filters,
        "totals": totals,
        "page": page,
        "table": table_rows(page.object_list),
        "headers": sort_headers(filters["sort"]),
    }
