"""Units: an organization and the organizations below it (a board's schools, a school's
teams), read through the materialized `Organization.path` ("/3/17/")."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Left, Length

from organizations.models import Membership, Organization


def _subtree_q(organization: Organization, prefix: str = "") -> Q:
    """The organization and every unit below it. A row whose path is still empty (written
    by code older than the column) is its own tree: matched by its id."""
    q = Q(**{f"{prefix}pk": organization.pk})
    if organization.path:
        q |= Q(**{f"{prefix}path__startswith": organization.path})
    return q


def units_in(organization: Organization) -> QuerySet[Organization]:
    """The organization and its units at every depth, by name (one query when read)."""
    return Organization.objects.filter(_subtree_q(organization)).order_by("name", "pk")


def unit_ids_in(organization: Organization) -> QuerySet:
    """The ids of `units_in`, as a subquery: `organization_id__in=unit_ids_in(board)`."""
    return Organization.objects.filter(_subtree_q(organization)).values("pk")


def has_units(organization: Organization) -> bool:
    """Whether any organization is placed under this one (one query)."""
    return Organization.objects.filter(parent_id=organization.pk).exists()


def ancestor_ids_of(organization: Organization) -> list[int]:
    """The ids above the organization, from the top of its tree down (no query)."""
    return [int(part) for part in organization.path.strip("/").split("/")[:-1] if part]


def supervised_subtrees_q(user) -> Q:
    """Organizations the user supervises directly, or that lie below one they supervise:
    a Q on Organization, for `organizations_supervised_by` and its like."""
    supervised = Membership.objects.filter(user_id=user.pk, role=Membership.Role.SUPERVISOR)
    directly = Exists(supervised.filter(organization_id=OuterRef("pk")))
    below = Exists(
        supervised.exclude(organization__path="").filter(
            organization__path=Left(OuterRef("path"), Length("organization__path"))
        )
    )
    return Q(directly) | Q(below)
