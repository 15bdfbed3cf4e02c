"""The `data` of each event's payload, built when the event happens and never again.

Only what the receiving organization may know: ids, the learner's e-mail and name, the
course, the certificate's public verification address. Nothing of the learner's other
organizations, nor the private reason for a revocation.
"""

from django.conf import settings


def _learner(user) -> dict:
    return {"id": user.pk, "email": user.email, "name": user.full_name}


def _course(course) -> dict:
    return {
        "id": course.pk,
        "slug": course.slug,
        "title": {"fr": course.title_fr or course.title, "en": course.title_en or ""},
    }


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def course_completed(enrollment) -> dict:
    return {
        "enrollment": {
            "id": enrollment.pk,
            "cycle": enrollment.cycle,
            "completed_at": _iso(enrollment.completed_at),
        },
        "learner": _learner(enrollment.learner),
        "course": _course(enrollment.course),
    }


def certificate(certificate) -> dict:
    return {
        "certificate": {
            "id": certificate.pk,
            "code": certificate.display_code,
            "verification_url": settings.SITE_URL + certificate.get_absolute_url(),
            "holder_name": certificate.holder_name,
            "issued_at": _iso(certificate.issued_at),
            "expires_on": _iso(certificate.expires_on),
            "revoked_at": _iso(certificate.revoked_at),
        },
        "learner": _learner(certificate.holder),
        "course": _course(certificate.course),
    }


def assignment_overdue(assignment) -> dict:
    return {
        "assignment": {
            "id": assignment.pk,
            "due_on": _iso(assignment.due_on),
            "assigned_at": _iso(assignment.assigned_at),
        },
        "organization": {"id": assignment.organization_id, "name": assignment.organization.name},
        "learner": _learner(assignment.learner),
        "course": _course(assignment.course),
    }
