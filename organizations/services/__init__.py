"""Writes of the organizations app, split by topic; import them from here."""

from organizations.services.assignments import (
    ERROR_COURSE_NOT_PUBLISHED,
    ERROR_NOBODY,
    ERROR_NOT_MEMBERS,
    AssignReport,
    assignments_create,
)
from organizations.services.members import (
    ERROR_IMPORT_RACE,
    ERROR_OWN_ROLE,
    ImportReport,
    MemberResult,
    Outcome,
    invitation_message,
    member_add,
    staff_import,
)

__all__ = [
    "ERROR_COURSE_NOT_PUBLISHED",
    "ERROR_IMPORT_RACE",
    "ERROR_NOBODY",
    "ERROR_NOT_MEMBERS",
    "ERROR_OWN_ROLE",
    "AssignReport",
    "ImportReport",
    "MemberResult",
    "Outcome",
    "assignments_create",
    "invitation_message",
    "member_add",
    "staff_import",
]
