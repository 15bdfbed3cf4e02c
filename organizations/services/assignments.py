"""Assigning courses to the members of an organization."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import email_queue
from courses import bulk, hooks
from courses.models import Course
from courses.services import enrollments_create_many
from organizations.models import Assignment, AuditEvent, Membership, Organization
from organizations.selectors.units import unit_ids_in
from organizations.services import assignment_emails
from organizations.services.audit import audit_record

ERROR_NOT_MEMBERS = _("Courses can only be assigned to members of the organization.")
ERROR_COURSE_NOT_PUBLISHED = _("This course is not published yet.")
ERROR_NOBODY = _("Choose at least one person.")
ERROR_ASSIGNMENT_GONE = _("This course is no longer assigned to this person.")


@dataclass(frozen=True)
class UnitCount:
    """How many people of one unit an assignment over units reached."""

    name: str
    count: int


@dataclass
class AssignReport:
    created: int
    updated: int
    # Assigning over units: what each unit got, by name (empty otherwise).
    units: list[UnitCount] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated


@transaction.atomic
def assignments_create(
    *,
    organization: Organization,
    course: Course,
    learners: QuerySet[User],
    due_on: datetime.date | None,
    assigned_by: User | None,
    notify: bool = True,
) -> AssignReport:
    """Assign the course to each of the learners (members of the organization), by
    `due_on` if given, and enroll them in it.

    Assigning again updates the due date. Nothing is saved if one of them is not a member.
    Each person newly assigned is e-mailed, and so is each whose due date changes (see
    services.assignment_emails): assigning twice the same way e-mails once. With
    notify=False (demo data), nobody is e-mailed.
    """
    if not course.is_published:
        raise ValidationError(ERROR_COURSE_NOT_PUBLISHED, code="not_published")
    total = learners.count()
    if not total:
        raise ValidationError(ERROR_NOBODY, code="nobody")
    members = Membership.objects.filter(organization=organization).values("user_id")
    if learners.exclude(pk__in=members).exists():
        raise ValidationError(ERROR_NOT_MEMBERS, code="not_members")
    existing = Assignment.objects.filter(
        organization=organization, course=course, learner__in=learners
    ).count()
    key_prefix = assignment_emails.new_key_prefix()
    emails = 0
    if existing and notify:
        emails += _email_due_changed(organization, course, learners, due_on, key_prefix)
    assigned_at = timezone.now()
    _upsert(organization, course, learners, due_on, assigned_by, assigned_at)
    if existing < total and notify:
        emails += _email_assigned(organization, course, due_on, assigned_at, key_prefix)
    enrollments_create_many(course=course, learners=learners)
    hooks.progress_changed_for(
        assignment_ids=Assignment.objects.filter(
            organization=organization, course=course, learner__in=learners
        ).values("pk")
    )
    if emails:
        assignment_emails.sending_enqueue(
            organization=organization, course=course, key_prefix=key_prefix
        )
    return AssignReport(created=total - existing, updated=existing)


@transaction.atomic
def assignments_create_in_units(
    *,
    organization: Organization,
    course: Course,
    due_on: datetime.date | None,
    assigned_by: User | None,
    notify: bool = True,
) -> AssignReport:
    """Assign the course to every member of the organization and of each unit below it,
    by `due_on` if given, and enroll them in it: each assignment belongs to the unit
    where the person is a member (a school's supervisor sees it, as the board's does),
    so a person member of two units of the tree gets one in each. Pending invitations
    are not members: nobody is assigned before they accept.

    As `assignments_create`, in a number of statements that grows with neither the
    people nor the units, and assigning again the same way e-mails nobody. The e-mails
    name `organization`, which assigned. The report counts each unit's people.
    """
    if not course.is_published:
        raise ValidationError(ERROR_COURSE_NOT_PUBLISHED, code="not_published")
    units = unit_ids_in(organization)
    memberships = Membership.objects.filter(organization_id__in=units)
    total = memberships.count()
    if not total:
        raise ValidationError(ERROR_NOBODY, code="nobody")
    member = Exists(
        Membership.objects.filter(
            organization_id=OuterRef("organization_id"), user_id=OuterRef("learner_id")
        )
    )
    assignments = Assignment.objects.filter(member, organization_id__in=units, course=course)
    existing = assignments.count()
    key_prefix = assignment_emails.new_key_prefix()
    member_sql = (
        f"EXISTS (SELECT 1 FROM {Membership._meta.db_table} m"
        " WHERE m.organization_id = a.organization_id AND m.user_id = a.learner_id)"
    )
    emails = 0
    if existing and notify:
        differs, differs_params = _due_differs(due_on)
        emails += assignment_emails.emails_insert(
            kind=assignment_emails.DUE_CHANGED,
            key_prefix=key_prefix,
            organization=organization,
            course=course,
            due_on=due_on,
            where=f"{differs} AND {member_sql}",
            where_params=differs_params,
            units=units,
        )
    assigned_at = timezone.now()
    pairs_sql, pairs_params = memberships.values(
        "organization_id", "user_id"
    ).query.sql_with_params()
    _insert(
        f"SELECT m.organization_id, m.user_id AS learner_id FROM ({pairs_sql}) AS m",
        pairs_params,
        course,
        due_on,
        assigned_by,
        assigned_at,
    )
    if existing < total and notify:
        emails += assignment_emails.emails_insert(
            kind=assignment_emails.ASSIGNED,
            key_prefix=key_prefix,
            organization=organization,
            course=course,
            due_on=due_on,
            where="a.assigned_at = %s",
            where_params=[connection.ops.adapt_datetimefield_value(assigned_at)],
            units=units,
        )
    enrollments_create_many(
        course=course, learners=User.objects.filter(pk__in=memberships.values("user_id"))
    )
    hooks.progress_changed_for(assignment_ids=assignments.values("pk"))
    if emails:
        assignment_emails.sending_enqueue(
            organization=organization, course=course, key_prefix=key_prefix, with_units=True
        )
    per_unit = (
        memberships.order_by()
        .values("organization_id", "organization__name")
        .annotate(people=Count("pk"))
        .order_by("organization__name", "organization_id")
    )
    return AssignReport(
        created=total - existing,
        updated=existing,
        units=[UnitCount(name=row["organization__name"], count=row["people"]) for row in per_unit],
    )


def _due_differs(due_on) -> tuple[str, list]:
    """SQL on the assignment `a`: its due date is not `due_on`."""
    if due_on is None:
        return "a.due_on IS NOT NULL", []
    return "(a.due_on IS NULL OR a.due_on <> %s)", [connection.ops.adapt_datefield_value(due_on)]


def _email_due_changed(organization, course, learners, due_on, key_prefix) -> int:
    """Before the upsert: e-mail the people already assigned whose due date changes."""
    learner_sql, params = bulk.pk_subquery(learners)
    differs, differs_params = _due_differs(due_on)
    return assignment_emails.emails_insert(
        kind=assignment_emails.DUE_CHANGED,
        key_prefix=key_prefix,
        organization=organization,
        course=course,
        due_on=due_on,
        where=f"{differs} AND a.learner_id IN (SELECT chosen.pk FROM ({learner_sql}) AS chosen)",
        where_params=[*differs_params, *params],
    )


def _email_assigned(organization, course, due_on, assigned_at, key_prefix) -> int:
    """After the upsert: e-mail the people it assigned now (the rows it inserted carry
    this call's `assigned_at`; assigning again keeps a row's first one)."""
    return assignment_emails.emails_insert(
        kind=assignment_emails.ASSIGNED,
        key_prefix=key_prefix,
        organization=organization,
        course=course,
        due_on=due_on,
        where="a.assigned_at = %s",
        where_params=[connection.ops.adapt_datetimefield_value(assigned_at)],
    )


def _upsert(organization, course, learners, due_on, assigned_by, assigned_at) -> None:
    """The learners' assignments in the organization (see `_insert`)."""
    learner_sql, params = bulk.pk_subquery(learners)
    _insert(
        f"SELECT %s AS organization_id, chosen.pk AS learner_id FROM ({learner_sql}) AS chosen",
        [organization.pk, *params],
        course,
        due_on,
        assigned_by,
        assigned_at,
    )


def _insert(pairs_sql, pairs_params, course, due_on, assigned_by, assigned_at) -> None:
    """One INSERT … SELECT for every pair that `pairs_sql` selects (columns named
    organization_id and learner_id); assigning again updates the due date and who
    assigned it. Two supervisors assigning at the same moment cannot collide on the
    unique constraint (ON CONFLICT … DO UPDATE)."""
    operations = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Assignment._meta.db_table}"
            " (organization_id, learner_id, course_id, due_on, assigned_by_id, assigned_at)"
            " SELECT pairs.organization_id, pairs.learner_id, %s, %s, %s, %s"
            f" FROM ({pairs_sql}) AS pairs"
            " WHERE true ON CONFLICT (organization_id, learner_id, course_id)"
            " DO UPDATE SET due_on = excluded.due_on, assigned_by_id = excluded.assigned_by_id",
            [
                course.pk,
                operations.adapt_datefield_value(due_on),
                assigned_by.pk if assigned_by else None,
                operations.adapt_datetimefield_value(assigned_at),
                *pairs_params,
            ],
        )


def _locked(assignment: Assignment) -> Assignment:
    """The assignment, locked for this transaction; ERROR_ASSIGNMENT_GONE if removed."""
    locked = (
        Assignment.objects.select_for_update()
        .select_related("organization", "course", "learner")
        .filter(pk=assignment.pk)
        .first()
    )
    if locked is None:
        raise ValidationError(ERROR_ASSIGNMENT_GONE, code="gone")
    return locked


@transaction.atomic
def assignment_change_due_date(
    *, assignment: Assignment, due_on: datetime.date | None, by: User
) -> Assignment:
    """Set (or clear) the date by which the person is asked to complete the course, and
    e-mail them the new date in the same transaction. The same date changes nothing."""
    assignment = _locked(assignment)
    if assignment.due_on == due_on:
        return assignment
    assignment.due_on, assignment.assigned_by = due_on, by
    assignment.save(update_fields=["due_on", "assigned_by"])
    hooks.progress_changed_for(assignment_ids=[assignment.pk])
    if assignment.learner.is_active:
        email_queue(
            emails=[
                assignment_emails.assignment_message(
                    kind=assignment_emails.DUE_CHANGED,
                    assignment=assignment,
                    user=assignment.learner,
                )
            ]
        )
    return assignment


@transaction.atomic
def assignment_remove(
    *, assignment: Assignment, by: User | None, actor_label: str | None = None
) -> None:
    """Unassign the course from this one person. The organization stops seeing their
    progress on it (an audit event says so, by `by` or, for a machine such as an API
    client, by `actor_label`); their enrollment, progress, attempts and certificates stay
    theirs."""
    assignment = _locked(assignment)
    assignment.delete()
    audit_record(
        kind=AuditEvent.Kind.COURSE_UNASSIGNED,
        actor=by,
        actor_label=actor_label,
        organization=assignment.organization,
        subject=assignment.learner,
        before={"course": assignment.course.title},
        after={},
    )
