"""Units: an organization and the organizations below it (a board's schools, a school's
teams), read through the materialized `Organization.path` ("/3/17/")."""

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Left, Length

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


def as_tree(organizations: list[Organization]) -> list[tuple[Organization, int]]:
    """The organizations in the order of their trees (each unit under the one above it,
    units of one parent by name), each with its depth among those given: 0 for one
    whose units above (if any) are not in the list. No query."""
    names = {organization.pk: organization.name.casefold() for organization in organizations}

    def ids(organization):
        return [int(part) for part in organization.path.strip("/").split("/") if part] or [
            organization.pk
        ]

    def key(organization):
        return [(names.get(pk, ""), pk) for pk in ids(organization)]

    return [
        (organization, sum(1 for pk in ids(organization)[:-1] if pk in names))
        for organization in sorted(organizations, key=key)
    ]


def unit_names_below(organization: Organization, limit: int = 2) -> list[str]:
    """The names of the first units below the organization, by name (one query): the
    import page's example places its people in them."""
    below = units_in(organization).exclude(pk=organization.pk)
    return list(below.values_list("name", flat=True)[:limit])


def units_directly_below(organization: Organization) -> QuerySet[Organization]:
    """The units placed directly under the organization, by name, each with `people`:
    how many people are members of it or of a unit below it (one query when read)."""
    people = (
        Membership.objects.filter(organization__path__startswith=OuterRef("path"))
        .order_by()
        .annotate(tree=Value(1))
        .values("tree")
        .annotate(n=Count("user_id", distinct=True))
        .values("n")
    )
    return (
        Organization.objects.filter(parent_id=organization.pk)
        .annotate(people=Coalesce(Subquery(people, output_field=IntegerField()), 0))
        .order_by("name", "pk")
    )


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
