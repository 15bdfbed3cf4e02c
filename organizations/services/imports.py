"""Adding everyone of a CSV file: checked whole, then written in a few statements."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import email_queue
from organizations.csv_import import CsvImportError, RowError, StaffRow, unit_key
from organizations.models import AuditEvent, Invitation, Membership, Organization
from organizations.selectors.units import units_in
from organizations.services.invitations import invitation_message
from organizations.services.members import Outcome, never_signed_in, new_user
from organizations.services.memberships import ERROR_OWN_ROLE, membership_change_role

ERROR_IMPORT_RACE = _(
    "Someone added some of these people at the same moment. Import the file again."
)
ERROR_UNIT_UNKNOWN = _(
    "There is no unit named “%(value)s” here. Write the name of this organization or of "
    "one of its units, as the staff page shows it."
)
ERROR_UNIT_AMBIGUOUS = _(
    "Several units here are named “%(value)s”: ask an administrator to give them different names."
)


@dataclass
class ImportedRow:
    row: StaffRow
    outcome: str
    dry_run: bool = False
    unit: Organization | None = None  # where the person goes, if the file names units

    @property
    def outcome_label(self):
        labels = Outcome.dry_run_labels if self.dry_run else Outcome.labels
        return labels[self.outcome]


@dataclass
class ImportReport:
    rows: list[ImportedRow] = field(default_factory=list)
    dry_run: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.rows if item.outcome == outcome)

    @property
    def invited(self) -> int:
        return self.count(Outcome.INVITED)

    @property
    def pending(self) -> int:
        return self.count(Outcome.PENDING)

    @property
    def role_changed(self) -> int:
        return self.count(Outcome.ROLE_CHANGED)

    @property
    def unchanged(self) -> int:
        return self.count(Outcome.UNCHANGED)

    @property
    def with_units(self) -> bool:
        """Whether the file placed people in units (the result page says where)."""
        return any(item.unit is not None for item in self.rows)


def _units_of(organization: Organization, rows: list[StaffRow]) -> dict[int, Organization]:
    """The unit each row's person joins, by line: the one its unit column names among the
    organization and the units below it (compared as `unit_key` does), else the
    organization. Raises CsvImportError listing every name that matches no unit, or
    several. One query, none without a unit column."""
    units: dict[str, list[Organization]] = {}
    if any(row.unit for row in rows):
        for unit in units_in(organization):
            units.setdefault(unit_key(unit.name), []).append(unit)
    placed, errors = {}, []
    for row in rows:
        if not row.unit:
            placed[row.line] = organization
            continue
        matches = units.get(unit_key(row.unit), [])
        if len(matches) == 1:
            placed[row.line] = matches[0]
        else:
            message = ERROR_UNIT_AMBIGUOUS if matches else ERROR_UNIT_UNKNOWN
            errors.append(RowError(row.line, str(message % {"value": row.unit})))
    if errors:
        raise CsvImportError(errors)
    return placed


def _plan(*, units, rows, language, added_by, dry_run):
    """What each row does in its unit (`units`, by line), checked before anything is
    written: (report, new users, new invitations, role changes, pending invitations
    whose role changes)."""
    emails = [row.email for row in rows]
    unit_ids = {unit.pk for unit in units.values()}
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    memberships = {
        (membership.organization_id, membership.user_id): membership
        for membership in Membership.objects.filter(
            organization_id__in=unit_ids, user__in=users.values()
        )
    }
    pending = {
        (invitation.organization_id, invitation.email): invitation
        for invitation in Invitation.objects.filter(
            organization_id__in=unit_ids, email__in=emails, state=Invitation.State.PENDING
        )
    }
    named_units = any(row.unit for row in rows)
    report = ImportReport(dry_run=dry_run)
    errors: list[RowError] = []
    new_users, new_invitations, role_changes, invitation_roles = [], [], [], []
    for row in rows:
        unit = units[row.line]
        user = users.get(row.email)
        membership = memberships.get((unit.pk, user.pk)) if user is not None else None
        invitation = pending.get((unit.pk, row.email))
        if user is None:
            try:
                new_users.append(
                    (
                        row,
                        new_user(
                            email=row.email,
                            full_name=row.full_name,
                            language=row.language or language,
                            organization=unit,
                        ),
                    )
                )
            except ValidationError as error:
                errors.extend(RowError(row.line, message) for message in error.messages)
                continue
            outcome = Outcome.INVITED
        elif membership is None and invitation is not None:
            outcome = Outcome.PENDING
            if row.role and row.role != invitation.role:
                invitation.role = row.role
                invitation_roles.append(invitation)
        elif membership is None:
            new_invitations.append((row, user))
            outcome = Outcome.INVITED
        elif row.role and row.role != membership.role:
            if user.pk == added_by.pk:
                errors.append(RowError(row.line, str(ERROR_OWN_ROLE)))
                continue
            role_changes.append((row, membership))
            outcome = Outcome.ROLE_CHANGED
        elif never_signed_in(user):
            outcome = Outcome.PENDING
        else:
            outcome = Outcome.UNCHANGED
        report.rows.append(
            ImportedRow(
                row=row, outcome=outcome, dry_run=dry_run, unit=unit if named_units else None
            )
        )
    if errors:
        raise CsvImportError(errors)
    return report, new_users, new_invitations, role_changes, invitation_roles


@transaction.atomic
def staff_import(
    *,
    organization: Organization,
    rows: list[StaffRow],
    language: str,
    added_by: User,
    dry_run: bool = False,
) -> ImportReport:
    """Add or invite everyone of a checked CSV file (see csv_import), all or nothing, in
    a number of queries that does not grow with the file (but one per role change).
    Each person goes to the unit the file's unit column names (the organization or one
    of its units: see `_units_of`), or to the organization without one: the membership
    or invitation, its e-mail and its audit event are that unit's.

    Importing the same file again changes nothing and e-mails nobody. A role column
    changes the role of existing members (except the importer's own: an error). The
    e-mails leave once the import is saved. With dry_run, returns what would be done and
    writes nothing. Raises CsvImportError if a row cannot be imported.
    """
    units = _units_of(organization, rows)
    report, new_users, new_invitations, role_changes, invitation_roles = _plan(
        units=units, rows=rows, language=language, added_by=added_by, dry_run=dry_run,
    )  # fmt: skip
    if dry_run:
        return report
    now = timezone.now()
    try:
        with transaction.atomic():
            created = User.objects.bulk_create([user for _row, user in new_users])
            Membership.objects.bulk_create(
                [
                    Membership(
                        user=user,
                        organization=units[row.line],
                        role=row.role or Membership.Role.STAFF,
                        created_at=now,
                    )
                    for (row, _unsaved), user in zip(new_users, created, strict=True)
                ]
            )
            invitations = Invitation.objects.bulk_create(
                [
                    Invitation(
                        organization=units[row.line],
                        email=row.email,
                        full_name=row.full_name,
                        role=row.role or Membership.Role.STAFF,
                        invited_by=added_by,
                        created_at=now,
                    )
                    for row, _user in new_invitations
                ]
            )
    except IntegrityError as exc:
        # Someone added one of these people since the check: nothing is saved.
        raise CsvImportError([RowError(None, str(ERROR_IMPORT_RACE))]) from exc
    Invitation.objects.bulk_update(invitation_roles, ["role"])
    for row, membership in role_changes:
        try:
            membership_change_role(membership=membership, role=row.role, by=added_by)
        except ValidationError as error:
            raise CsvImportError([RowError(row.line, error.messages[0])]) from error
    created_rows = [(row, user) for (row, _unsaved), user in zip(new_users, created, strict=True)]
    _audit_import(units, added_by, created_rows, new_invitations)
    email_queue(
        emails=[invitation_message(user=user, organization=units[row.line], added_by=added_by)
         for row, user in created_rows]
        + [
            invitation_message(
                user=user, organization=units[row.line], added_by=added_by,
                invitation=invitation,
            )
            for (row, user), invitation in zip(new_invitations, invitations, strict=True)
        ]
    )  # fmt: skip
    return report


def _audit_import(units, added_by, created_rows, new_invitations):
    """The import's events in one statement: one per new account, one per invitation,
    each in the person's unit (`units`, by line)."""

    def label(user):
        return f"{user.full_name} <{user.email}>"

    def event(kind, row, user, subject_label):
        return AuditEvent(
            kind=kind,
            actor=added_by,
            actor_label=label(added_by),
            organization=units[row.line],
            subject=user,
            subject_label=subject_label,
        )

    AuditEvent.objects.bulk_create(
        [
            event(AuditEvent.Kind.MEMBER_CREATED, row, user, label(user))
            for row, user in created_rows
        ]
        + [
            event(AuditEvent.Kind.INVITATION_SENT, row, user, row.email)
            for row, user in new_invitations
        ]
    )
