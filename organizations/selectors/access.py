"""Who may see which organization and whose training: the permission scoping in one place."""

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from organizations.models import Assignment, Membership, Organization


def organizations_supervised_by(user) -> QuerySet[Organization]:
    """The organizations where the user has the supervisor role (none for anonymous users).

    Administrators are not included: they see every organization through
    `organizations_manageable_by`.
    """
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(
        Exists(
            Membership.objects.filter(
                organization_id=OuterRef("pk"), user_id=user.pk, role=Membership.Role.SUPERVISOR
            )
        )
    )


def organizations_manageable_by(user) -> QuerySet[Organization]:
    """The organizations whose supervisor pages the user may open: administrators see all."""
    if user.is_authenticated and user.is_staff:
        return Organization.objects.all()
    return organizations_supervised_by(user)


def organization_get_manageable(*, user, organization_id: int) -> Organization:
    """The organization, if the user supervises it (or is an administrator); 404 otherwise,
    so that a page never tells whether another organization exists."""
    try:
        return organizations_manageable_by(user).get(pk=organization_id)
    except Organization.DoesNotExist as exc:
        raise Http404 from exc


def user_supervises_any(user) -> bool:
    """One EXISTS query: whether to show the supervisors' link in the navigation."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user_id=user.pk, role=Membership.Role.SUPERVISOR).exists()


def supervisor_can_see(*, supervisor, learner) -> bool:
    """Whether the learner is a member of an organization that `supervisor` supervises.

    Administrators are not special here: callers that let them see everything check
    `is_staff` themselves.
    """
    if not supervisor.is_authenticated:
        return False
    supervised = Membership.objects.filter(
        user_id=supervisor.pk, role=Membership.Role.SUPERVISOR
    ).values("organization_id")
    return Membership.objects.filter(user_id=learner.pk, organization_id__in=supervised).exists()


def issuing_organization_for(*, user, course) -> Organization | None:
    """The organization in whose name a certificate for this course is issued to the user:
    the (first) organization that assigned them the course and that they still belong to,
    else the organization of their first membership, else None."""
    still_member = Exists(
        Membership.objects.filter(organization_id=OuterRef("organization_id"), user_id=user.pk)
    )
    assignment = (
        Assignment.objects.filter(still_member, learner_id=user.pk, course_id=course.pk)
        .select_related("organization")
        .order_by("assigned_at", "pk")
        .first()
    )
    if assignment is not None:
        return assignment.organization
    membership = (
        Membership.objects.filter(user_id=user.pk)
        .select_related("organization")
        .order_by("created_at", "pk")
        .first()
    )
    return membership.organization if membership is not None else None
