"""An administrator's reset of a person's two-factor (a lost phone, lost recovery codes)."""

from allauth.mfa.models import Authenticator
from django.db import transaction

from accounts.models import User
from organizations.models import AuditEvent
from organizations.services.audit import audit_record

REASON_MAX_LENGTH = 500


@transaction.atomic
def two_factor_reset(*, user: User, by: User, reason: str) -> int:
    """Delete every authenticator of the person (app, passkeys, recovery codes) and record
    who did it, when and why, in the same transaction. The person sets two-factor up again
    at their next sign-in if it is required of them. Returns how many were deleted; nothing
    is recorded when there was none."""
    reason = reason.strip()[:REASON_MAX_LENGTH]
    if not reason:
        raise ValueError("A reset needs its reason.")
    kinds = sorted(
        set(Authenticator.objects.filter(user_id=user.pk).values_list("type", flat=True))
    )
    deleted, _ = Authenticator.objects.filter(user_id=user.pk).delete()
    if deleted:
        audit_record(
            kind=AuditEvent.Kind.TWO_FACTOR_RESET,
            actor=by,
            subject=user,
            before={"authenticators": ", ".join(kinds)},
            after={"reason": reason},
            by_administrator=True,
        )
    return deleted
