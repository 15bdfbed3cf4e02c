"""Closing an account: the request, its cancellation, and the erasure after the grace period.

Erasure keeps the account's row, pseudonymised (no name, an address that cannot receive
mail, no usable password, inactive): the person's enrollments, lesson progress and quiz
attempts stay attached to it, so that item analysis, gain reports and the organizations'
past figures are unchanged, yet nothing links them to a person any longer. Everything
that names the person is deleted or blanked, in one transaction per account.
"""

import datetime
import uuid

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from lti_tool.models import LtiUser

from accounts.models import OutgoingEmail
from assessments.models import Attempt as CheckAttempt
from certificates.models import Certificate, CertificateNameChange, CertificateNameRequest
from certificates.services import certificate_revoke
from organizations.models import Assignment, AuditEvent, Invitation, Membership
from organizations.services.audit import audit_record
from privacy.models import AccountClosure, DataExport
from supervision.models import ReminderLog
from surveys.models import SurveyResponse
from webhooks.models import WebhookDelivery
from xapi.models import LearnerAccount, OutgoingStatement

User = get_user_model()

ERROR_ALREADY_CLOSING = _("This account is already being closed.")
ERROR_ADMINISTRATOR = _(
    "An administrator's account cannot be closed here: another administrator removes "
    "its rights first."
)
ERROR_REASON_REQUIRED = _("Say which written request this closure answers (its date, its channel).")
# Kept on the revoked certificate (never shown on the public page).
REVOKED_REASON = "Account closed at the holder's request."
ERASED_DOMAIN = "erased.invalid"  # .invalid never resolves (RFC 2606): nothing is delivered


def erasure_date(*, closure: AccountClosure) -> datetime.date:
    return timezone.localdate(closure.erase_after)


@transaction.atomic
def closure_request(
    *,
    user,
    certificates: str,
    by_administrator: bool = False,
    requested_by=None,
    reason: str = "",
    immediately: bool = False,
) -> AccountClosure:
    """Ask for the account to be closed once the grace period has passed (now, for an
    administrator acting on a written request with `immediately`)."""
    if user.is_staff or user.is_superuser:
        raise ValidationError(ERROR_ADMINISTRATOR, code="administrator")
    user = User.objects.select_for_update().get(pk=user.pk)
    if AccountClosure.objects.filter(user=user, state=AccountClosure.State.PENDING).exists():
        raise ValidationError(ERROR_ALREADY_CLOSING, code="already_closing")
    now = timezone.now()
    grace = datetime.timedelta(days=0 if immediately else settings.REPERE_ERASURE_GRACE_DAYS)
    closure = AccountClosure(
        user=user,
        certificates=certificates,
        requested_at=now,
        erase_after=now + grace,
        by_administrator=by_administrator,
        requested_by=requested_by,
        reason=reason.strip(),
    )
    if by_administrator and not closure.reason:
        raise ValidationError({"reason": ERROR_REASON_REQUIRED}, code="reason_required")
    closure.full_clean()
    closure.save()
    if immediately:
        account_erase(closure=closure)
    return closure


@transaction.atomic
def closure_cancel(*, user) -> bool:
    """Keep the account: the pending closure, if any, is cancelled. True if one was."""
    return bool(
        AccountClosure.objects.filter(user=user, state=AccountClosure.State.PENDING).update(
            state=AccountClosure.State.CANCELLED, cancelled_at=timezone.now()
        )
    )


def closure_pending(*, user) -> AccountClosure | None:
    """The person's closure waiting for its date, if any (one query)."""
    return AccountClosure.objects.filter(user=user, state=AccountClosure.State.PENDING).first()


def closures_due(*, now: datetime.datetime | None = None):
    return AccountClosure.objects.filter(
        state=AccountClosure.State.PENDING, erase_after__lte=now or timezone.now()
    ).order_by("erase_after", "pk")


def accounts_erase_due(*, now: datetime.datetime | None = None) -> int:
    """Erase every account whose grace period has passed, one transaction each (a failure
    leaves the others erased). Returns how many were erased now."""
    erased = 0
    for closure_id in list(closures_due(now=now).values_list("pk", flat=True)):
        closure = AccountClosure.objects.filter(pk=closure_id).first()
        if closure is not None and account_erase(closure=closure):
            erased += 1
    return erased


def _scrub_certificates(user, choice: str) -> None:
    certificates = list(Certificate.objects.filter(holder=user))
    if choice == AccountClosure.Certificates.REVOKE:
        for certificate in certificates:
            if certificate.revoked_at is None:
                certificate_revoke(certificate=certificate, by=None, reason=REVOKED_REASON)
        # Revoked, a certificate proves nothing about anyone: the name goes too, and the
        # hash of the address the Open Badges credential was issued to.
        Certificate.objects.filter(holder=user).update(
            holder_name="", recipient_salt="", recipient_hash=""
        )
    # Kept, a certificate shows the name printed on it and nothing else: the history of
    # its names and the pending requests to change it go.
    CertificateNameChange.objects.filter(certificate__holder=user).delete()
    CertificateNameRequest.objects.filter(certificate__holder=user).delete()


def _end_memberships(user) -> None:
    for membership in Membership.objects.filter(user=user).select_related("organization"):
        Assignment.objects.filter(
            organization_id=membership.organization_id, learner_id=user.pk
        ).delete()
        membership.delete()
        audit_record(
            kind=AuditEvent.Kind.ACCOUNT_CLOSED,
            actor=None,
            actor_label="",
            organization=membership.organization,
            subject=user,
            subject_label="",
            before={"role": membership.role},
            after={},
        )


def _scrub_records(user, email: str) -> None:
    names = Q(subject=user) | Q(subject_label__icontains=email)
    # Events about the person: who they were goes; that something happened stays.
    AuditEvent.objects.filter(names).update(subject_label="")
    AuditEvent.objects.filter(actor=user).update(actor_label="")
    AuditEvent.objects.filter(subject=user).exclude(
        kind__in=[AuditEvent.Kind.ROLE_CHANGED, AuditEvent.Kind.ACCOUNT_CLOSED]
    ).update(before={}, after={})
    OutgoingEmail.objects.filter(Q(user=user) | Q(recipient__iexact=email)).delete()
    ReminderLog.objects.filter(user=user).delete()
    # Survey answers: the comment (the person's own words) goes; the ratings stay in the
    # courses' aggregates, tied to no one.
    SurveyResponse.objects.filter(learner=user).update(learner=None, comment="")
    # Knowledge checks: the figures and answers stay in the courses' gain reports, tied to
    # no one (the check holds none of the person's own words).
    CheckAttempt.objects.filter(learner=user).update(learner=None)
    # Their links to identity providers (the claims a provider sent hold their name and
    # address; the tokens go with them) and allauth's record of their address: a new
    # sign-in through the provider would make a new account, not find this one.
    SocialAccount.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    # Two-factor: the app's secret and the recovery codes (the account can no longer sign in).
    Authenticator.objects.filter(user=user).delete()
    # django-axes' log of sign-ins (and of failures, and lockouts) keeps the address typed:
    # a provider sign-in through the sign-in page is logged too.
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        model.objects.filter(username__iexact=email).delete()
    # What left, or waits to leave, for the organizations' systems: the webhook payloads
    # name the person; the xAPI statements carry only their opaque name, whose link to the
    # account goes (a statement still waiting does not leave); the LMS's record of them
    # (its name, address and subject): a new launch would make a new account.
    WebhookDelivery.objects.filter(payload__data__learner__id=user.pk).delete()
    opaque = [
        str(name)
        for name in LearnerAccount.objects.filter(user=user).values_list("name", flat=True)
    ]
    if opaque:
        OutgoingStatement.objects.filter(statement__actor__account__name__in=opaque).delete()
    LearnerAccount.objects.filter(user=user).delete()
    LtiUser.objects.filter(auth_user=user).delete()
    # Copies of their data (the ZIP names them) and what happened to them.
    DataExport.objects.filter(user=user).delete()
    Invitation.objects.filter(email__iexact=email).delete()
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr="", change_message="")
    # Signed in elsewhere: those sessions end (the password's change would refuse them
    # anyway, at their next request).
    Session.objects.filter(session_key__in=_session_keys(user)).delete()


def _session_keys(user) -> list[str]:
    # Sessions are not indexed by user: decode the live ones (a few thousand at most).
    keys = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            keys.append(session.session_key)
    return keys


@transaction.atomic
def account_erase(*, closure: AccountClosure) -> bool:
    """Erase the closure's account, in one transaction. Idempotent: a closure already
    done (or cancelled meanwhile) changes nothing and returns False."""
    closure = AccountClosure.objects.select_for_update().filter(pk=closure.pk).first()
    if closure is None or closure.state != AccountClosure.State.PENDING:
        return False
    user = User.objects.select_for_update().get(pk=closure.user_id)
    email = user.email
    _scrub_certificates(user, closure.certificates)
    _end_memberships(user)
    _scrub_records(user, email)
    user.email = f"erased-{uuid.uuid4().hex}@{ERASED_DOMAIN}"
    user.full_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    closure.state = AccountClosure.State.DONE
    closure.erased_at = timezone.now()
    closure.save(update_fields=["state", "erased_at"])
    return True
