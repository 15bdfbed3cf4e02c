"""Who may reach what: every URL of the project × every kind of person.

The URLs come from the URL configuration itself (walked recursively, i18n patterns and
includes too), so a new URL cannot be forgotten: `test_every_url_is_in_the_registry` fails
for any URL name that REGISTRY does not describe.

HOW TO REGISTER A URL
    Add an entry to REGISTRY below: the URL name ("namespace:name") mapped to a function
    that receives the `World` (one person per role, two organizations, a published and a
    draft course…) and returns one or more `Case`s:

        "quizzes:attempt_detail": lambda w: [
            Case(
                kwargs={"attempt_id": AttemptFactory(learner=w.users["staff"]).pk},
                allowed={"staff"},             # roles that may reach it (ALL, SIGNED_IN…)
                reveals={"staff": ("staff",)},  # whose names each role may see on it
            ),
        ],

    `method="POST"` and `data={...}` for actions. A role in `allowed` must get a 200, or a
    redirect (not to the login page) that it can follow to a 200. Any other role must get a
    redirect to the login page (anonymous only) or a 403/404, and must change nothing in
    the database. Whatever the role and the method, no response is a 500, and no 200 shows
    the name of a person the case does not list in `reveals`.

    URLs that are not ours to check go in SKIPPED, with the reason.

    The REST API (/api/v1/, the token endpoint) answers machines with an OAuth token, not
    browsers: its cases say `expect=401`, and every role, signed in or not, must get
    exactly that status (a browser session is no credential of the API) and change
    nothing. tests/api checks the tokens of each organization's clients.

Roles: anonymous, staff (and staff of another organization), supervisor (and supervisor of
another organization), an editor (`is_staff` with only the permission to change lessons:
no access to any organization or anyone's certificate), administrator; and a school board
with two schools (units): staff of each school, the supervisor of a school (unit), of the
board above it (parent unit) and of the other school (sibling unit). A supervisor sees
their unit and the units below it, never a unit outside that subtree.
"""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.workplaces import Workplace
from courses.services import enrollment_create, lesson_mark_done
from tests.factories import AdminFactory, CourseFactory, UserFactory


def _passkey_of(user):
    """A passkey of the person (a real credential, from tests/webauthn.py)."""
    from allauth.mfa.webauthn.internal.auth import WebAuthn

    from tests.webauthn import SoftPasskey

    return WebAuthn.add(user, "Clé", json.loads(SoftPasskey().register("AAAA"))).instance


# In this order: the roles that may act (supervisors, administrators) come after the staff
# they act on, so that a change they make (a role) never lets a later role in.
ROLES = (
    "anonymous",
    "staff",
    "staff_other",
    "staff_unit",
    "staff_sibling",
    "supervisor",
    "supervisor_other",
    "supervisor_unit",
    "supervisor_parent",
    "supervisor_sibling",
    "editor",
    "administrator",
)
ALL = frozenset(ROLES)
SIGNED_IN = ALL - {"anonymous"}
NOBODY = frozenset()
# Who may read drafts: people who may sign in to the admin (editors of content).
EDITORS = frozenset({"editor", "administrator"})
# The apps whose rows a refused request must leave untouched.
PROJECT_APPS = (
    "accounts",
    "courses",
    "quizzes",
    "certificates",
    "organizations",
    "supervision",
    "api",
    "oauth2_provider",
)
LOGIN_PATH = "/fr/accounts/login/"
JOINED = timezone.now() - datetime.timedelta(days=365)

# --- the world ---------------------------------------------------------------------------


def organizations_models():
    """(Organization, Membership), or None before the organizations app has them."""
    try:
        return apps.get_model("organizations", "Organization"), apps.get_model(
            "organizations", "Membership"
        )
    except LookupError:
        return None


@dataclass
class World:
    users: dict  # role -> User, or None for anonymous
    course: object  # published, every signed-in role enrolled, staff half-way
    draft: object  # unpublished: administrators only
    other_course: object  # published, nobody enrolled
    # "home"/"other", and "board" with its units "unit" and "sibling" -> Organization
    organizations: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # for builders that need to share objects

    def name_of(self, role: str) -> str:
        user = self.users[role]
        return user.full_name if user else ""


def build_world() -> World:
    users = {"anonymous": None}
    for role in ROLES[1:]:
        factory = AdminFactory if role == "administrator" else UserFactory
        # A name no page shows by chance: the marker of that person's data.
        users[role] = factory(full_name=f"Person {role.replace('_', ' ').title()} Zq{len(users)}")
    users["editor"].is_staff = True
    users["editor"].save(update_fields=["is_staff"])
    users["editor"].user_permissions.add(Permission.objects.get(codename="change_lesson"))
    course = CourseFactory(lessons=4)
    draft = CourseFactory(lessons=2, is_published=False)
    other_course = CourseFactory(lessons=2)
    for role in SIGNED_IN:
        enrollment_create(learner=users[role], course=course)
    lesson_mark_done(learner=users["staff"], lesson=first_lesson(course))
    world = World(users=users, course=course, draft=draft, other_course=other_course)

    models = organizations_models()
    if models is not None:
        Organization, Membership = models
        world.organizations = {
            "home": Organization.objects.create(
                name="Refuge du Nord", kind=Workplace.SHELTER, province="QC"
            ),
            "other": Organization.objects.create(
                name="École du Sud", kind=Workplace.SCHOOL, province="ON"
            ),
        }
        board = Organization.objects.create(
            name="Conseil scolaire des Rivières", kind=Workplace.SCHOOL, province="QC"
        )
        world.organizations["board"] = board
        for key, name in (("unit", "École des Érables"), ("sibling", "École des Bouleaux")):
            world.organizations[key] = Organization.objects.create(
                name=name, kind=Workplace.SCHOOL, province="QC", parent=board
            )
        for role, organization, kind in [
            ("staff", "home", "staff"),
            ("supervisor", "home", "supervisor"),
            ("staff_other", "other", "staff"),
            ("supervisor_other", "other", "supervisor"),
            ("staff_unit", "unit", "staff"),
            ("staff_sibling", "sibling", "staff"),
            ("supervisor_unit", "unit", "supervisor"),
            ("supervisor_parent", "board", "supervisor"),
            ("supervisor_sibling", "sibling", "supervisor"),
        ]:
            Membership.objects.create(
                user=users[role],
                organization=world.organizations[organization],
                role=kind,
                created_at=JOINED,
            )
    return world


def pending_invitation(world: World, *, organization: str, to: str):
    """An invitation of the organization to the person, not answered yet."""
    from organizations.models import Invitation

    return Invitation.objects.create(
        organization=world.organizations[organization],
        email=world.users[to].email,
        full_name="Name Typed By The Supervisor",
        role="staff",
    )


def first_lesson(course):
    return course.modules.order_by("position").first().lessons.order_by("position").first()


# --- cases ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    kwargs: dict = field(default_factory=dict)
    allowed: frozenset = ALL
    method: str = "GET"
    data: dict = field(default_factory=dict)
    label: str = ""
    # role -> roles whose names that role may see on the page (its own always).
    reveals: dict = field(default_factory=dict)
    # For actions that use their object up (removing a member): a function returning new
    # kwargs before each request, so that every role acts on an object of its own.
    fresh: Callable | None = None
    # The one status every role gets (the API's 401): `allowed` is then not read.
    expect: int | None = None

    def kwargs_now(self) -> dict:
        return self.fresh() if self.fresh is not None else self.kwargs


def check_cases(w) -> list[Case]:
    from tests.assessments.factories import item_bank

    without_items = CourseFactory(lessons=1)
    for course in (w.course, w.draft, w.other_course):
        item_bank(course=course, per_form=1)
    return [
        Case(kwargs={"slug": w.course.slug}, allowed=SIGNED_IN, label="enrolled"),
        Case(kwargs={"slug": w.course.slug}, method="POST", allowed=SIGNED_IN, label="empty"),
        Case(kwargs={"slug": w.other_course.slug}, allowed=SIGNED_IN, label="not enrolled"),
        Case(kwargs={"slug": w.draft.slug}, allowed=EDITORS, label="draft"),
        Case(kwargs={"slug": without_items.slug}, allowed=NOBODY, label="no items"),
        Case(kwargs={"slug": "no-such-course"}, allowed=NOBODY, label="unknown"),
    ]


def lesson_kwargs(course):
    return {"slug": course.slug, "lesson_id": first_lesson(course).pk}


SUPERVISORS = frozenset(
    {"supervisor", "supervisor_other", "supervisor_unit", "supervisor_parent", "supervisor_sibling"}
)
# Each organization with people: its staff member, its own supervisor, and the
# supervisors of the units above it (who see it too).
ORGANIZATIONS_WITH_PEOPLE = (
    ("home", "staff", "supervisor", ()),
    ("other", "staff_other", "supervisor_other", ()),
    ("unit", "staff_unit", "supervisor_unit", ("supervisor_parent",)),
    ("sibling", "staff_sibling", "supervisor_sibling", ("supervisor_parent",)),
)
# A member of an organization reached through another organization's address: nobody
# gets there (the other organization, a sibling unit).
CROSSINGS = (("home", "staff_other"), ("unit", "staff_sibling"), ("sibling", "staff_unit"))


class _StaffCsv:
    """A CSV upload the test client can send again and again (it reads files once)."""

    name = "staff.csv"

    def read(self):
        return b"nom;courriel\nNouvelle Personne;nouvelle@example.org\n"


def organization_cases(w, *, method="GET", data=None, assigned=False, members_shown=False):
    """One case per organization: its supervisor, the supervisors of the units above it and
    administrators may; nobody else. The board's pages roll its units up: its supervisor
    sees the schools' people there.

    `assigned`: each organization's staff member gets the course first, so that the page
    lists them; `members_shown`: the page lists every member of the organization."""
    cases = []
    for key, staff, supervisor, above in ORGANIZATIONS_WITH_PEOPLE:
        organization = w.organizations[key]
        if assigned:
            organization.assignments.get_or_create(learner=w.users[staff], course=w.course)
        shown = (staff,) if assigned or members_shown else ()
        others = (supervisor,) if members_shown else ()
        cases.append(
            Case(
                kwargs={"organization_id": organization.pk},
                allowed={supervisor, *above, "administrator"},
                method=method,
                data=data or {},
                label=key,
                reveals={
                    supervisor: shown,
                    **{role: shown + others for role in above},
                    "administrator": shown + others,
                },
            )
        )
    below = ("staff_unit", "staff_sibling") if assigned else ()
    cases.append(
        Case(
            kwargs={"organization_id": w.organizations["board"].pk},
            allowed={"supervisor_parent", "administrator"},
            method=method,
            data=data or {},
            label="board",
            reveals={
                "supervisor_parent": below,
                "administrator": below + (("supervisor_parent",) if members_shown else ()),
            },
        )
    )
    return cases


def membership_of(world: World, role: str):
    return world.users[role].memberships.get()


def new_membership(world: World, role: str):
    """The person joins one more organization (that has a supervisor of its own)."""
    from organizations.models import Membership, Organization

    organization = Organization.objects.create(
        name="Un autre refuge", kind="shelter", province="QC"
    )
    Membership.objects.create(
        user=UserFactory(full_name="Some Supervisor"), organization=organization, role="supervisor"
    )
    return Membership.objects.create(user=world.users[role], organization=organization)


def new_member(world: World, key: str):
    from organizations.models import Membership

    return Membership.objects.create(
        user=UserFactory(full_name="New Member Of The Organization"),
        organization=world.organizations[key],
    )


def member_cases(w, *, method="GET", data=None, fresh=False):
    """A member of each organization, acted on by that organization's supervisor (or an
    administrator); and a member of the other organization through this one's address,
    or a member of a sibling unit through a unit's, which nobody reaches."""
    cases = []
    for key, staff, supervisor, above in ORGANIZATIONS_WITH_PEOPLE:
        organization_id = w.organizations[key].pk
        kwargs = {"organization_id": organization_id, "membership_id": membership_of(w, staff).pk}

        def renew(key=key, organization_id=organization_id):
            return {"organization_id": organization_id, "membership_id": new_member(w, key).pk}

        cases.append(
            Case(
                kwargs=kwargs,
                allowed={supervisor, *above, "administrator"},
                method=method,
                data=data or {},
                label=key,
                reveals={role: (staff,) for role in (supervisor, *above, "administrator")},
                fresh=renew if fresh else None,
            )
        )
    for key, member in CROSSINGS:
        cases.append(
            Case(
                kwargs={
                    "organization_id": w.organizations[key].pk,
                    "membership_id": membership_of(w, member).pk,
                },
                allowed=NOBODY,
                method=method,
                data=data or {},
                label=f"member of {member}'s organization through {key}",
            )
        )
    return cases


# An invitation of each organization to someone of another: (organization, invited,
# its supervisor, the supervisors above it).
INVITATIONS = (
    ("home", "staff_other", "supervisor", ()),
    ("other", "staff", "supervisor_other", ()),
    ("unit", "staff_sibling", "supervisor_unit", ("supervisor_parent",)),
    ("sibling", "staff_unit", "supervisor_sibling", ("supervisor_parent",)),
)


def invitation_cases(w):
    """A pending invitation of each organization, to the other organization's staff
    member: only the inviting organization's supervisor (or an administrator) acts on
    it, and nobody sees the invited person's name."""
    cases = []
    for key, invited, supervisor, above in INVITATIONS:
        invitation = pending_invitation(w, organization=key, to=invited)
        cases.append(
            Case(
                kwargs={"organization_id": w.organizations[key].pk, "invitation_id": invitation.pk},
                allowed={supervisor, *above, "administrator"},
                method="POST",
                label=key,
            )
        )
    return cases


def person_cases(w, *, name_kwargs=None, method="GET", data=None, fresh=False):
    """The page of one staff member of each organization (assigned the course), reached
    by that organization's supervisor (or an administrator); and a member of the other
    organization (or of a sibling unit) through this one's address, which nobody reaches.
    With `assignment`
    kwargs (`name_kwargs="assignment"`), the action is on the person's assignment;
    `fresh`: each request acts on a new member's own assignment."""
    cases = []
    for key, staff, supervisor, above in ORGANIZATIONS_WITH_PEOPLE:
        organization = w.organizations[key]
        assignment, _created = organization.assignments.get_or_create(
            learner=w.users[staff], course=w.course
        )

        def kwargs_for(user, assignment, organization=organization):
            kwargs = {"organization_id": organization.pk, "user_id": user.pk}
            if name_kwargs == "assignment":
                kwargs["assignment_id"] = assignment.pk
            return kwargs

        def renew(key=key, organization=organization, kwargs_for=kwargs_for):
            member = new_member(w, key)
            assignment = organization.assignments.create(learner=member.user, course=w.course)
            return kwargs_for(member.user, assignment)

        cases.append(
            Case(
                kwargs=kwargs_for(w.users[staff], assignment),
                allowed={supervisor, *above, "administrator"},
                method=method,
                data=data or {},
                label=key,
                reveals={role: (staff,) for role in (supervisor, *above, "administrator")},
                fresh=renew if fresh else None,
            )
        )
    for key, member in CROSSINGS:
        their_organization = membership_of(w, member).organization
        theirs, _created = their_organization.assignments.get_or_create(
            learner=w.users[member], course=w.course
        )
        kwargs = {"organization_id": w.organizations[key].pk, "user_id": w.users[member].pk}
        if name_kwargs == "assignment":
            kwargs["assignment_id"] = theirs.pk
        cases.append(
            Case(
                kwargs=kwargs,
                allowed=NOBODY,
                method=method,
                data=data or {},
                label=f"member of {member}'s organization through {key}",
            )
        )
    return cases


def person_invitation_cases(w):
    """A pending invitation of each organization: its page shows only what was typed."""
    cases = []
    for key, invited, supervisor, above in INVITATIONS:
        invitation = pending_invitation(w, organization=key, to=invited)
        cases.append(
            Case(
                kwargs={"organization_id": w.organizations[key].pk, "invitation_id": invitation.pk},
                allowed={supervisor, *above, "administrator"},
                label=key,
            )
        )
    return cases


def quiz_of(course):
    """The quiz of the course's first module (three questions), made once per course."""
    from tests.quizzes.factories import quiz_with_questions

    module = course.modules.order_by("position").first()
    return getattr(module, "quiz", None) or quiz_with_questions(3, module=module)


def staff_attempts(world: World):
    """The staff member's attempts at the published course's quiz: (submitted, in progress)."""
    if "attempts" not in world.extra:
        from quizzes.services import attempt_start, attempt_submit
        from tests.quizzes.factories import answers_for

        quiz, staff = quiz_of(world.course), world.users["staff"]
        submitted = attempt_start(learner=staff, quiz=quiz)
        attempt_submit(attempt=submitted, answers=answers_for(submitted, right=False))
        world.extra["attempts"] = (submitted, attempt_start(learner=staff, quiz=quiz))
    return world.extra["attempts"]


def quiz_kwargs(course):
    return {"slug": course.slug, "module_id": quiz_of(course).module_id}


def staff_certificate(world: World, *, expired: bool = False):
    """A certificate held by the staff member of the home organization."""
    import datetime

    from django.utils import timezone

    from tests.certificates.factories import CertificateFactory

    expires_on = timezone.localdate() + datetime.timedelta(days=-1 if expired else 300)
    return CertificateFactory(enrollment__learner=world.users["staff"], expires_on=expires_on)


def certificate_download_cases(world: World) -> list[Case]:
    # The holder, supervisors of the organization that assigned its course to the holder
    # (a member since before it was issued), and administrators; never an editor.
    certificate = staff_certificate(world)
    world.organizations["home"].assignments.create(
        learner=world.users["staff"], course=certificate.course
    )
    return [
        Case(
            kwargs={"pk": certificate.pk},
            allowed={"staff", "supervisor", "administrator"},
            reveals={"supervisor": ("staff",), "administrator": ("staff",)},
        )
    ]


def data_export_token(w: World) -> str:
    """A ready copy of staff's data (its bytes a stand-in), and the token of its link."""
    from privacy.export import token_hash
    from privacy.models import DataExport

    token = "matrix-token-of-staff"
    DataExport.objects.create(
        user=w.users["staff"],
        state=DataExport.State.READY,
        token_hash=token_hash(token),
        content=b"PK\x05\x06" + bytes(18),
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )
    return token


def api_assignment_cases(w: World, *, detail: bool) -> list[Case]:
    """The home organization's assignment to its staff member, read or written by a
    browser: 401 for everyone, whatever their role."""
    assignment, _created = w.organizations["home"].assignments.get_or_create(
        learner=w.users["staff"], course=w.course
    )
    if detail:
        return [Case(kwargs={"assignment_id": assignment.pk}, expect=401)]
    body = {"member": w.users["staff"].pk, "course": w.other_course.pk}
    return [Case(expect=401), Case(method="POST", data=body, expect=401, label="assign")]


REGISTRY: dict[str, Callable[[World], list[Case]]] = {
    # --- courses -----------------------------------------------------------------------
    "home": lambda w: [Case()],
    "courses:catalogue": lambda w: [Case()],
    "courses:my_learning": lambda w: [Case(allowed=SIGNED_IN)],
    "courses:quick_exit_help": lambda w: [Case()],
    "courses:course_detail": lambda w: [
        Case(kwargs={"slug": w.course.slug}, label="published"),
        Case(kwargs={"slug": w.draft.slug}, allowed=EDITORS, label="draft"),
        Case(kwargs={"slug": "no-such-course"}, allowed=NOBODY, label="unknown"),
    ],
    # Not complete: sent to the course page (an allowed place); the page itself is
    # tested in tests/certificates/test_completion.py.
    "courses:course_completed": lambda w: [
        Case(kwargs={"slug": w.course.slug}, allowed=SIGNED_IN, label="published"),
        Case(kwargs={"slug": w.draft.slug}, allowed=EDITORS, label="draft"),
        Case(kwargs={"slug": "no-such-course"}, allowed=NOBODY, label="unknown"),
    ],
    # Sending the survey: an empty one records nothing and goes back to the completion
    # page; a course the person may not see is a 404.
    "surveys:survey_submit": lambda w: [
        Case(kwargs={"slug": w.course.slug}, method="POST", allowed=SIGNED_IN),
        Case(kwargs={"slug": w.draft.slug}, method="POST", allowed=EDITORS, label="draft"),
        Case(kwargs={"slug": "no-such-course"}, method="POST", allowed=NOBODY, label="unknown"),
    ],
    # The knowledge check: anyone signed in who may see the course (not enrolled, a lesson
    # done or not complete yet: sent to the course page, where the reason is said); a
    # course without items, or one the person may not see, is a 404.
    "assessments:check_before": lambda w: check_cases(w),
    "assessments:check_after": lambda w: check_cases(w),
    "courses:course_enroll": lambda w: [
        Case(kwargs={"slug": w.other_course.slug}, method="POST", allowed=SIGNED_IN),
        Case(
            kwargs={"slug": w.draft.slug},
            method="POST",
            allowed=EDITORS,
            label="draft",
        ),
    ],
    "courses:lesson_detail": lambda w: [
        Case(kwargs=lesson_kwargs(w.course), allowed=SIGNED_IN, label="enrolled"),
        # Not enrolled: sent to the course page to enroll first (an allowed place).
        Case(kwargs=lesson_kwargs(w.other_course), allowed=SIGNED_IN, label="not enrolled"),
        Case(kwargs=lesson_kwargs(w.draft), allowed=EDITORS, label="draft"),
        Case(
            kwargs={"slug": w.course.slug, "lesson_id": first_lesson(w.other_course).pk},
            allowed=NOBODY,
            label="lesson of another course",
        ),
    ],
    "courses:lesson_mark_done": lambda w: [
        Case(kwargs=lesson_kwargs(w.course), method="POST", allowed=SIGNED_IN),
        Case(
            kwargs=lesson_kwargs(w.draft),
            method="POST",
            allowed=EDITORS,
            label="draft",
        ),
        Case(
            kwargs={"slug": w.course.slug, "lesson_id": first_lesson(w.other_course).pk},
            method="POST",
            allowed=NOBODY,
            label="lesson of another course",
        ),
    ],
    # The preview: staff who may view or change lessons, draft or published, enrolled
    # or not; nobody else.
    "courses:lesson_preview": lambda w: [
        Case(kwargs=lesson_kwargs(w.course), allowed=EDITORS, label="published"),
        Case(kwargs=lesson_kwargs(w.draft), allowed=EDITORS, label="draft"),
        Case(
            kwargs={"slug": w.course.slug, "lesson_id": first_lesson(w.other_course).pk},
            allowed=NOBODY,
            label="lesson of another course",
        ),
    ],
    # --- quizzes -------------------------------------------------------------------------
    "quizzes:quiz_detail": lambda w: [
        Case(kwargs=quiz_kwargs(w.course), allowed=SIGNED_IN, label="enrolled"),
        # Not enrolled: sent to the course page to enroll first (an allowed place).
        Case(kwargs=quiz_kwargs(w.other_course), allowed=SIGNED_IN, label="not enrolled"),
        Case(kwargs=quiz_kwargs(w.draft), allowed=EDITORS, label="draft"),
    ],
    "quizzes:quiz_start": lambda w: [
        Case(kwargs=quiz_kwargs(w.course), method="POST", allowed=SIGNED_IN),
        Case(kwargs=quiz_kwargs(w.draft), method="POST", allowed=EDITORS, label="draft"),
    ],
    # Staff who may view or change quizzes (the editor may change lessons only).
    "quizzes:quiz_preview": lambda w: [
        Case(kwargs=quiz_kwargs(w.course), allowed={"administrator"}, label="published"),
        Case(kwargs=quiz_kwargs(w.draft), allowed={"administrator"}, label="draft"),
        Case(
            kwargs=quiz_kwargs(w.draft),
            method="POST",
            data={},  # nothing answered: the form again, with its errors
            allowed={"administrator"},
            label="draft, submitted",
        ),
    ],
    # An attempt is its learner's alone: not their supervisor's, not an administrator's.
    "quizzes:attempt_detail": lambda w: [
        Case(kwargs={"attempt_id": staff_attempts(w)[1].pk}, allowed={"staff"}),
    ],
    "quizzes:attempt_submit": lambda w: [
        Case(
            kwargs={"attempt_id": staff_attempts(w)[1].pk},
            method="POST",
            data={},  # nothing answered: the form again, with its errors
            allowed={"staff"},
        ),
    ],
    "quizzes:attempt_result": lambda w: [
        Case(kwargs={"attempt_id": staff_attempts(w)[0].pk}, allowed={"staff"}),
    ],
    # --- certificates ------------------------------------------------------------------
    "certificates:mine": lambda w: [Case(allowed=SIGNED_IN)],
    "certificates:png": lambda w: certificate_download_cases(w),
    "certificates:pdf": lambda w: certificate_download_cases(w),
    # The credential (JSON, JWT, baked PNG): whoever may download the certificate.
    "certificates:credential_json": lambda w: certificate_download_cases(w),
    "certificates:credential_jwt": lambda w: certificate_download_cases(w),
    "certificates:badge": lambda w: certificate_download_cases(w),
    "certificates:renew": lambda w: [
        Case(
            kwargs={"pk": staff_certificate(w, expired=True).pk},
            method="POST",
            allowed={"staff"},  # the holder only; then to the course page
            label="expired",
        ),
    ],
    "verify:form": lambda w: [Case(), Case(data={"code": "not a code"}, label="malformed")],
    "verify:detail": lambda w: [
        # Public: anyone may see the holder's name on the verification page.
        Case(
            kwargs={"code": staff_certificate(w).display_code},
            reveals={role: ("staff",) for role in ALL},
        ),
        Case(kwargs={"code": "AAAA-BBBB-CCCC-DDDD"}, allowed=NOBODY, label="unknown code"),
    ],
    # The credential for machines: public like the page it belongs to.
    "verify:detail_json": lambda w: [
        Case(
            kwargs={"code": staff_certificate(w).display_code},
            reveals={role: ("staff",) for role in ALL},
        ),
        Case(kwargs={"code": "AAAA-BBBB-CCCC-DDDD"}, allowed=NOBODY, label="unknown code"),
    ],
    # What verifiers fetch: public, and nobody's name.
    "credentials:issuer": lambda w: [Case()],
    "credentials:jwks": lambda w: [Case()],
    "credentials:status_list": lambda w: [Case(kwargs={"number": 0})],
    # --- accounts ----------------------------------------------------------------------
    "accounts:profile": lambda w: [Case(allowed=SIGNED_IN)],
    # Two-factor: one's own status and set-up (nobody in the world has it on).
    "accounts:two_factor": lambda w: [Case(allowed=SIGNED_IN)],
    "accounts:two_factor_setup": lambda w: [Case(allowed=SIGNED_IN)],
    # New recovery codes: without two-factor, to the set-up page, nothing made.
    "accounts:two_factor_recovery_codes": lambda w: [Case(method="POST", allowed=SIGNED_IN)],
    # The code after the password: with no password step waiting, nobody has anything here
    # (signed out: back to the sign-in page).
    "accounts:two_factor_code": lambda w: [
        Case(allowed=NOBODY),
        Case(method="POST", data={"code": "123456"}, allowed=NOBODY, label="a code"),
    ],
    # Passkeys: adding one's own; one's own passkey's page and removal (a supervisor's
    # here: anybody else's is not found).
    "accounts:passkey_add": lambda w: [Case(allowed=SIGNED_IN)],
    "accounts:passkey": lambda w: [
        Case(kwargs={"passkey_id": _passkey_of(w.users["supervisor"]).pk}, allowed={"supervisor"}),
        Case(
            method="POST",
            kwargs={"passkey_id": _passkey_of(w.users["supervisor"]).pk},
            data={"name": "Renamed"},
            allowed={"supervisor"},
            label="rename",
        ),
    ],
    "accounts:passkey_remove": lambda w: [
        Case(
            method="POST",
            kwargs={"passkey_id": _passkey_of(w.users["supervisor"]).pk},
            allowed={"supervisor"},
        )
    ],
    # --- privacy (issue 20) -------------------------------------------------------------
    "privacy:page": lambda w: [Case()],
    "privacy:my_data": lambda w: [
        Case(allowed=SIGNED_IN),
        Case(method="POST", allowed=SIGNED_IN, label="ask for a copy"),
    ],
    # The link of staff's copy: theirs only (the others get a 404, as for no link).
    "privacy:export_download": lambda w: [
        Case(kwargs={"token": data_export_token(w)}, allowed={"staff"}),
        Case(kwargs={"token": "no-such-link"}, allowed=NOBODY, label="unknown link"),
    ],
    "privacy:close_account": lambda w: [Case(allowed=SIGNED_IN)],
    "privacy:keep_account": lambda w: [Case(method="POST", allowed=SIGNED_IN)],
    # --- django.contrib.auth, as configured here --------------------------------------
    "login": lambda w: [Case()],
    # The same view under the name allauth's pages link to.
    "account_login": lambda w: [Case()],
    # A provider sign-in that waits for the existing account's password: with none
    # waiting, nobody has anything here (signed out: back to the sign-in page).
    "organizations:sign_in_link": lambda w: [Case(allowed=NOBODY)],
    # The REST API: its schema and documentation page are public (they hold no data); every
    # operation answers 401 to a browser, signed in or not.
    "api:schema": lambda w: [Case()],
    "api:docs": lambda w: [Case(), Case(data={"script": ""}, label="start-up script")],
    "api:token": lambda w: [
        Case(method="POST", data={"grant_type": "client_credentials"}, expect=401)
    ],
    "api:organization": lambda w: [Case(expect=401)],
    "api:members": lambda w: [Case(expect=401)],
    "api:member": lambda w: [
        Case(kwargs={"member_id": w.users["staff"].pk}, expect=401),
    ],
    "api:assignments": lambda w: api_assignment_cases(w, detail=False),
    "api:assignment": lambda w: api_assignment_cases(w, detail=True),
    "api:progress_list": lambda w: [Case(expect=401)],
    "api:progress": lambda w: api_assignment_cases(w, detail=True),
    "api:certificates": lambda w: [Case(expect=401)],
    # allauth's steps of a provider sign-in: no provider of that id, nothing for anyone.
    "openid_connect_login": lambda w: [Case(kwargs={"provider_id": "none"}, allowed=NOBODY)],
    "openid_connect_callback": lambda w: [Case(kwargs={"provider_id": "none"}, allowed=NOBODY)],
    "socialaccount_login_cancelled": lambda w: [Case()],
    # SAML 2.0: no application of that client id, nothing for anyone (the round trip
    # through a real identity provider: tests/organizations/test_sign_in_saml.py).
    "saml_login": lambda w: [Case(kwargs={"organization_slug": "none"}, allowed=NOBODY)],
    "saml_finish_acs": lambda w: [Case(kwargs={"organization_slug": "none"}, allowed=NOBODY)],
    "saml_metadata": lambda w: [Case(kwargs={"organization_slug": "none"}, allowed=NOBODY)],
    "saml_sls": lambda w: [Case(kwargs={"organization_slug": "none"}, allowed=NOBODY)],
    # LTI 1.3: what an LMS calls; without a launch from one, nothing for anyone (the round
    # trips through a real platform: tests/lti).
    "lti:jwks": lambda w: [Case()],
    "lti:login": lambda w: [Case(expect=400, label="no login initiation")],
    "lti:login_for_registration": lambda w: [
        Case(kwargs={"registration_uuid": "00000000-0000-0000-0000-000000000000"}, expect=400)
    ],
    "lti:launch": lambda w: [Case(method="POST", expect=400, label="no id token")],
    "lti:deep_link": lambda w: [
        Case(method="POST", data={"target": f"course:{w.course.pk}"}, expect=400)
    ],
    "lti:register": lambda w: [
        Case(
            kwargs={"token": "none"},
            data={"openid_configuration": "http://127.0.0.1:9/"},
            expect=400,
        )
    ],
    "logout": lambda w: [Case(method="POST")],
    "password_change": lambda w: [Case(allowed=SIGNED_IN)],
    "password_change_done": lambda w: [Case(allowed=SIGNED_IN)],
    "password_reset": lambda w: [Case()],
    "password_reset_done": lambda w: [Case()],
    "password_reset_confirm": lambda w: [
        Case(kwargs={"uidb64": "MQ", "token": "set-password"}, label="stale link")
    ],
    "password_reset_complete": lambda w: [Case()],
    # --- organizations -------------------------------------------------------------------
    "organizations:index": lambda w: [
        Case(allowed=SUPERVISORS | {"administrator"}),
    ],
    "supervision:dashboard": lambda w: organization_cases(w, assigned=True),
    "surveys:organization_survey": lambda w: organization_cases(w),
    # The knowledge check's gain: aggregates of the organization's members, never a name.
    "assessments_reports:organization_gain": lambda w: organization_cases(w),
    "assessments_reports:organization_gain_csv": lambda w: organization_cases(w),
    "assessments_reports:organization_gain_xlsx": lambda w: organization_cases(w),
    "supervision:export": lambda w: organization_cases(w, assigned=True),
    "supervision:export_xlsx": lambda w: organization_cases(w, assigned=True),
    "supervision:certificates_zip": lambda w: organization_cases(w, assigned=True),
    "organizations:member_list": lambda w: organization_cases(w, members_shown=True),
    "organizations:member_add": lambda w: [
        *organization_cases(w),
        *organization_cases(
            w,
            method="POST",
            data={
                "full_name": "Nouvelle Personne",
                "email": "nouvelle@example.org",
                "role": "staff",
                "language": "fr",
            },
        ),
    ],
    "organizations:staff_import": lambda w: [
        *organization_cases(w),
        *organization_cases(w, method="POST", data={"file": _StaffCsv()}),
    ],
    "organizations:mine": lambda w: [Case(allowed=SIGNED_IN)],
    # An invitation is answered by the person it is addressed to, nobody else.
    "organizations:invitation_accept": lambda w: [
        Case(
            kwargs={
                "invitation_id": pending_invitation(w, organization="home", to="staff_other").pk
            },
            method="POST",
            allowed={"staff_other"},
        ),
    ],
    "organizations:invitation_decline": lambda w: [
        Case(
            kwargs={
                "invitation_id": pending_invitation(w, organization="home", to="staff_other").pk
            },
            method="POST",
            allowed={"staff_other"},
        ),
    ],
    "organizations:membership_leave": lambda w: [
        Case(fresh=lambda: {"membership_id": new_membership(w, "staff").pk}, allowed={"staff"}),
        Case(
            fresh=lambda: {"membership_id": new_membership(w, "staff").pk},
            method="POST",
            allowed={"staff"},
        ),
    ],
    "organizations:member_role": lambda w: member_cases(
        w, method="POST", data={"role": "supervisor"}
    ),
    "organizations:member_remove": lambda w: [
        *member_cases(w, fresh=True),
        *member_cases(w, method="POST", fresh=True),
    ],
    "organizations:invitation_cancel": lambda w: invitation_cases(w),
    "organizations:invitation_resend": lambda w: invitation_cases(w),
    "organizations:audit_log": lambda w: organization_cases(w),
    "supervision:person": lambda w: person_cases(w),
    "supervision:person_due_date": lambda w: person_cases(
        w, name_kwargs="assignment", method="POST", data={"due_on": "2099-01-31"}
    ),
    "supervision:person_unassign": lambda w: [
        *person_cases(w, name_kwargs="assignment", fresh=True),
        *person_cases(w, name_kwargs="assignment", method="POST", fresh=True),
    ],
    "supervision:person_remind": lambda w: person_cases(w, name_kwargs="assignment", method="POST"),
    "supervision:person_invitation_resend": lambda w: person_cases(w, method="POST"),
    "supervision:invitation": lambda w: person_invitation_cases(w),
    "certificates:name_request": lambda w: [
        Case(kwargs={"pk": staff_certificate(w).pk}, method="POST", allowed={"staff"}),
    ],
    "organizations:assign": lambda w: [
        *organization_cases(w),
        *organization_cases(w, method="POST", data={"course": w.course.pk, "scope": "everyone"}),
    ],
}

SKIPPED = {
    "set_language": "Django's language switch (a public POST that sets a cookie).",
    "favicon": "A public redirect to the static icon, for browsers that ask for /favicon.ico.",
    "socialaccount_login_error": "allauth's page for a provider sign-in that failed: a 401 "
    "with our refusal text for everyone, no data (tests/organizations/test_sign_in.py).",
    "mfa_authenticate": "allauth's code step of a provider sign-in in progress (our "
    "template); with none in progress it sends everyone to the sign-in page "
    "(tests/accounts/test_two_factor.py).",
    "saml_acs": "allauth's SAML assertion consumer service: for anyone and any client id it "
    "keeps the posted request in a cookie and redirects to saml_finish_acs (registered), "
    "which decides; tests/organizations/test_sign_in_saml.py follows it (a 404 for an "
    "unknown client id, our 401 page for a post without a response).",
    "socialaccount_signup": "allauth's form for a provider sign-in in progress that lacks "
    "an e-mail; with none in progress it sends everyone to the sign-in page "
    "(tests/organizations/test_sign_in.py).",
}
SKIPPED_NAMESPACES = {
    "admin": "the admin checks is_staff and model permissions itself: see "
    "test_the_admin_is_for_administrators_only",
}


# --- walking the URL configuration ---------------------------------------------------------


def url_names(patterns=None, namespace=()) -> tuple[list[str], list[str]]:
    """Every URL name ("namespace:name") of the project, and the routes without a name."""
    names, unnamed = [], []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + ((pattern.namespace,) if pattern.namespace else ())
            if inner and inner[0] in SKIPPED_NAMESPACES:
                continue
            more_names, more_unnamed = url_names(pattern.url_patterns, inner)
            names += more_names
            unnamed += more_unnamed
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                unnamed.append(f"{':'.join(namespace)} {pattern.pattern}")
            else:
                names.append(":".join((*namespace, pattern.name)))
    return names, unnamed


NAMES, UNNAMED = url_names()
CHECKED = sorted(set(NAMES) & set(REGISTRY))


def test_every_url_is_in_the_registry():
    missing = sorted(set(NAMES) - set(REGISTRY) - set(SKIPPED))
    assert not missing, (
        "These URLs are not in the authorization matrix: "
        + ", ".join(missing)
        + ".\nAdd each to REGISTRY in tests/test_authorization_matrix.py with the roles that "
        "may reach it (see HOW TO REGISTER A URL at the top of that file), or to SKIPPED "
        "with the reason it is not ours to check."
    )


def test_every_url_has_a_name():
    assert not UNNAMED, f"Name these URL patterns so that they can be registered: {UNNAMED}"


def test_the_registry_describes_only_existing_urls():
    stale = sorted(set(REGISTRY) - set(NAMES))
    assert not stale, f"REGISTRY describes URLs that no longer exist: {stale}"


def test_the_walk_finds_urls_inside_i18n_patterns_and_includes():
    assert {"home", "accounts:profile", "courses:lesson_detail", "login"} <= set(NAMES)
    assert not any(name.startswith("admin:") for name in NAMES)


# --- checking one URL ------------------------------------------------------------------------


def database_state() -> dict[str, int]:
    """The number of rows of every table of the project's apps, read in one query (one
    COUNT per table was 160 queries around each request the matrix makes)."""
    models = [
        model
        for app in PROJECT_APPS
        if apps.is_installed(app)
        for model in apps.get_app_config(app).get_models()
    ]
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(model._meta.db_table)})" for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        row = cursor.fetchone()
    return {model._meta.label: count for model, count in zip(models, row, strict=True)}


def client_for(world: World, role: str) -> Client:
    client = Client()
    if world.users[role] is not None:
        client.force_login(world.users[role])
    return client


def problems_with(world: World, name: str, case: Case, role: str) -> list[str]:
    url = reverse(name, kwargs=case.kwargs_now())
    where = f"{role} {case.method} {url}" + (f" ({case.label})" if case.label else "")
    client = client_for(world, role)
    before = database_state()
    response = client.post(url, case.data) if case.method == "POST" else client.get(url, case.data)
    found = []
    status, location = response.status_code, response.get("Location", "")
    if status >= 500:
        return [f"{where}: {status}"]
    if case.expect is not None:
        if status != case.expect:
            found.append(f"{where}: expected {case.expect} for every role, got {status}")
        if database_state() != before:
            found.append(f"{where}: refused, but the database changed")
    elif role in case.allowed:
        if status == 302:
            if location.startswith(LOGIN_PATH):
                found.append(f"{where}: allowed, but sent to the login page")
            else:
                landing = client.get(location, follow=True)
                if landing.status_code != 200:
                    found.append(f"{where}: redirected to {location}: {landing.status_code}")
        elif status != 200:
            found.append(f"{where}: allowed, but got {status}")
    else:
        refused_to_login = status == 302 and location.startswith(LOGIN_PATH)
        if role == "anonymous" and refused_to_login:
            pass
        elif status not in (403, 404):
            found.append(f"{where}: not allowed, but got {status} {location}")
        if database_state() != before:
            found.append(f"{where}: refused, but the database changed")
    if status == 200:
        may_see = {role, *case.reveals.get(role, ())}
        content = b"".join(response.streaming_content) if response.streaming else response.content
        body = content.decode(errors="replace")
        for other in SIGNED_IN - may_see:
            if world.name_of(other) in body:
                found.append(f"{where}: shows the name of {other}")
    return found


def other_method_problems(world: World, name: str, case: Case, role: str) -> list[str]:
    """The method the view does not expect: never a 500, and never a write if refused."""
    method = "GET" if case.method == "POST" else "POST"
    url = reverse(name, kwargs=case.kwargs_now())
    before = database_state()
    response = client_for(world, role).generic(method, url)
    found = []
    if response.status_code >= 500:
        found.append(f"{role} {method} {url}: {response.status_code}")
    if role not in case.allowed and database_state() != before:
        found.append(f"{role} {method} {url}: refused, but the database changed")
    return found


@pytest.fixture
def world(db):
    return build_world()


@pytest.mark.parametrize("name", CHECKED)
def test_each_role_reaches_only_what_is_theirs(world, name):
    found = []
    for case in REGISTRY[name](world):
        for role in ROLES:
            found += problems_with(world, name, case, role)
            found += other_method_problems(world, name, case, role)
    assert not found, "\n".join(found)


def test_the_matrix_notices_a_page_that_lets_the_wrong_people_in(world):
    """The checks are not vacuous: a case claiming a draft course is for administrators
    only passes, and one claiming a published course is for nobody fails for every role."""
    draft = Case(kwargs={"slug": world.draft.slug}, allowed=EDITORS)
    assert not [
        p for role in ROLES for p in problems_with(world, "courses:course_detail", draft, role)
    ]
    wrong = Case(kwargs={"slug": world.course.slug}, allowed=NOBODY)
    flagged = {role for role in ROLES if problems_with(world, "courses:course_detail", wrong, role)}
    assert flagged == ALL


def test_roles_degrade_to_learners_until_organizations_exist(world):
    if organizations_models() is None:
        assert world.organizations == {}
    else:
        assert world.users["supervisor"].memberships.get().role == "supervisor"
        assert world.users["staff_other"].memberships.get().organization.name == "École du Sud"


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_is_for_administrators_only(world, role):
    response = client_for(world, role).get(reverse("admin:index"))
    if role in EDITORS:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
