"""A person's copy of everything Repère holds about them (issue 20, "My data").

`data_export_request` records the request and enqueues `privacy.tasks.data_export_build`,
which calls `data_export_build`: the ZIP (one JSON file per kind of record, the summary page,
the certificates' files) is kept in the DataExport row and the link is mailed.
`data_export_download` opens it, once, for its owner. Each writes its DataExportEvent.

The files are described in docs/personal-data.md. Their field names are stable: a field is
added, never renamed. Each file carries its fields' labels in French and English.

Nothing of anyone else goes in: not the supervisor who invited, assigned or corrected (their
name is theirs), not the other people of an organization. For the same reason the e-mails
sent to the person are listed by subject, date and state, without their bodies: an
invitation names who sent it, a supervisor's summary names their team, and the person
already received each one.
"""

import datetime
import hashlib
import io
import json
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _
from lti_tool.models import LtiUser

from accounts.models import OutgoingEmail, User
from accounts.services import email_queue, email_to, task_enqueue
from accounts.throttles import throttle_hit
from accounts.workplaces import Workplace
from assessments.models import Answer as CheckAnswer
from assessments.models import Attempt as CheckAttempt
from certificates import rendering
from certificates.credentials import baking, build
from certificates.models import Certificate, CertificateNameChange, CertificateNameRequest
from courses.models import Enrollment, LessonProgress
from organizations.models import Assignment, AuditEvent, Invitation, Membership
from privacy import tasks
from privacy.models import DataExport, DataExportEvent
from quizzes.models import Answer, Attempt
from supervision.models import ReminderLog
from surveys.models import SurveyResponse
from webhooks.models import WebhookDelivery
from xapi.models import LearnerAccount, OutgoingStatement

FORMAT_VERSION = 1
LANGUAGES = ("en", "fr")

# Each copy costs a second or so of a worker (the certificates' files): a few a day is
# more than anyone needs.
REQUESTS_PER_DAY = 5
ERROR_TOO_MANY = _(
    "You have asked for several copies today. Use the link of the latest one, or ask again "
    "tomorrow."
)
ERROR_PENDING = _(
    "Your copy is already being prepared. You will receive an e-mail with the link as soon "
    "as it is ready."
)


class ExportLinkError(Exception):
    """The link cannot open the file; `message` says why, plainly."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


LINK_USED = _(
    "This link has already been used: it works only once. If you need your data again, "
    "ask for a new copy from your profile."
)
LINK_EXPIRED = _(
    "This link has expired. If you still need your data, ask for a new copy from your profile."
)


@dataclass(frozen=True)
class Kind:
    """One JSON file of the export: `name`.json, its title, its fields and their labels,
    and the function that reads the person's records (dicts with those fields)."""

    name: str
    title: str
    labels: dict[str, str]
    records: Callable[[User], list[dict]]


def _both(value_of: Callable[[], object]) -> dict[str, str]:
    """A lazy string, or a value computed in the active language, in each language."""
    result = {}
    for language in LANGUAGES:
        with translation.override(language):
            result[language] = str(value_of())
    return result


def _texts(obj, field: str) -> dict[str, str]:
    """A translated content field (django-modeltranslation) in each language."""
    return {language: getattr(obj, f"{field}_{language}", "") or "" for language in LANGUAGES}


def _account(user: User) -> list[dict]:
    return [
        {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "workplace": user.workplace,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_active": user.is_active,
        }
    ]


def _sign_in_accounts(user: User) -> list[dict]:
    """The identity providers the person signed in through, with what each sent (two
    queries)."""
    accounts = list(SocialAccount.objects.filter(user=user).order_by("date_joined", "pk"))
    names = dict(
        SocialApp.objects.filter(provider_id__in=[a.provider for a in accounts]).values_list(
            "provider_id", "name"
        )
    )
    return [
        {
            "provider": names.get(account.provider, account.provider),
            "uid": account.uid,
            "date_joined": account.date_joined,
            "last_login": account.last_login,
            "claims": account.extra_data,
        }
        for account in accounts
    ]


def _two_factor(user: User) -> list[dict]:
    """The kinds of two-factor set up and when they were used: never a secret, a recovery
    code or a passkey's key (one query)."""
    authenticators = Authenticator.objects.filter(user_id=user.pk).order_by("created_at", "pk")
    return [
        {
            "type": _both(authenticator.get_type_display),
            "created_at": authenticator.created_at,
            "last_used_at": authenticator.last_used_at,
        }
        for authenticator in authenticators
    ]


def _memberships(user: User) -> list[dict]:
    memberships = Membership.objects.filter(user=user).select_related("organization")
    return [
        {
            "organization": membership.organization.name,
            "role": membership.role,
            "created_at": membership.created_at,
        }
        for membership in memberships.order_by("created_at", "pk")
    ]


def _invitations(user: User) -> list[dict]:
    invitations = Invitation.objects.filter(email=user.email).select_related("organization")
    return [
        {
            "organization": invitation.organization.name,
            "email": invitation.email,
            "name_typed": invitation.full_name,
            "role": invitation.role,
            "state": invitation.state,
            "created_at": invitation.created_at,
            "responded_at": invitation.responded_at,
        }
        for invitation in invitations.order_by("created_at", "pk")
    ]


def _enrollments(user: User) -> list[dict]:
    enrollments = Enrollment.objects.filter(learner=user).select_related("course")
    return [
        {
            "course": _texts(enrollment.course, "title"),
            "enrolled_at": enrollment.enrolled_at,
            "cycle": enrollment.cycle,
            "cycle_started_at": enrollment.cycle_started_at,
            "completed_at": enrollment.completed_at,
            "last_activity_at": enrollment.last_activity_at,
        }
        for enrollment in enrollments.order_by("enrolled_at", "pk")
    ]


def _lessons(user: User) -> list[dict]:
    progress = LessonProgress.objects.filter(learner=user).select_related("lesson", "course")
    return [
        {
            "course": _texts(row.course, "title"),
            "lesson": _texts(row.lesson, "title"),
            "completed_at": row.completed_at,
        }
        for row in progress.order_by("completed_at", "pk")
    ]


def _assignments(user: User) -> list[dict]:
    assignments = Assignment.objects.filter(learner=user).select_related("organization", "course")
    return [
        {
            "organization": assignment.organization.name,
            "course": _texts(assignment.course, "title"),
            "due_on": assignment.due_on,
            "assigned_at": assignment.assigned_at,
        }
        for assignment in assignments.order_by("assigned_at", "pk")
    ]


def _attempts(user: User) -> list[dict]:
    attempts = list(
        Attempt.objects.filter(learner=user)
        .select_related("quiz__module", "course")
        .order_by("started_at", "pk")
    )
    answers = (
        Answer.objects.filter(attempt__in=attempts)
        .select_related("question")
        .prefetch_related("choices")
        .order_by("attempt_id", "pk")
    )
    by_attempt: dict[int, list[dict]] = {}
    for answer in answers:
        by_attempt.setdefault(answer.attempt_id, []).append(
            {
                "question": _texts(answer.question, "text"),
                "chosen": [_texts(choice, "text") for choice in answer.choices.all()],
                "is_correct": answer.is_correct,
            }
        )
    return [
        {
            "course": _texts(attempt.course, "title"),
            "quiz": _texts(attempt.quiz.module, "title"),
            "cycle": attempt.cycle,
            "number": attempt.number,
            "started_at": attempt.started_at,
            "submitted_at": attempt.submitted_at,
            "score": attempt.score,
            "passed": attempt.passed,
            "practice": attempt.practice,
            "answers": by_attempt.get(attempt.pk, []),
        }
        for attempt in attempts
    ]


def _survey_responses(user: User) -> list[dict]:
    responses = SurveyResponse.objects.filter(learner=user).select_related("course")
    return [
        {
            "course": _texts(response.course, "title"),
            "relevance": response.relevance,
            "confidence": response.confidence,
            "comment": response.comment,
            "submitted_at": response.submitted_at,
        }
        for response in responses.order_by("submitted_at", "pk")
    ]


def _knowledge_checks(user: User) -> list[dict]:
    """The knowledge checks taken, with each answer's item and choice (two queries)."""
    attempts = list(
        CheckAttempt.objects.filter(learner=user)
        .select_related("course")
        .order_by("submitted_at", "pk")
    )
    answers = (
        CheckAnswer.objects.filter(attempt__in=attempts)
        .select_related("item", "choice")
        .order_by("attempt_id", "item__position", "item_id")
    )
    by_attempt: dict[int, list[dict]] = {}
    for answer in answers:
        by_attempt.setdefault(answer.attempt_id, []).append(
            {
                "question": _texts(answer.item, "text"),
                "chosen": _texts(answer.choice, "text"),
                "is_correct": answer.is_correct,
            }
        )
    return [
        {
            "course": _texts(attempt.course, "title"),
            "phase": attempt.phase,
            "form": attempt.form,
            "submitted_at": attempt.submitted_at,
            "item_count": attempt.item_count,
            "correct_count": attempt.correct_count,
            "score": attempt.score,
            "answers": by_attempt.get(attempt.pk, []),
        }
        for attempt in attempts
    ]


def _certificates_of(user: User):
    return Certificate.objects.filter(holder=user).order_by("issued_at", "pk")


def certificate_files(certificate: Certificate) -> dict[str, str]:
    """The names, in the ZIP, of a certificate's files."""
    return {kind: f"certificates/{certificate.code}.{kind}" for kind in ("pdf", "png", "jwt")}


def _certificates(user: User) -> list[dict]:
    return [
        {
            "code": certificate.code,
            "holder_name": certificate.holder_name,
            "course": {"fr": certificate.course_title_fr, "en": certificate.course_title_en},
            "organization": certificate.organization_name,
            "languages": certificate.languages,
            "completed_at": certificate.completed_at,
            "issued_at": certificate.issued_at,
            "expires_on": certificate.expires_on,
            "revoked_at": certificate.revoked_at,
            "revoked_reason": certificate.revoked_reason,
            "verification_url": build.verification_url(certificate),
            "files": certificate_files(certificate),
        }
        for certificate in _certificates_of(user)
    ]


def _name_requests(user: User) -> list[dict]:
    requests = CertificateNameRequest.objects.filter(certificate__holder=user).select_related(
        "certificate"
    )
    changes = CertificateNameChange.objects.filter(certificate__holder=user).select_related(
        "certificate"
    )
    return [
        {
            "certificate": row.certificate.code,
            "kind": "request",
            "new_name": row.requested_name,
            "previous_name": "",
            "at": row.requested_at,
            "closed_at": row.closed_at,
        }
        for row in requests.order_by("requested_at", "pk")
    ] + [
        {
            "certificate": row.certificate.code,
            "kind": "correction",
            "new_name": row.new_name,
            "previous_name": row.old_name,
            "at": row.changed_at,
            "closed_at": None,
        }
        for row in changes.order_by("changed_at", "pk")
    ]


def _reminders(user: User) -> list[dict]:
    reminders = ReminderLog.objects.filter(user=user).select_related("course")
    return [
        {
            "sent_on": reminder.sent_on,
            "kind": reminder.kind,
            "course": _texts(reminder.course, "title") if reminder.course else None,
        }
        for reminder in reminders.order_by("sent_on", "pk")
    ]


def _emails(user: User) -> list[dict]:
    emails = OutgoingEmail.objects.filter(Q(user=user) | Q(recipient=user.email))
    return [
        {
            "recipient": email.recipient,
            "subject": email.subject,
            "language": email.language,
            "status": email.status,
            "queued_at": email.created_at,
            "sent_at": email.sent_at,
        }
        for email in emails.order_by("created_at", "pk")
    ]


def _audit_events(user: User) -> list[dict]:
    events = AuditEvent.objects.filter(subject=user).select_related("organization")
    return [
        {
            "occurred_at": event.occurred_at,
            "kind": event.kind,
            "description": _both(event.get_kind_display),
            "organization": event.organization.name if event.organization else "",
            "as_shown_to_organization": event.subject_label,
            "before": event.before,
            "after": event.after,
            "by_administrator": event.by_administrator,
        }
        for event in events.order_by("occurred_at", "pk")
    ]


def _exports(user: User) -> list[dict]:
    events = DataExportEvent.objects.filter(export__user=user).select_related("export")
    return [
        {
            "export_requested_at": event.export.requested_at,
            "kind": event.kind,
            "description": _both(event.get_kind_display),
            "occurred_at": event.occurred_at,
        }
        for event in events.order_by("occurred_at", "pk")
    ]


def _lms_accounts(user: User) -> list[dict]:
    """What each organization's LMS told Repère of the person at their LTI launches (one
    query)."""
    records = LtiUser.objects.filter(auth_user=user).select_related("registration")
    return [
        {
            "lms": lti_user.registration.name,
            "sub": lti_user.sub,
            "name": lti_user.name,
            "email": lti_user.email,
            "first_launch_at": lti_user.datetime_created,
        }
        for lti_user in records.order_by("datetime_created", "pk")
    ]


def _webhook_deliveries(user: User) -> list[dict]:
    """The events about the person sent to their organizations' systems (one query). Each
    payload holds the person's name and address and the course's or certificate's; the
    copy says what went where and when."""
    deliveries = WebhookDelivery.objects.filter(payload__data__learner__id=user.pk)
    return [
        {
            "event": delivery.event,
            "organization": delivery.endpoint.organization.name,
            "created_at": delivery.created_at,
            "status": _both(delivery.get_status_display),
            "delivered_at": delivery.delivered_at,
        }
        for delivery in deliveries.select_related("endpoint__organization").order_by(
            "created_at", "pk"
        )
    ]


def _xapi_identifiers(user: User) -> list[dict]:
    """The opaque name the person's xAPI statements carry in each organization's learning
    record store, and the statements themselves (two queries)."""
    accounts = list(
        LearnerAccount.objects.filter(user=user).select_related("organization").order_by("pk")
    )
    statements = OutgoingStatement.objects.filter(
        statement__actor__account__name__in=[str(account.name) for account in accounts]
    ).order_by("created_at", "pk")
    by_name: dict[str, list[dict]] = {}
    for statement in statements:  # no account: an empty IN, which runs no query
        by_name.setdefault(statement.statement["actor"]["account"]["name"], []).append(
            {
                "verb": statement.verb,
                "activity": statement.statement.get("object", {}).get("id", ""),
                "queued_at": statement.created_at,
                "sent_at": statement.sent_at,
            }
        )
    return [
        {
            "organization": account.organization.name,
            "identifier": str(account.name),
            "statements": by_name.get(str(account.name), []),
        }
        for account in accounts
    ]


WHEN = _("when")
COURSE = _("course")
ORGANIZATION = _("organization")

KINDS = (
    Kind(
        "account",
        _("Account"),
        {
            "id": _("account number"),
            "email": _("e-mail address"),
            "full_name": _("full name"),
            "preferred_language": _("preferred language"),
            "workplace": _("workplace"),
            "date_joined": _("date joined"),
            "last_login": _("last sign-in"),
            "is_active": _("active"),
        },
        _account,
    ),
    Kind(
        "sign_in_accounts",
        _("Single sign-on"),
        {
            "provider": _("identity provider"),
            "uid": _("your identifier at the provider"),
            "date_joined": _("first sign-in"),
            "last_login": _("last sign-in"),
            "claims": _("what the provider sent (name, address…)"),
        },
        _sign_in_accounts,
    ),
    Kind(
        "two_factor",
        _("Two-factor"),
        {
            "type": _("kind (code app, passkey, recovery codes)"),
            "created_at": _("set up at"),
            "last_used_at": _("last used"),
        },
        _two_factor,
    ),
    Kind(
        "memberships",
        _("Organizations"),
        {"organization": ORGANIZATION, "role": _("role"), "created_at": _("member since")},
        _memberships,
    ),
    Kind(
        "invitations",
        _("Invitations"),
        {
            "organization": ORGANIZATION,
            "email": _("e-mail address"),
            "name_typed": _("name typed by the organization"),
            "role": _("role"),
            "state": _("state"),
            "created_at": _("sent at"),
            "responded_at": _("answered at"),
        },
        _invitations,
    ),
    Kind(
        "enrollments",
        _("Courses taken"),
        {
            "course": COURSE,
            "enrolled_at": _("enrolled at"),
            "cycle": _("round"),
            "cycle_started_at": _("round started at"),
            "completed_at": _("completed at"),
            "last_activity_at": _("last activity"),
        },
        _enrollments,
    ),
    Kind(
        "lessons",
        _("Lessons completed"),
        {"course": COURSE, "lesson": _("lesson"), "completed_at": _("completed at")},
        _lessons,
    ),
    Kind(
        "assignments",
        _("Courses assigned"),
        {
            "organization": ORGANIZATION,
            "course": COURSE,
            "due_on": _("due on"),
            "assigned_at": _("assigned at"),
        },
        _assignments,
    ),
    Kind(
        "quiz_attempts",
        _("Quiz attempts"),
        {
            "course": COURSE,
            "quiz": _("quiz"),
            "cycle": _("round"),
            "number": _("attempt number"),
            "started_at": _("started at"),
            "submitted_at": _("submitted at"),
            "score": _("score (%)"),
            "passed": _("passed"),
            "practice": _("practice"),
            "answers": _("answers (question, choices made, correct)"),
        },
        _attempts,
    ),
    Kind(
        "survey_responses",
        _("Feedback surveys"),
        {
            "course": COURSE,
            "relevance": _("relevant to my work (1–5)"),
            "confidence": _("confident to act (1–5)"),
            "comment": _("comment"),
            "submitted_at": _("submitted at"),
        },
        _survey_responses,
    ),
    Kind(
        "knowledge_checks",
        _("Knowledge checks"),
        {
            "course": COURSE,
            "phase": _("before or after the course (pre, post)"),
            "form": _("form (A or B)"),
            "submitted_at": _("submitted at"),
            "item_count": _("questions"),
            "correct_count": _("right answers"),
            "score": _("score (%)"),
            "answers": _("answers (question, choice made, right)"),
        },
        _knowledge_checks,
    ),
    Kind(
        "certificates",
        _("Certificates"),
        {
            "code": _("verification code"),
            "holder_name": _("name on the certificate"),
            "course": COURSE,
            "organization": ORGANIZATION,
            "languages": _("languages"),
            "completed_at": _("completed at"),
            "issued_at": _("issued at"),
            "expires_on": _("valid until"),
            "revoked_at": _("revoked at"),
            "revoked_reason": _("reason for revocation"),
            "verification_url": _("verification page"),
            "files": _("files in this archive"),
        },
        _certificates,
    ),
    Kind(
        "certificate_names",
        _("Certificate name corrections"),
        {
            "certificate": _("verification code"),
            "kind": _("request or correction"),
            "new_name": _("new name"),
            "previous_name": _("previous name"),
            "at": WHEN,
            "closed_at": _("closed at"),
        },
        _name_requests,
    ),
    Kind(
        "reminders",
        _("Reminders"),
        {"sent_on": _("sent on"), "kind": _("kind"), "course": COURSE},
        _reminders,
    ),
    Kind(
        "emails",
        _("E-mails sent to you"),
        {
            "recipient": _("recipient"),
            "subject": _("subject"),
            "language": _("language"),
            "status": _("status"),
            "queued_at": _("queued at"),
            "sent_at": _("sent at"),
        },
        _emails,
    ),
    Kind(
        "audit_events",
        _("Changes recorded about you"),
        {
            "occurred_at": WHEN,
            "kind": _("what"),
            "description": _("description"),
            "organization": ORGANIZATION,
            "as_shown_to_organization": _("as the organization sees you"),
            "before": _("before"),
            "after": _("after"),
            "by_administrator": _("made in the administration site"),
        },
        _audit_events,
    ),
    Kind(
        "lms_accounts",
        _("Learning platforms (LTI)"),
        {
            "lms": _("learning platform"),
            "sub": _("your identifier at the platform"),
            "name": _("name the platform sent"),
            "email": _("address the platform sent"),
            "first_launch_at": _("first opened from the platform"),
        },
        _lms_accounts,
    ),
    Kind(
        "webhook_deliveries",
        _("Events sent to your organizations' systems"),
        {
            "event": _("event"),
            "organization": ORGANIZATION,
            "created_at": _("recorded at"),
            "status": _("status"),
            "delivered_at": _("delivered at"),
        },
        _webhook_deliveries,
    ),
    Kind(
        "xapi",
        _("Learning records sent (xAPI)"),
        {
            "organization": ORGANIZATION,
            "identifier": _("the name your records carry there"),
            "statements": _("records (verb, activity, queued at, sent at)"),
        },
        _xapi_identifiers,
    ),
    Kind(
        "data_exports",
        _("Copies of your data"),
        {
            "export_requested_at": _("requested at"),
            "kind": _("what"),
            "description": _("description"),
            "occurred_at": WHEN,
        },
        _exports,
    ),
)


def export_collect(*, user: User) -> dict[str, list[dict]]:
    """Every kind of record of the person, by kind name (a fixed number of queries)."""
    return {kind.name: kind.records(user) for kind in KINDS}


def _kind_file(kind: Kind, records: list[dict], generated_at: datetime.datetime) -> bytes:
    document = {
        "kind": kind.name,
        "format_version": FORMAT_VERSION,
        "generated_at": generated_at,
        "title": _both(lambda: kind.title),
        "labels": {field: _both(lambda label=label: label) for field, label in kind.labels.items()},
        "records": records,
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def export_zip(*, user: User, generated_at: datetime.datetime | None = None) -> bytes:
    """The ZIP of everything held about the person: `<kind>.json` for each kind,
    `summary.html` in their language, and each certificate's PDF, PNG badge and signed
    credential (JWT) under certificates/."""
    generated_at = generated_at or timezone.now()
    collected = export_collect(user=user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for kind in KINDS:
            archive.writestr(
                f"{kind.name}.json", _kind_file(kind, collected[kind.name], generated_at)
            )
        for certificate in _certificates_of(user):
            files = certificate_files(certificate)
            document = rendering.document_for(certificate)
            jwt = build.credential_jwt(certificate)
            archive.writestr(files["pdf"], rendering.render(document, "pdf"))
            archive.writestr(files["png"], baking.bake(rendering.render(document, "png"), jwt))
            archive.writestr(files["jwt"], jwt)
        archive.writestr("summary.html", _summary(user, collected, generated_at))
    return buffer.getvalue()


def _summary(user: User, collected: dict, generated_at: datetime.datetime) -> str:
    language = user.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        sections = [
            {
                "name": kind.name,
                "title": kind.title,
                "records": [
                    [
                        (label, _display(_label_of(field, record.get(field)), language))
                        for field, label in kind.labels.items()
                    ]
                    for record in collected[kind.name]
                ],
            }
            for kind in KINDS
        ]
        return render_to_string(
            "privacy/export_summary.html",
            {
                "user": user,
                "sections": sections,
                "generated_at": generated_at,
                "language": language,
                "profile_url": settings.SITE_URL + reverse("accounts:profile"),
                "certificates_url": settings.SITE_URL + reverse("certificates:mine"),
                "privacy_url": settings.SITE_URL + reverse("privacy:page"),
            },
        )


# The codes the JSON files keep (stable) that the summary page shows in words.
CHOICE_FIELDS = ("role", "state", "kind", "status", "workplace")


def _label_of(field: str, value):
    if field not in CHOICE_FIELDS or not isinstance(value, str):
        return value
    labels = {
        **dict(Workplace.choices),
        **dict(ReminderLog.Kind.choices),
        **dict(OutgoingEmail.Status.choices),
        **dict(Invitation.State.choices),
        **dict(Membership.Role.choices),
        **dict(AuditEvent.Kind.choices),
        **dict(DataExportEvent.Kind.choices),
    }
    return labels.get(value, value)


def _display(value, language: str) -> str:
    """A value of a record as the summary page shows it, in the person's language."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, dict):
        if set(value) <= set(LANGUAGES):
            return value.get(language) or next((text for text in value.values() if text), "—")
        return "; ".join(f"{key}: {_display(item, language)}" for key, item in value.items())
    if isinstance(value, list):
        return " | ".join(_display(item, language) for item in value) or "—"
    return str(value)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def data_export_request(*, user: User) -> DataExport:
    """Record the person's request and enqueue the building of their copy. Raises
    ExportLinkError(ERROR_PENDING) while one is being prepared (one at a time), and
    ERROR_TOO_MANY past REQUESTS_PER_DAY."""
    if DataExport.objects.filter(user=user, state=DataExport.State.PENDING).exists():
        raise ExportLinkError(ERROR_PENDING)
    if throttle_hit("privacy:export", str(user.pk), limit=REQUESTS_PER_DAY, window_seconds=86400):
        raise ExportLinkError(ERROR_TOO_MANY)
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user)
    except IntegrityError:  # asked twice at once: the other request stands
        raise ExportLinkError(ERROR_PENDING) from None
    DataExportEvent.objects.create(export=export, kind=DataExportEvent.Kind.REQUESTED, actor=user)
    task_enqueue(tasks.data_export_build, export_id=export.pk)
    return export


@transaction.atomic
def data_export_build(*, export_id: int) -> bool:
    """Build the ZIP of a pending export, keep it, and mail its link; an older copy not
    yet downloaded is replaced (deleted). False if it was not pending (built already)."""
    export = (
        DataExport.objects.select_for_update()
        .select_related("user")
        .filter(pk=export_id, state=DataExport.State.PENDING)
        .first()
    )
    if export is None:
        return False
    now = timezone.now()
    content = export_zip(user=export.user, generated_at=now)
    token = secrets.token_urlsafe(32)
    DataExport.objects.filter(user=export.user, state=DataExport.State.READY).update(
        state=DataExport.State.REPLACED, content=None
    )
    export.state = DataExport.State.READY
    export.content = content
    export.size = len(content)
    export.token_hash = token_hash(token)
    export.ready_at = now
    export.expires_at = now + datetime.timedelta(hours=settings.REPERE_DATA_EXPORT_EXPIRY_HOURS)
    export.save()
    DataExportEvent.objects.create(export=export, kind=DataExportEvent.Kind.READY, occurred_at=now)

    def context():
        return {
            "user": export.user,
            "link": settings.SITE_URL + reverse("privacy:export_download", kwargs={"token": token}),
            "hours": settings.REPERE_DATA_EXPORT_EXPIRY_HOURS,
        }

    email_queue(emails=[email_to(export.user, "privacy/email/data_export", context)])
    return True


def data_export_download(*, user: User, token: str) -> bytes:
    """The ZIP the link opens, for its owner, once: handed back and deleted. Raises
    DataExport.DoesNotExist for a link that is not the person's (the view answers 404, as
    for no link at all), and ExportLinkError for one used or expired. Every opening is
    recorded, a refused one too."""
    outcome, content = _download(user=user, token=token)
    if outcome is None:
        raise DataExport.DoesNotExist
    if outcome == DataExportEvent.Kind.REFUSED_OTHER:
        raise DataExport.DoesNotExist
    if outcome == DataExportEvent.Kind.REFUSED_USED:
        raise ExportLinkError(LINK_USED)
    if outcome == DataExportEvent.Kind.REFUSED_EXPIRED:
        raise ExportLinkError(LINK_EXPIRED)
    return content


@transaction.atomic
def _download(*, user: User, token: str) -> tuple[str | None, bytes]:
    export = (
        DataExport.objects.select_for_update()
        .filter(token_hash=token_hash(token))
        .exclude(token_hash="")
        .first()
    )
    if export is None:
        return None, b""
    now = timezone.now()
    content = b""
    if export.user_id != user.pk:
        outcome = DataExportEvent.Kind.REFUSED_OTHER
    elif export.state != DataExport.State.READY:
        outcome = DataExportEvent.Kind.REFUSED_USED
    elif export.expires_at is None or export.expires_at <= now:
        outcome = DataExportEvent.Kind.REFUSED_EXPIRED
    else:
        outcome = DataExportEvent.Kind.DOWNLOADED
        content = bytes(export.content)
        DataExport.objects.filter(pk=export.pk).update(
            state=DataExport.State.DOWNLOADED, downloaded_at=now, content=None
        )
    DataExportEvent.objects.create(export=export, kind=outcome, actor=user, occurred_at=now)
    return outcome, content
