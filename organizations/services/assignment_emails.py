"""E-mails about assignments: a course assigned to a person, or its due date changed.

Each says the course, the organization and the due date, in the person's language. One
person's (a supervisor changing one date) is queued like any other e-mail. A bulk
assignment's are written by one INSERT … SELECT per kind, from the assignments
themselves, in the transaction that assigns: no Python object per person. Their bodies
do not name the person, so that one text per language serves everyone. Their sending is
then enqueued in batches by one task (organizations.tasks), which walks the assignments
by keyset: the request costs the same statements for ten people as for ten thousand.
"""

import datetime
import uuid

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import OutgoingEmail, User
from accounts.services import Email, task_enqueue
from courses.models import Course
from organizations.models import Assignment, Organization
from organizations.tasks import assignment_emails_enqueue

ASSIGNED = "assigned"
DUE_CHANGED = "due_changed"


def assignment_texts(
    *,
    kind: str,
    course: Course,
    organization: Organization,
    due_on: datetime.date | None,
    language: str,
) -> tuple[str, str]:
    """The subject and body of the e-mail, in `language`."""
    with translation.override(language):
        context = {
            "kind": kind,
            "course_title": course.title,
            "organization": organization.name,
            "due_on": due_on,
            "course_url": settings.SITE_URL + course.get_absolute_url(),
        }
        subject = render_to_string("organizations/email/assignment_subject.txt", context)
        body = render_to_string("organizations/email/assignment.txt", context)
    return " ".join(subject.split()), body


def assignment_message(*, kind: str, assignment: Assignment, user: User) -> Email:
    """One person's e-mail about one assignment (not keyed: each change is news)."""
    language = user.preferred_language or settings.LANGUAGE_CODE
    subject, body = assignment_texts(
        kind=kind,
        course=assignment.course,
        organization=assignment.organization,
        due_on=assignment.due_on,
        language=language,
    )
    return Email(recipient=user.email, subject=subject, body=body, user=user, language=language)


def new_key_prefix() -> str:
    """The prefix of the keys of one bulk assignment's e-mails: `<prefix><assignment pk>`."""
    return f"assignment:{uuid.uuid4().hex}:"


def _by_language(column: str, texts: dict[str, str]) -> tuple[str, list[str]]:
    """A CASE on the person's language choosing among `texts` (default language else)."""
    default = settings.LANGUAGE_CODE
    whens, params = [], []
    for language, text in texts.items():
        if language != default:
            whens.append(f"WHEN {column} = %s THEN %s")
            params += [language, text]
    if not whens:
        return "%s", [texts[default]]
    return f"CASE {' '.join(whens)} ELSE %s END", [*params, texts[default]]


def emails_insert(
    *,
    kind: str,
    key_prefix: str,
    organization: Organization,
    course: Course,
    due_on: datetime.date | None,
    where: str,
    where_params: list,
    units: QuerySet | None = None,
) -> int:
    """Queue one e-mail per assignment of (organization, course) matching `where` (SQL
    on the assignment, aliased `a`) whose learner is active, in one INSERT … SELECT.
    With `units` (ids of organizations, as `unit_ids_in` gives them), the assignments of
    every one of those units instead, each e-mail naming `organization`: the one that
    assigned. Returns how many. The caller enqueues their sending (`sending_enqueue`)."""
    languages = [code for code, _name in settings.LANGUAGES]
    texts = {
        language: assignment_texts(
            kind=kind, course=course, organization=organization, due_on=due_on, language=language
        )
        for language in languages
    }
    subject_sql, subject_params = _by_language(
        "u.preferred_language", {lang: text[0] for lang, text in texts.items()}
    )
    body_sql, body_params = _by_language(
        "u.preferred_language", {lang: text[1] for lang, text in texts.items()}
    )
    language_sql, language_params = _by_language(
        "u.preferred_language", {lang: lang for lang in languages}
    )
    operations = connection.ops
    now = operations.adapt_datetimefield_value(timezone.now())
    if units is None:
        organization_sql, organization_params = "a.organization_id = %s", [organization.pk]
    else:
        units_sql, units_params = units.query.sql_with_params()
        organization_sql, organization_params = f"a.organization_id IN ({units_sql})", units_params
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {OutgoingEmail._meta.db_table}"
            " (idempotency_key, recipient, user_id, subject, body, language, password_link,"
            " status, attempts, last_error, created_at, next_attempt_at)"
            f" SELECT %s || CAST(a.id AS TEXT), u.email, u.id, {subject_sql}, {body_sql},"
            f" {language_sql}, %s, %s, 0, '', %s, %s"
            f" FROM {Assignment._meta.db_table} a JOIN {User._meta.db_table} u"
            " ON u.id = a.learner_id"
            f" WHERE {organization_sql} AND a.course_id = %s AND u.is_active = %s AND {where}"
            " ON CONFLICT (idempotency_key) DO NOTHING",
            [
                key_prefix,
                *subject_params,
                *body_params,
                *language_params,
                False,
                OutgoingEmail.Status.QUEUED,
                now,
                now,
                *organization_params,
                course.pk,
                True,
                *where_params,
            ],
        )
        return max(cursor.rowcount, 0)


def sending_enqueue(
    *, organization: Organization, course: Course, key_prefix: str, with_units: bool = False
) -> None:
    """One task that enqueues, in batches, the sending of the e-mails keyed `key_prefix`
    (in the caller's transaction: it commits or rolls back with them); `with_units`: of
    the assignments of the organization's units too."""
    arguments = {"with_units": True} if with_units else {}
    task_enqueue(
        assignment_emails_enqueue,
        organization_id=organization.pk,
        course_id=course.pk,
        key_prefix=key_prefix,
        **arguments,
    )
