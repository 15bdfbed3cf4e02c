"""Reads of the organizations app, split by topic; import them from here."""

from organizations.selectors.access import (
    can_see_every_organization,
    invitation_get_for,
    invitation_get_manageable,
    invitations_for,
    issuing_organization_for,
    member_get_manageable,
    membership_get_own,
    memberships_of,
    organization_get_manageable,
    organizations_manageable_by,
    organizations_supervised_by,
    supervisor_can_see_certificate,
    user_supervises_any,
)
from organizations.selectors.audit import audit_events_of
from organizations.selectors.dashboard import (
    COLUMNS,
    DEFAULT_SORT,
    PAGE_SIZE,
    SORT_CHOICES,
    Totals,
    dashboard_courses,
    dashboard_rows,
    dashboard_totals,
    header_cells,
    row_cells,
)
from organizations.selectors.members import invitations_pending, members_of
from organizations.selectors.statuses import EXPIRING_WITHIN_DAYS, Status, assignment_rows

__all__ = [
    "COLUMNS",
    "DEFAULT_SORT",
    "EXPIRING_WITHIN_DAYS",
    "PAGE_SIZE",
    "SORT_CHOICES",
    "Status",
    "Totals",
    "assignment_rows",
    "audit_events_of",
    "can_see_every_organization",
    "invitation_get_for",
    "invitation_get_manageable",
    "invitations_for",
    "invitations_pending",
    "member_get_manageable",
    "membership_get_own",
    "memberships_of",
    "dashboard_courses",
    "dashboard_rows",
    "dashboard_totals",
    "header_cells",
    "issuing_organization_for",
    "members_of",
    "organization_get_manageable",
    "organizations_manageable_by",
    "organizations_supervised_by",
    "row_cells",
    "supervisor_can_see_certificate",
    "user_supervises_any",
]
