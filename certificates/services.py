"""Writes of the certificates app: issue, revoke, correct the name, renew."""

import calendar
import datetime
import logging
import unicodedata

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certificates import codes
from certificates.models import Certificate, CertificateNameChange, Status
from courses import services as course_services
from courses.models import Enrollment

logger = logging.getLogger(__name__)

ERROR_REASON_REQUIRED = _("Give the reason for revoking this certificate.")
ERROR_ALREADY_REVOKED = _("This certificate is already revoked.")
ERROR_NAME_REQUIRED = _("Enter the holder's name.")
ERROR_NAME_UNCHANGED = _("This is already the name on the certificate.")
ERROR_REVOKED_NAME = _("A revoked certificate cannot be reissued.")
ERROR_NOT_RENEWABLE = _(
    "This certificate can be renewed only when it has expired or expires within 30 days."
)

# Two codes drawn from 2^80 colliding is all but impossible; a few tries cover it.
CODE_ATTEMPTS = 5


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the last day of that month if it is shorter
    (31 January + 1 month = 28 or 29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _issuing_organization(*, user, course):
    try:
        from organizations.selectors import issuing_organization_for
    except ImportError:  # The organizations app is not installed or not built yet.
        return None
    return issuing_organization_for(user=user, course=course)


def _clean_name(name: str) -> str:
    # NFC: a name typed with combining accents draws with the font's composed glyphs.
    return unicodedata.normalize("NFC", " ".join(name.split()))


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
    certificate = Certificate(
        holder=holder,
        course=course,
        enrollment=enrollment,
        cycle=enrollment.cycle,
        holder_name=_clean_name(holder.full_name),
        content_version=course.content_version,
        completed_at=completed_at,
        expires_on=add_months(timezone.localdate(completed_at), course.validity_months),
        organization=_issuing_organization(user=holder, course=course),
    )
    for _attempt in range(CODE_ATTEMPTS):
        certificate.code = codes.generate()
        try:
            with transaction.atomic():
                certificate.save(force_insert=True)
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
    return certificate


@transaction.atomic
def certificate_correct_name(*, certificate: Certificate, by, new_name: str) -> Certificate:
    """Reissue the certificate under a corrected name, with the same code, and record
    who changed what and when."""
    new_name = _clean_name(new_name)
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
    certificate.holder_name = new_name
    certificate.save(update_fields=["holder_name"])
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
    if certificate.status() not in (Status.EXPIRED, Status.EXPIRING):
        raise ValidationError(ERROR_NOT_RENEWABLE, code="not_renewable")
    return course_services.enrollment_restart(enrollment=enrollment)
