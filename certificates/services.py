"""Writes of the certificates app: issue, revoke, correct the name, renew."""

import calendar
import contextlib
import contextvars
import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import Email, email_queue, email_to
from certificates import codes, signals, status
from certificates.credentials import recipient
from certificates.models import Certificate, CertificateNameChange, CertificateNameRequest
from certificates.names import clean_name
from courses import hooks
from courses import services as course_services
from courses.models import Enrollment
from organizations.models import AuditEvent, Membership
from organizations.selectors import issuing_organization_for
from organizations.services import audit_record

logger = logging.getLogger(__name__)

ERROR_REASON_REQUIRED = _("Give the reason for revoking this certificate.")
ERROR_ALREADY_REVOKED = _("This certificate is already revoked.")
ERROR_NAME_REQUIRED = _("Enter the holder's name.")
ERROR_NAME_UNCHANGED = _("This is already the name on the certificate.")
ERROR_REVOKED_NAME = _("A revoked certificate cannot be reissued.")
ERROR_NAME_ALREADY_RIGHT = _("Your certificate already carries the name on your account.")


def _not_renewable_text() -> str:
    return gettext(
        "This certificate can be renewed only when it has expired or expires %(within_days)s."
    ) % {"within_days": status.within_expiring_days()}


# Read when shown: in the reader's language, with the window the setting gives.
ERROR_NOT_RENEWABLE = lazy(_not_renewable_text, str)()

# Two codes drawn from 2^80 colliding is all but impossible; a few tries cover it.
CODE_ATTEMPTS = 5


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the last day of that month if it is shorter
    (31 January + 1 month = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def certificate_languages(*, holder, course) -> tuple[str, ...]:
    """Both languages when the course says so (the holder's first), else the holder's."""
    known = [code for code, _name in settings.LANGUAGES]
    primary = holder.preferred_language if holder.preferred_language in known else None
    primary = primary or settings.LANGUAGE_CODE
    if course.bilingual_certificate:
        return (primary, *[code for code in known if code != primary])
    return (primary,)


def certificate_snapshot(*, holder, course, organization) -> dict:
    """What a certificate prints and signs, as it stands now: copied onto the certificate
    when it is issued and never read live again."""
    salt = recipient.new_salt()
    return {
        "holder_name": clean_name(holder.full_name),
        "course_title_fr": course.title_fr or course.title,
        "course_title_en": course.title_en or "",
        "organization_name": organization.name if organization is not None else "",
        "languages": ",".join(certificate_languages(holder=holder, course=course)),
        "recipient_salt": salt,
        "recipient_hash": recipient.identity_hash(holder.email, salt),
        "content_version": course.content_version,
    }


@transaction.atomic
def certificate_issue(*, enrollment: Enrollment) -> Certificate:
    """The certificate of the enrollment's current, completed cycle, issued if need be.

    Called inside the transaction that completed the cycle. Exactly one certificate per
    enrollment and cycle: the database constraint decides between concurrent callers,
    and the loser gets the winner's certificate.
    """
    existing = Certificate.objects.filter(enrollment=enrollment, cycle=enrollment.cycle).first()
    if existing is not None:
        return existing
    course, holder = enrollment.course, enrollment.learner
    completed_at = enrollment.completed_at or timezone.now()
    organization = issuing_organization_for(user=holder, course=course)
    certificate = Certificate(
        holder=holder,
        course=course,
        enrollment=enrollment,
        cycle=enrollment.cycle,
        completed_at=completed_at,
        expires_on=add_months(timezone.localdate(completed_at), course.validity_months),
        organization=organization,
        **certificate_snapshot(holder=holder, course=course, organization=organization),
    )
    for _attempt in range(CODE_ATTEMPTS):
        certificate.code = codes.generate()
        try:
            with transaction.atomic():
                certificate.save(force_insert=True)
            hooks.progress_changed_for(learner_ids=[holder.pk], course_ids=[course.pk])
            signals.certificate_issued.send(sender=Certificate, certificate=certificate)
            return certificate
        except IntegrityError:
            certificate.pk = None
            existing = Certificate.objects.filter(
                enrollment=enrollment, cycle=enrollment.cycle
            ).first()
            if existing is not None:
                return existing
            logger.warning("Certificate code collision; drawing another code.")
    raise RuntimeError("Could not draw a unique certificate code.")


def _completion_message(certificate: Certificate) -> Email:
    def context():
        return {
            "certificate": certificate,
            "course_title": certificate.course_title(translation.get_language()),
            "completion_url": settings.SITE_URL
            + reverse("courses:course_completed", kwargs={"slug": certificate.course.slug}),
            "pdf_url": settings.SITE_URL + reverse("certificates:pdf", args=[certificate.pk]),
            "png_url": settings.SITE_URL + reverse("certificates:png", args=[certificate.pk]),
            "verify_url": settings.SITE_URL + certificate.get_absolute_url(),
        }

    return email_to(
        certificate.holder,
        "certificates/email/course_completed",
        context,
        key=f"course-completed:{certificate.pk}",
    )


# Off while the demo's sample people complete the course: they have no mailbox.
_completion_emails = contextvars.ContextVar("completion_emails", default=True)


@contextlib.contextmanager
def completion_emails_off():
    """Completions inside this block issue their certificates without e-mailing anyone."""
    token = _completion_emails.set(False)
    try:
        yield
    finally:
        _completion_emails.reset(token)


@transaction.atomic
def certificate_issue_on_completion(*, enrollment: Enrollment) -> Certificate:
    """Issue the certificate of the cycle just completed and tell the learner by e-mail,
    in the transaction that completed it: both or neither. The e-mail's key is the
    certificate's, so a completion announced twice sends one e-mail."""
    certificate = certificate_issue(enrollment=enrollment)
    if _completion_emails.get():
        email_queue(emails=[_completion_message(certificate)])
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Revoke the certificate: it stays verifiable, as revoked; the reason stays private."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(ERROR_REASON_REQUIRED, code="reason_required")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise ValidationError(ERROR_ALREADY_REVOKED, code="already_revoked")
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason
    certificate.revoked_by = by
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    hooks.progress_changed_for(
        learner_ids=[certificate.holder_id], course_ids=[certificate.course_id]
    )
    audit_record(
        kind=AuditEvent.Kind.CERTIFICATE_REVOKED,
        actor=by,
        organization=certificate.organization,
        subject=certificate.holder,
        before={"certificate": certificate.display_code},
        after={"certificate": certificate.display_code},
        by_administrator=True,
    )
    signals.certificate_revoked.send(sender=Certificate, certificate=certificate)
    return certificate


@transaction.atomic
def certificate_correct_name(*, certificate: Certificate, by, new_name: str) -> Certificate:
    """Reissue the certificate under a corrected name, with the same code, and record
    who changed what and when."""
    new_name = clean_name(new_name)
    if not new_name:
        raise ValidationError(ERROR_NAME_REQUIRED, code="name_required")
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise ValidationError(ERROR_REVOKED_NAME, code="revoked")
    if new_name == certificate.holder_name:
        raise ValidationError(ERROR_NAME_UNCHANGED, code="unchanged")
    change = CertificateNameChange(
        certificate=certificate, old_name=certificate.holder_name, new_name=new_name, changed_by=by
    )
    change.full_clean()
    change.save()
    before = certificate.holder_name
    certificate.holder_name = new_name
    certificate.save(update_fields=["holder_name"])
    CertificateNameRequest.objects.filter(certificate=certificate, closed_at__isnull=True).update(
        closed_at=timezone.now()
    )
    audit_record(
        kind=AuditEvent.Kind.CERTIFICATE_RENAMED,
        actor=by,
        organization=certificate.organization,
        subject=certificate.holder,
        before={"name": before},
        after={"name": new_name},
        by_administrator=True,
    )
    return certificate


@transaction.atomic
def certificate_renew(*, certificate: Certificate) -> Enrollment:
    """Start the course again to earn a new certificate; the old one stays on record.

    Only the holder's latest certificate, once expired or expiring. Renewing twice does
    not restart the new cycle again.
    """
    enrollment = Enrollment.objects.select_for_update().get(pk=certificate.enrollment_id)
    certificate = Certificate.objects.get(pk=certificate.pk)  # as it is now, not as passed
    if enrollment.cycle > certificate.cycle:
        return enrollment  # Already renewing: keep the progress of the new cycle.
    if not certificate.renewable:
        raise ValidationError(ERROR_NOT_RENEWABLE, code="not_renewable")
    return course_services.enrollment_restart(enrollment=enrollment)


def _name_request_recipients(certificate: Certificate):
    """Administrators, and the supervisors of the issuing organization while the holder
    is still one of its members."""
    administrators = User.objects.filter(is_active=True, is_superuser=True)
    if certificate.organization_id is None:
        return list(administrators)
    supervisors = User.objects.filter(
        is_active=True,
        memberships__organization_id=certificate.organization_id,
        memberships__role="supervisor",
    ).filter(
        Exists(
            Membership.objects.filter(
                organization_id=certificate.organization_id, user_id=certificate.holder_id
            )
        )
    )
    return list((administrators | supervisors).distinct())


def _name_request_message(request: CertificateNameRequest, recipient) -> Email:
    certificate = request.certificate

    def context():
        return {
            "certificate": certificate,
            "request": request,
            "admin_url": settings.SITE_URL
            + reverse("admin:certificates_certificate_correct_name", args=[certificate.pk]),
            "administrator": recipient.is_superuser,
        }

    return email_to(recipient, "certificates/email/name_request", context)


@transaction.atomic
def certificate_name_request(*, certificate: Certificate, user) -> CertificateNameRequest:
    """The holder asks for their certificate under the name now on their account.

    One open request per certificate (asking again updates it). It reaches the
    administrators, who apply it with the name correction, and the issuing
    organization's supervisors.
    """
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise ValidationError(ERROR_REVOKED_NAME, code="revoked")
    name = clean_name(user.full_name)
    if name == certificate.holder_name:
        raise ValidationError(ERROR_NAME_ALREADY_RIGHT, code="unchanged")
    request, _created = CertificateNameRequest.objects.update_or_create(
        certificate=certificate, closed_at__isnull=True, defaults={"requested_name": name}
    )
    audit_record(
        kind=AuditEvent.Kind.CERTIFICATE_NAME_REQUESTED,
        actor=user,
        organization=certificate.organization,
        subject=user,
        before={"name": certificate.holder_name},
        after={"name": name},
    )
    recipients = _name_request_recipients(certificate)
    email_queue(emails=[_name_request_message(request, recipient) for recipient in recipients])
    return request
