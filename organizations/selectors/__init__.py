"""Reads of the organizations app, split by topic; import them from here."""

from organizations.selectors.access import (
    can_see_every_organization,
    invitation_get_for,
    invitation_get_manageable,
    invitations_for,
    issuing_organization_for,
    landing_page_for,
    member_get_manageable,
    membership_get_own,
    memberships_of,
    organization_get_manageable,
    organizations_manageable_by,
    organizations_supervised_by,
    sees_supervision_pages,
    supervisor_can_see_certificate,
    two_factor_required_for,
    user_supervises_any,
)
from organizations.selectors.assignments import due_dates_of
from organizations.selectors.audit import audit_events_of
from organizations.selectors.members import (
    PAGE_SIZE,
    invitations_pending,
    members_of,
    workplace_from_organization,
)
from organizations.selectors.sign_in import (
    provider_signs_in,
    sign_in_provider_for_app,
    sign_in_provider_for_email,
)
from organizations.selectors.units import (
    ancestor_ids_of,
    as_tree,
    has_units,
    unit_ids_in,
    unit_names_below,
    units_directly_below,
    units_in,
)

__all__ = [
    "ancestor_ids_of",
    "as_tree",
    "has_units",
    "unit_ids_in",
    "unit_names_below",
    "units_directly_below",
    "units_in",
    "two_factor_required_for",
    "provider_signs_in",
    "sign_in_provider_for_app",
    "sign_in_provider_for_email",
    "PAGE_SIZE",
    "audit_events_of",
    "can_see_every_organization",
    "due_dates_of",
    "invitation_get_for",
    "invitation_get_manageable",
    "invitations_for",
    "invitations_pending",
    "member_get_manageable",
    "membership_get_own",
    "memberships_of",
    "issuing_organization_for",
    "landing_page_for",
    "members_of",
    "organization_get_manageable",
    "organizations_manageable_by",
    "organizations_supervised_by",
    "sees_supervision_pages",
    "supervisor_can_see_certificate",
    "user_supervises_any",
    "workplace_from_organization",
]
