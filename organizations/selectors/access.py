"""Who may see which organization and whose training: the permission scoping in one place."""

import functools

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Left, Length
from django.http import Http404
from django.urls import reverse

from accounts.models import User
from organizations.models import Assignment, Invitation, Membership, Organization
from organizations.selectors.units import supervised_subtrees_q

EVERY_ORGANIZATION_PERMISSION = "organizations.view_every_organization"


def organizations_supervised_by(user) -> QuerySet[Organization]:
    """The organizations where the user has the supervisor role, and every unit below
    them (a board supervisor's schools): none for anonymous users.

    Administrators are not included: they see every organization through
    `organizations_manageable_by`.
    """
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(supervised_subtrees_q(user))


def can_see_every_organization(user) -> bool:
    """Superusers, and people given the "can see every organization" permission: never
    `is_staff` alone, which any editor of lessons has."""
    return bool(
        user.is_authenticated and user.is_active and user.has_perm(EVERY_ORGANIZATION_PERMISSION)
    )


def organizations_manageable_by(user) -> QuerySet[Organization]:
    """The organizations whose supervisor pages the user may open: those they supervise,
    or all of them with the "can see every organization" permission."""
    if can_see_every_organization(user):
        return Organization.objects.all()
    return organizations_supervised_by(user)


def organization_get_manageable(*, user, organization_id: int) -> Organization:
    """The organization, if the user supervises it (or is an administrator); 404 otherwise,
    so that a page never tells whether another organization exists."""
    try:
        return organizations_manageable_by(user).get(pk=organization_id)
    except Organization.DoesNotExist as exc:
        raise Http404 from exc


def sees_supervision_pages(user) -> bool:
    """Whether to show the supervisors' link in the navigation: `can_see_every_organization`
    or `user_supervises_any`, in one query (none for superusers and anonymous visitors).

    It runs on every page, so it asks the database directly rather than through `has_perm`
    (which loads every permission of the person and of their groups: two more queries),
    in plain SQL: the ORM spends longer building these joins (~2 ms) than PostgreSQL does
    answering them.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    app_label, codename = EVERY_ORGANIZATION_PERMISSION.split(".")
    with connection.cursor() as cursor:
        cursor.execute(
            _sees_supervision_sql(),
            {
                "user": user.pk,
                "role": Membership.Role.SUPERVISOR,
                "app": app_label,
                "perm": codename,
            },
        )
        return cursor.fetchone() is not None


@functools.cache
def _sees_supervision_sql() -> str:
    """A supervisor membership, or the permission given to the person or to one of their
    groups (as ModelBackend reads them): the first row found answers."""
    tables = {
        "membership": Membership._meta.db_table,
        "user_perms": User.user_permissions.through._meta.db_table,
        "user_groups": User.groups.through._meta.db_table,
        "group_perms": Group.permissions.through._meta.db_table,
        "permission": Permission._meta.db_table,
        "content_type": ContentType._meta.db_table,
    }
    quoted = {name: connection.ops.quote_name(table) for name, table in tables.items()}
    permission = (
        "JOIN {permission} p ON p.id = granted.permission_id "
        "JOIN {content_type} ct ON ct.id = p.content_type_id "
        "WHERE p.codename = %(perm)s AND ct.app_label = %(app)s"
    )
    return (
        "SELECT 1 FROM {membership} WHERE user_id = %(user)s AND role = %(role)s "
        "UNION ALL SELECT 1 FROM {user_perms} granted "
        + permission
        + " AND granted.user_id = %(user)s "
        "UNION ALL SELECT 1 FROM {user_groups} member "
        "JOIN {group_perms} granted ON granted.group_id = member.group_id "
        + permission
        + " AND member.user_id = %(user)s LIMIT 1"
    ).format(**quoted)


def two_factor_required_for(user) -> bool:
    """Whether the person must sign in with a second factor: they supervise an organization
    that requires it, or they are an administrator (`is_staff`) and
    REPERE_ADMINS_REQUIRE_TWO_FACTOR is on. At most one query.

    The one place that decides it (the sign-in, the set-up redirect and the README read it
    from here): a unit's supervisors must when the unit or any unit above it requires it.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_staff and settings.REPERE_ADMINS_REQUIRE_TWO_FACTOR:
        return True
    # Required by the unit supervised, or by any unit above it (a board's rule holds for
    # its schools' principals): an ancestor's path is a prefix of the unit's.
    above = Organization.objects.filter(require_two_factor=True).exclude(path="")
    required_above = Exists(above.filter(path=Left(OuterRef("organization__path"), Length("path"))))
    return (
        Membership.objects.filter(user_id=user.pk, role=Membership.Role.SUPERVISOR)
        .filter(Q(organization__require_two_factor=True) | Q(required_above))
        .exists()
    )


def user_supervises_any(user) -> bool:
    """One EXISTS query: whether to show the supervisors' link in the navigation."""
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user_id=user.pk, role=Membership.Role.SUPERVISOR).exists()


def landing_page_for(user) -> str | None:
    """Where a supervisor lands after signing in: the dashboard of the organization they
    supervise (a board's, which rolls its schools up), or the list of them if several;
    None for anyone else (one query). The dashboard is supervision's, linked by URL name
    only."""
    supervised = list(
        Membership.objects.filter(user_id=user.pk, role=Membership.Role.SUPERVISOR)
        .order_by("organization_id")
        .values_list("organization_id", flat=True)[:2]
    )
    if not supervised:
        return None
    if len(supervised) > 1:
        return reverse("organizations:index")
    return reverse("supervision:dashboard", kwargs={"organization_id": supervised[0]})


def supervisor_can_see_certificate(*, supervisor, certificate) -> bool:
    """Whether `supervisor` supervises an organization (or a unit above it) that
    assigned the certificate's course to its holder, who is still a member and was
    already one when it was issued: nothing from before the person joined, nothing from
    another organization.

    People who see every organization are not special here: callers check that first.
    """
    if not supervisor.is_authenticated:
        return False
    supervised = organizations_supervised_by(supervisor).values("pk")
    assigned = Assignment.objects.filter(
        organization_id=OuterRef("organization_id"),
        learner_id=certificate.holder_id,
        course_id=certificate.course_id,
    )
    return Membership.objects.filter(
        Exists(assigned),
        user_id=certificate.holder_id,
        organization_id__in=supervised,
        created_at__lte=certificate.issued_at,
    ).exists()


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


def member_get_manageable(*, organization: Organization, membership_id: int) -> Membership:
    """One membership of an organization whose pages the caller may open; 404 otherwise."""
    membership = (
        Membership.objects.select_related("user", "organization")
        .filter(pk=membership_id, organization=organization)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def invitation_get_manageable(*, organization: Organization, invitation_id: int) -> Invitation:
    """One of the organization's invitations (answered or not); 404 for another's."""
    invitation = (
        Invitation.objects.select_related("organization")
        .filter(pk=invitation_id, organization=organization)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def memberships_of(*, user) -> QuerySet[Membership]:
    """The person's own memberships, for their "My organizations" page."""
    return (
        Membership.objects.filter(user_id=user.pk)
        .select_related("organization")
        .order_by("organization__name", "pk")
    )


def invitations_for(*, user) -> QuerySet[Invitation]:
    """The invitations addressed to the person that wait for their answer."""
    return (
        Invitation.objects.filter(email=user.email, state=Invitation.State.PENDING)
        .select_related("organization", "invited_by")
        .order_by("-created_at", "pk")
    )


def invitation_get_for(*, user, invitation_id: int) -> Invitation:
    """A pending invitation addressed to the person; 404 for anyone else's."""
    invitation = invitations_for(user=user).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    return invitation


def membership_get_own(*, user, membership_id: int) -> Membership:
    membership = memberships_of(user=user).filter(pk=membership_id).first()
    if membership is None:
        raise Http404
    return membership
