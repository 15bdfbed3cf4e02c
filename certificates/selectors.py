"""Reads of the certificates app, with who may see what."""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from certificates import codes
from certificates.models import Certificate, CertificateNameRequest
from certificates.names import clean_name
from courses.models import Enrollment
from organizations.selectors import can_see_every_organization, supervisor_can_see_certificate


def certificates_of(*, holder) -> QuerySet[Certificate]:
    """The holder's certificates, newest first, each with `superseded` (a later cycle of
    the same enrollment has its own certificate) and `name_requested` (a corrected name
    has been asked for and not applied yet)."""
    newer = Certificate.objects.filter(
        enrollment_id=OuterRef("enrollment_id"), cycle__gt=OuterRef("cycle")
    )
    return (
        Certificate.objects.filter(holder=holder)
        .select_related("course", "enrollment", "organization")
        .annotate(
            superseded=Exists(newer),
            name_requested=Exists(
                CertificateNameRequest.objects.filter(
                    certificate_id=OuterRef("pk"), closed_at__isnull=True
                )
            ),
        )
        .order_by("-issued_at", "-pk")
    )


def certificates_page(*, holder) -> list[Certificate]:
    """My certificates: `certificates_of(holder)`, each with `name_outdated` (the name on
    the account, written as a certificate writes it, is not the one it carries)."""
    name = clean_name(holder.full_name)
    certificates = list(certificates_of(holder=holder))
    for certificate in certificates:
        certificate.name_outdated = certificate.holder_name != name
    return certificates


def user_can_download(*, user, certificate: Certificate) -> bool:
    """The holder; people who see every organization; and supervisors of an organization
    that assigned the course to the holder, a member since before it was issued."""
    if not user.is_authenticated:
        return False
    if user.pk == certificate.holder_id or can_see_every_organization(user):
        return True
    return supervisor_can_see_certificate(supervisor=user, certificate=certificate)


def certificate_get_downloadable(*, user, pk: int) -> Certificate:
    """The certificate with what its rendering needs; 404 for anyone not allowed to see it."""
    certificate = (
        Certificate.objects.select_related("course", "holder", "organization").filter(pk=pk).first()
    )
    if certificate is None or not user_can_download(user=user, certificate=certificate):
        raise Http404
    return certificate


def certificate_get(*, pk: int) -> Certificate:
    """The certificate with its course and holder, for the admin's actions; 404 if none."""
    certificate = Certificate.objects.select_related("course", "holder").filter(pk=pk).first()
    if certificate is None:
        raise Http404
    return certificate


def certificate_for_code(*, code: str) -> Certificate | None:
    """The certificate with this (normalised) code, for the public verification page."""
    return Certificate.objects.select_related("course").filter(code=code).first()


def certificate_for_typed_code(*, code: str) -> Certificate | None:
    """The certificate of a code as typed or scanned (dashes, case), if it exists."""
    normalised = codes.normalise(code)
    return certificate_for_code(code=normalised) if normalised else None


def verification_facts(*, certificate: Certificate) -> dict:
    """What the public verification page says of the certificate: its `status` today,
    and its `course_titles` as issued, [(language, title)] in its languages."""
    return {
        "certificate": certificate,
        "status": certificate.status(),
        "course_titles": [
            (language, certificate.course_title(language))
            for language in certificate.language_codes
        ],
    }


def certificate_current(*, enrollment: Enrollment) -> Certificate | None:
    """The certificate of the enrollment's current cycle, if it has been issued."""
    if enrollment is None or enrollment.completed_at is None:
        return None
    return Certificate.objects.filter(enrollment=enrollment, cycle=enrollment.cycle).first()


def certificate_get_held(*, user, pk: int) -> Certificate:
    """One of the user's own certificates; 404 for anyone else's."""
    certificate = (
        Certificate.objects.select_related("course").filter(pk=pk, holder_id=user.pk).first()
    )
    if certificate is None:
        raise Http404
    return certificate


def revoked_certificate_ids(*, first: int, last: int) -> list[int]:
    """The ids, from `first` up to `last` excluded, of revoked certificates."""
    return list(
        Certificate.objects.filter(pk__gte=first, pk__lt=last, revoked_at__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
