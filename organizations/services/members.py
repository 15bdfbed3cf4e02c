"""Adding people to an organization: one at a time, or from a CSV file.

What a supervisor is told never depends on whether the address already had an account:
a new account is created and is a member at once (the supervisor typed its name), an
existing one is invited and joins only if its owner accepts. Both read "invited".
"""

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from organizations.csv_import import CsvImportError, RowError, StaffRow
from organizations.models import AuditEvent, Invitation, Membership, Organization
from organizations.services.audit import audit_record
from organizations.services.invitations import (
    ERROR_TOO_MANY_INVITATIONS,
    invitation_allowed,
    invitation_message,
    send_after_commit,
)
from organizations.services.memberships import ERROR_OWN_ROLE, membership_change_role

ERROR_IMPORT_RACE = _(
    "Someone added some of these people at the same moment. Import the file again."
)


class Outcome:
    """What adding one person did (or, in a dry run, would do). The same whether or not
    the address had an account: INVITED covers a new account and an invitation."""

    INVITED = "invited"
    PENDING = "pending"
    ROLE_CHANGED = "role_changed"
    UNCHANGED = "unchanged"

    labels = {
        INVITED: _("Invitation sent"),
        PENDING: _("Invitation already sent, not answered yet"),
        ROLE_CHANGED: _("Already a member, role changed"),
        UNCHANGED: _("Already a member, unchanged"),
    }
    dry_run_labels = {
        INVITED: _("An invitation would be sent"),
        PENDING: _("Invitation already sent, not answered yet"),
        ROLE_CHANGED: _("Already a member, the role would change"),
        UNCHANGED: _("Already a member, unchanged"),
    }


@dataclass
class MemberResult:
    email: str
    outcome: str
    invitation_sent: bool = False


def normalise_address(email: str) -> str:
    return User.objects.normalize_email(email).strip().lower()


def _new_user(*, email: str, full_name: str, language: str, organization: Organization) -> User:
    """An account without a password: its owner chooses one from the invitation."""
    user = User(
        email=email,
        full_name=full_name,
        preferred_language=language,
        workplace=organization.kind,
        password=make_password(None),
    )
    user.full_clean(exclude=["password"], validate_unique=False)
    return user


def _never_signed_in(user: User) -> bool:
    return user.last_login is None and not user.has_usable_password()


def _invite_existing(*, organization, user, email, full_name, role, added_by, notify) -> bool:
    """A pending invitation for an account that existed (made, or updated if one is
    pending). Returns whether an e-mail goes out."""
    invitation = (
        Invitation.objects.select_for_update()
        .filter(organization=organization, email=email, state=Invitation.State.PENDING)
        .first()
    )
    if invitation is None:
        invitation = Invitation(
            organization=organization,
            email=email,
            full_name=full_name,
            role=role or Membership.Role.STAFF,
            invited_by=added_by,
        )
        invitation.full_clean()
        try:
            with transaction.atomic():
                invitation.save()
        except IntegrityError:
            return False  # invited by someone else at the same moment
        audit_record(
            kind=AuditEvent.Kind.INVITATION_SENT,
            actor=added_by,
            organization=organization,
            subject=user,
            subject_label=email,
            after={"role": invitation.role},
        )
    elif role and role != invitation.role:
        invitation.role = role
        invitation.save(update_fields=["role"])
    if notify:
        send_after_commit(
            [
                invitation_message(
                    user=user, organization=organization, added_by=added_by, invitation=invitation
                )
            ]
        )
    return notify


@transaction.atomic
def member_add(
    *,
    organization: Organization,
    email: str,
    full_name: str,
    role: str | None,
    language: str,
    added_by: User,
    notify: bool = True,
) -> MemberResult:
    """Add a person to the organization, or invite them if their address had an account.

    Adding again a member who has not yet chosen a password, or a pending invitation,
    sends the e-mail again (at most INVITATIONS_PER_ADDRESS_PER_HOUR an hour: then
    ERROR_TOO_MANY_INVITATIONS). A role given for an existing member changes it.
    With notify=False (demo data), nobody is e-mailed.
    Raises ValidationError for invalid data, ERROR_OWN_ROLE or ERROR_LAST_SUPERVISOR.
    """
    email = normalise_address(email)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = _new_user(
            email=email, full_name=full_name, language=language, organization=organization
        )
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            user = None  # created by someone at the same moment: an invitation, as below
        else:
            Membership.objects.create(
                user=user, organization=organization, role=role or Membership.Role.STAFF
            )
            audit_record(
                kind=AuditEvent.Kind.MEMBER_CREATED,
                actor=added_by,
                organization=organization,
                subject=user,
                after={"role": role or Membership.Role.STAFF},
            )
            if notify:
                send_after_commit(
                    [invitation_message(user=user, organization=organization, added_by=added_by)]
                )
            return MemberResult(email=email, outcome=Outcome.INVITED, invitation_sent=notify)
        user = User.objects.get(email=email)
    membership = Membership.objects.filter(user=user, organization=organization).first()
    if membership is None:
        if notify and not invitation_allowed(email):
            raise ValidationError(ERROR_TOO_MANY_INVITATIONS, code="too_many")
        sent = _invite_existing(
            organization=organization,
            user=user,
            email=email,
            full_name=full_name,
            role=role,
            added_by=added_by,
            notify=notify,
        )
        return MemberResult(email=email, outcome=Outcome.INVITED, invitation_sent=sent)
    outcome = Outcome.UNCHANGED
    if role and role != membership.role:
        membership_change_role(membership=membership, role=role, by=added_by)
        outcome = Outcome.ROLE_CHANGED
    resend = notify and _never_signed_in(user)
    if resend:
        if not invitation_allowed(email):
            raise ValidationError(ERROR_TOO_MANY_INVITATIONS, code="too_many")
        send_after_commit(
            [invitation_message(user=user, organization=organization, added_by=added_by)]
        )
    return MemberResult(email=email, outcome=outcome, invitation_sent=resend)


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
                        _new_user(
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
        elif _never_signed_in(user):
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
    send_after_commit(
        [invitation_message(user=user, organization=organization, added_by=added_by)
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
