"""The organizations app's models, split by topic; import them from here."""

from organizations.models.access import AuditEvent, Invitation
from organizations.models.organizations import (
    Assignment,
    Membership,
    Organization,
    Province,
)
from organizations.models.sign_in import SignInDomain, SignInProvider

__all__ = [
    "Assignment",
    "AuditEvent",
    "Invitation",
    "Membership",
    "Organization",
    "Province",
    "SignInDomain",
    "SignInProvider",
]
