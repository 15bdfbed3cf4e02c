"""Adding people to an organization: one at a time, or from a CSV file."""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from organizations.csv_import import CsvImportError, RowError, StaffRow
from organizations.models import Membership, Organization

logger = logging.getLogger(__name__)

ERROR_OWN_ROLE = _("You cannot change your own role.")
ERROR_IMPORT_RACE = _(
    "Someone added some of these people at the same moment. Import the file again."
)


class Outcome:
    """What adding one person did (or, in a dry run, would do)."""

    ACCOUNT_CREATED = "account_created"
    MEMBER_ADDED = "member_added"
    ROLE_CHANGED = "role_changed"
    UNCHANGED = "unchanged"

    labels = {
        ACCOUNT_CREATED: _("New account, invited"),
        MEMBER_ADDED: _("Existing account, added"),
        ROLE_CHANGED: _("Already a member, role changed"),
        UNCHANGED: _("Already a member, unchanged"),
    }


@dataclass
class MemberResult:
    membership: Membership
    outcome: str
    invitation_sent: bool = False


def _invite_language(user: User) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


def invitation_message(*, user: User, organization: Organization, added_by) -> mail.EmailMessage:
    """The e-mail telling a person they were added, in their language. Someone who has
    never chosen a password gets a link to choose one (Django's password reset link)."""
    with translation.override(_invite_language(user)):
        context = {
            "user": user,
            "organization": organization,
            "added_by": added_by,
            "login_url": settings.SITE_URL + reverse("login"),
            "set_password_url": None,
            "link_days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
        }
        if not user.has_usable_password():
            context["set_password_url"] = settings.SITE_URL + reverse(
                "password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
        subject = render_to_string("organizations/email/invitation_subject.txt", context)
        body = render_to_string("organizations/email/invitation.txt", context)
    return mail.EmailMessage(" ".join(subject.split()), body, to=[user.email])


def _send_after_commit(messages: list[mail.EmailMessage]) -> None:
    """Invitations leave only once the accounts they point to are saved; a mail server
    that fails then is logged, it does not undo the import."""
    if not messages:
        return

    def send():
        try:
            with mail.get_connection() as connection:
                connection.send_messages(messages)
        except Exception:  # any transport error: log it, keep the data
            logger.exception("Could not send %d invitation(s)", len(messages))

    transaction.on_commit(send)


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
    """Add a person to the organization, creating their account if there is none.

    A new member is e-mailed (a link to choose a password if they have never had one).
    Adding someone who is already a member changes their role if one is given, and
    sends them the invitation again if they have not chosen a password yet, since the
    site's "forgot password" form ignores accounts without one.
    With notify=False (demo data), nobody is e-mailed.
    Raises ValidationError for invalid data, or ERROR_OWN_ROLE.
    """
    email = User.objects.normalize_email(email).strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    created_user = False
    if user is None:
        user = _new_user(
            email=email, full_name=full_name, language=language, organization=organization
        )
        try:
            with transaction.atomic():
                user.save()
            created_user = True
        except IntegrityError:
            # Someone created this account at the same moment: use theirs.
            user = User.objects.get(email__iexact=email)
    membership = Membership.objects.filter(user=user, organization=organization).first()
    if membership is None:
        membership = Membership(
            user=user, organization=organization, role=role or Membership.Role.STAFF
        )
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError:
            # Added by someone else at the same moment: theirs stands, as if added before.
            membership = Membership.objects.get(user=user, organization=organization)
            return MemberResult(membership=membership, outcome=Outcome.UNCHANGED)
        outcome = Outcome.ACCOUNT_CREATED if created_user else Outcome.MEMBER_ADDED
    elif role and role != membership.role:
        if user.pk == added_by.pk:
            raise ValidationError(ERROR_OWN_ROLE, code="own_role")
        membership.role = role
        membership.save(update_fields=["role"])
        outcome = Outcome.ROLE_CHANGED
    else:
        outcome = Outcome.UNCHANGED
    invite = notify and (
        outcome in (Outcome.ACCOUNT_CREATED, Outcome.MEMBER_ADDED) or not user.has_usable_password()
    )
    if invite:
        _send_after_commit(
            [invitation_message(user=user, organization=organization, added_by=added_by)]
        )
    return MemberResult(membership=membership, outcome=outcome, invitation_sent=invite)


@dataclass
class ImportedRow:
    row: StaffRow
    outcome: str

    @property
    def outcome_label(self):
        return Outcome.labels[self.outcome]


@dataclass
class ImportReport:
    rows: list[ImportedRow] = field(default_factory=list)
    dry_run: bool = False

    def count(self, outcome: str) -> int:
        return sum(1 for item in self.rows if item.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count(Outcome.ACCOUNT_CREATED)

    @property
    def added(self) -> int:
        return self.count(Outcome.MEMBER_ADDED)

    @property
    def role_changed(self) -> int:
        return self.count(Outcome.ROLE_CHANGED)

    @property
    def unchanged(self) -> int:
        return self.count(Outcome.UNCHANGED)


@transaction.atomic
def staff_import(
    *,
    organization: Organization,
    rows: list[StaffRow],
    language: str,
    added_by: User,
    dry_run: bool = False,
) -> ImportReport:
    """Add everyone of a checked CSV file (see csv_import) to the organization, all or
    nothing, in a fixed number of queries.

    Importing the same file again changes nothing and e-mails nobody. A role column
    changes the role of existing members (except the importer's own: an error). New
    members are e-mailed once the import is saved. With dry_run, returns what would be
    done and writes nothing. Raises CsvImportError if a row cannot be imported.
    """
    emails = [row.email for row in rows]
    users = {user.email.lower(): user for user in User.objects.filter(email__in=emails)}
    memberships = {
        membership.user_id: membership
        for membership in Membership.objects.filter(
            organization=organization, user__in=users.values()
        )
    }
    report = ImportReport(dry_run=dry_run)
    errors: list[RowError] = []
    new_users: list[User] = []
    new_memberships: list[tuple[StaffRow, str]] = []
    role_changes: list[Membership] = []
    for row in rows:
        user = users.get(row.email)
        membership = memberships.get(user.pk) if user is not None else None
        if user is None:
            try:
                new_users.append(
                    _new_user(
                        email=row.email,
                        full_name=row.full_name,
                        language=row.language or language,
                        organization=organization,
                    )
                )
            except ValidationError as error:
                errors.extend(RowError(row.line, message) for message in error.messages)
                continue
            outcome = Outcome.ACCOUNT_CREATED
        elif membership is None:
            outcome = Outcome.MEMBER_ADDED
        elif row.role and row.role != membership.role:
            if user.pk == added_by.pk:
                errors.append(RowError(row.line, str(ERROR_OWN_ROLE)))
                continue
            membership.role = row.role
            role_changes.append(membership)
            outcome = Outcome.ROLE_CHANGED
        else:
            outcome = Outcome.UNCHANGED
        if outcome in (Outcome.ACCOUNT_CREATED, Outcome.MEMBER_ADDED):
            new_memberships.append((row, row.email))
        report.rows.append(ImportedRow(row=row, outcome=outcome))
    if errors:
        raise CsvImportError(errors)
    if dry_run:
        return report
    now = timezone.now()
    try:
        with transaction.atomic():
            for user in User.objects.bulk_create(new_users):
                users[user.email] = user
            created = Membership.objects.bulk_create(
                [
                    Membership(
                        user=users[email],
                        organization=organization,
                        role=row.role or Membership.Role.STAFF,
                        created_at=now,
                    )
                    for row, email in new_memberships
                ]
            )
    except IntegrityError as exc:
        # Someone added one of these people since the check: nothing is saved.
        raise CsvImportError([RowError(None, str(ERROR_IMPORT_RACE))]) from exc
    Membership.objects.bulk_update(role_changes, ["role"])
    _send_after_commit(
        [
            invitation_message(user=membership.user, organization=organization, added_by=added_by)
            for membership in created
        ]
    )
    return report
