"""Adding everyone of a CSV file: checked whole, then written in a few statements."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.services import email_queue
from organizations.csv_import import CsvImportError, RowError, StaffRow
from organizations.models import AuditEvent, Invitation, Membership, Organization
from organizations.services.invitations import invitation_message
from organizations.services.members import Outcome, never_signed_in, new_user
from organizations.services.memberships import ERROR_OWN_ROLE, membership_change_role

ERROR_IMPORT_RACE = _(
    "Someone added some of these people at the same moment. Import the file again."
)


@dataclass
class ImportedRow:
    row: StaffRow
    outcome: str
    dry_run: bool = False

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


def _plan(*, organization, rows, language, added_by, dry_run):
    """What each row does, checked before anything is written: (report, new users, new
    invitations, role changes, pending invitations whose role changes)."""
    emails = [row.email for row in rows]
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    memberships = {
        membership.user_id: membership
        for membership in Membership.objects.filter(
            organization=organization, user__in=users.values()
        )
    }
    pending = {
        invitation.email: invitation
        for invitation in Invitation.objects.filter(
            organization=organization, email__in=emails, state=Invitation.State.PENDING
        )
    }
    report = ImportReport(dry_run=dry_run)
    errors: list[RowError] = []
    new_users, new_invitations, role_changes, invitation_roles = [], [], [], []
    for row in rows:
        user = users.get(row.email)
        membership = memberships.get(user.pk) if user is not None else None
        if user is None:
            try:
                new_users.append(
                    (
                        row,
                        new_user(
                            email=row.email,
                            full_name=row.full_name,
                            language=row.language or language,
                            organization=organization,
                        ),
                    )
                )
            except ValidationError as error:
                errors.extend(RowError(row.line, message) for message in error.messages)
                continue
            outcome = Outcome.INVITED
        elif membership is None and row.email in pending:
            invitation = pending[row.email]
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
        report.rows.append(ImportedRow(row=row, outcome=outcome, dry_run=dry_run))
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

    Importing the same file again changes nothing and e-mails nobody. A role column
    changes the role of existing members (except the importer's own: an error). The
    e-mails leave once the import is saved. With dry_run, returns what would be done and
    writes nothing. Raises CsvImportError if a row cannot be imported.
    """
    report, new_users, new_invitations, role_changes, invitation_roles = _plan(
        organization=organization, rows=rows, language=language, added_by=added_by,
        dry_run=dry_run,
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
                        organization=organization,
                        role=row.role or Membership.Role.STAFF,
                        created_at=now,
                    )
                    for (row, _unsaved), user in zip(new_users, created, strict=True)
                ]
            )
            invitations = Invitation.objects.bulk_create(
                [
                    Invitation(
                        organization=organization,
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
    _audit_import(organization, added_by, created, new_invitations)
    email_queue(
        emails=[invitation_message(user=user, organization=organization, added_by=added_by)
         for user in created]
        + [
            invitation_message(
                user=user, organization=organization, added_by=added_by, invitation=invitation
            )
            for (_row, user), invitation in zip(new_invitations, invitations, strict=True)
        ]
    )  # fmt: skip
    return report


def _audit_import(organization, added_by, created, new_invitations):
    """The import's events in one statement: one per new account, one per invitation."""

    def label(user):
        return f"{user.full_name} <{user.email}>"

    def event(kind, user, subject_label):
        return AuditEvent(
            kind=kind,
            actor=added_by,
            actor_label=label(added_by),
            organization=organization,
            subject=user,
            subject_label=subject_label,
        )

    AuditEvent.objects.bulk_create(
        [event(AuditEvent.Kind.MEMBER_CREATED, user, label(user)) for user in created]
        + [event(AuditEvent.Kind.INVITATION_SENT, user, row.email) for row, user in new_invitations]
    )
