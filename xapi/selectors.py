"""Reads of the xapi app."""

from courses.models import Enrollment
from xapi.models import LrsEndpoint

# The attribute under which an event's enrollment keeps its learner's endpoints, so that
# the events of one write (a lesson done that completes the course) ask the database once.
_MEMO = "_xapi_endpoints"


def endpoints_for(*, enrollment) -> list[LrsEndpoint]:
    """The active LRS of the organizations that have the enrollment's learner as a member
    and assigned them its course: an organization receives what its supervisors see (its
    members' progress on the courses it assigned, README "Who sees whom"), nothing more.

    One query (an empty list for nearly everyone), remembered on the enrollment object
    for the other events of the same write, which the services send with that object."""
    endpoints = getattr(enrollment, _MEMO, None)
    if endpoints is None:
        endpoints = list(
            LrsEndpoint.objects.filter(
                active=True,
                organization__memberships__user_id=enrollment.learner_id,
                organization__assignments__learner_id=enrollment.learner_id,
                organization__assignments__course_id=enrollment.course_id,
            ).order_by("pk")
        )
        setattr(enrollment, _MEMO, endpoints)
    return endpoints


def endpoints_for_many(*, course_id: int, learners) -> list[LrsEndpoint]:
    """The active LRS of the organizations that assigned the course to some of `learners`
    (a queryset of users) and have them as members: `endpoints_for` for many people at
    once, in one query (an empty list for nearly every organization)."""
    return list(
        LrsEndpoint.objects.filter(
            active=True,
            organization__assignments__course_id=course_id,
            organization__assignments__learner__in=learners,
        )
        .distinct()
        .order_by("pk")
    )


def enrollments_registered_in(*, endpoint: LrsEndpoint, course_id: int, learners):
    """The enrollments in the course of those of `learners` whom the endpoint's
    organization assigned it and has as members: whose registration its LRS receives."""
    organization_id = endpoint.organization_id
    return (
        Enrollment.objects.filter(course_id=course_id, learner__in=learners)
        .filter(
            learner__memberships__organization_id=organization_id,
            learner__assignments__organization_id=organization_id,
            learner__assignments__course_id=course_id,
        )
        .distinct()
        .order_by("pk")
    )
