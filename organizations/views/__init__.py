"""The organizations app's pages, split by who uses them: supervisors (staff,
assigning) and every member (their own organizations and invitations)."""

from organizations.views.assign import assign, organization_list
from organizations.views.audit import audit_log
from organizations.views.members import (
    invitation_cancel,
    invitation_resend,
    member_add,
    member_list,
    member_remove,
    member_role,
    staff_import,
)
from organizations.views.mine import (
    invitation_accept,
    invitation_decline,
    membership_leave,
    my_organizations,
)
from organizations.views.sign_in import saml_finish_acs, sign_in_link

__all__ = [
    "saml_finish_acs",
    "sign_in_link",
    "assign",
    "audit_log",
    "invitation_accept",
    "invitation_cancel",
    "invitation_decline",
    "invitation_resend",
    "member_add",
    "member_list",
    "member_remove",
    "member_role",
    "membership_leave",
    "my_organizations",
    "organization_list",
    "staff_import",
]
