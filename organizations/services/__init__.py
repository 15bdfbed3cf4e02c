"""Writes of the organizations app, split by topic; import them from here."""

from organizations.services.assignments import (
    ERROR_ASSIGNMENT_GONE,
    ERROR_COURSE_NOT_PUBLISHED,
    ERROR_NOBODY,
    ERROR_NOT_MEMBERS,
    AssignReport,
    UnitCount,
    assignment_change_due_date,
    assignment_remove,
    assignments_create,
    assignments_create_in_units,
)
from organizations.services.audit import audit_record
from organizations.services.imports import ERROR_IMPORT_RACE, ImportReport, staff_import
from organizations.services.invitations import (
    ERROR_NOT_PENDING,
    ERROR_TOO_MANY_INVITATIONS,
    invitation_accept,
    invitation_cancel,
    invitation_decline,
    invitation_message,
    invitation_resend,
)
from organizations.services.members import (
    MemberResult,
    Outcome,
    member_add,
    member_invitation_resend,
    never_signed_in,
)
from organizations.services.memberships import (
    ERROR_LAST_SUPERVISOR,
    ERROR_OWN_ROLE,
    membership_change_role,
    membership_end,
)
from organizations.services.sign_in import lms_account_join, sso_account_create, sso_account_link
from organizations.services.two_factor import two_factor_reset
from organizations.services.units import organization_move

__all__ = [
    "lms_account_join",
    "sso_account_create",
    "sso_account_link",
    "ERROR_ASSIGNMENT_GONE",
    "ERROR_COURSE_NOT_PUBLISHED",
    "ERROR_IMPORT_RACE",
    "ERROR_LAST_SUPERVISOR",
    "ERROR_NOBODY",
    "ERROR_NOT_MEMBERS",
    "ERROR_NOT_PENDING",
    "ERROR_OWN_ROLE",
    "ERROR_TOO_MANY_INVITATIONS",
    "AssignReport",
    "ImportReport",
    "MemberResult",
    "Outcome",
    "assignment_change_due_date",
    "assignment_remove",
    "assignments_create",
    "assignments_create_in_units",
    "UnitCount",
    "audit_record",
    "invitation_accept",
    "invitation_cancel",
    "invitation_decline",
    "invitation_message",
    "invitation_resend",
    "member_add",
    "member_invitation_resend",
    "never_signed_in",
    "organization_move",
    "membership_change_role",
    "membership_end",
    "staff_import",
    "two_factor_reset",
]
