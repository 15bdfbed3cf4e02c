from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Length

from accounts.names import name_order
from organizations.models import Assignment, Invitation, Membership, Organization
from organizations.selectors.units import unit_ids_in

# Rows per page of the supervisors' lists (staff, access history, and supervision's dashboard).
PAGE_SIZE = 50


def members_of(*, organization: Organization, search: str = "") -> QuerySet[Membership]:
    """The organization's memberships with their user and `assigned_count`, by name as a
    French reader sorts them (accounts.names)."""
    assigned = (
        Assignment.objects.filter(organization_id=OuterRef("organization_id"))
        .filter(learner_id=OuterRef("user_id"))
        .order_by()
        .values("learner_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    members = (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .annotate(assigned_count=Coalesce(Subquery(assigned, output_field=IntegerField()), 0))
    )
    if search:
        search = search.lower()  # SQLite only folds the case of ASCII letters ("É").
        members = members.filter(
            Q(user__full_name__icontains=search) | Q(user__email__icontains=search)
        )
    return members.order_by(name_order("user"), "user__email", "pk")


def members_in_units_of(*, organization: Organization, search: str = "") -> QuerySet[Membership]:
    """The current members of the organization and of its units (a board's schools), one
    membership per person with its user and organization: the organization's own if
    they have one, else the highest unit's (as `supervision.selectors.person_get`), by
    name. One query when read, however many units."""
    units = unit_ids_in(organization)
    first = (
        Membership.objects.filter(user_id=OuterRef("user_id"), organization_id__in=units)
        .annotate(depth_key=Length("organization__path"))
        .order_by("depth_key", "organization__name", "pk")
        .values("pk")[:1]
    )
    members = Membership.objects.filter(
        organization_id__in=units, pk=Subquery(first)
    ).select_related("user", "organization")
    if search:
        search = search.lower()  # SQLite only folds the case of ASCII letters ("É").
        members = members.filter(
            Q(user__full_name__icontains=search) | Q(user__email__icontains=search)
        )
    return members.order_by(name_order("user"), "user__email", "pk")


def invitations_pending(*, organization: Organization) -> QuerySet[Invitation]:
    """The invitations the organization sent that wait for an answer: what the supervisor
    typed, nothing of the account."""
    return Invitation.objects.filter(
        organization=organization, state=Invitation.State.PENDING
    ).order_by("-created_at", "pk")


def workplace_from_organization(user) -> str | None:
    """The kind of the person's organization (their first membership), if they have one."""
    return (
        Membership.objects.filter(
            user=user, role__in=[Membership.Role.STAFF, Membership.Role.SUPERVISOR]
        )
        .order_by("created_at", "pk")
        .values_list("organization__kind", flat=True)
        .first()
    )
