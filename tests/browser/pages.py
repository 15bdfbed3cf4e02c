"""Every learner page and the login pages, as cases that the browser tests walk through:
axe-core checks each (test_accessibility), and each must work without JavaScript
(test_keyboard_and_no_javascript).

To cover a new page (quiz, certificate, supervisor dashboard, verification), append a `Case`
to PAGES: who looks at it, the path after the language prefix, and what to do on the page
before the checks (fill a form with errors, open a dialog…). A new kind of person (a
supervisor) is a new `who`, prepared in `prepare_person`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from courses.models import LessonProgress
from courses.services import enrollment_create, enrollment_update_completion, lesson_mark_done
from tests.browser.conftest import lessons_in_order, t


@dataclass(frozen=True)
class Case:
    name: str
    # None (anonymous), "staff", "reader" (half-way), "graduate" (all read), "member" (of an
    # organization, invited to another), "supervisor" (of an organization with an invitation)
    who: str | None
    path: str | Callable  # after /<language>/; or (course, lessons) -> that path
    act: Callable | None = None  # (page, language) -> None, run before the check

    def __str__(self):
        return self.name

    def resolve(self, course, lessons) -> str:
        return self.path(course, lessons) if callable(self.path) else self.path


def _submit_wrong_password(page, language):
    page.locator("input[name=username]").fill("nobody@example.org")
    page.locator("input[name=password]").fill("wrong")
    page.navigate(page.locator("main").get_by_role("button", name=t(language, "Log in")).click)


def _get_locked_out(page, language):
    locked = t(language, "Too many failed attempts")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        if page.locator("main h1").inner_text() == locked:
            break
        _submit_wrong_password(page, language)
    assert page.locator("main h1").inner_text() == locked


def _submit_empty_profile(page, language):
    # Spaces pass the browser's `required` check and reach the server, which refuses them.
    page.locator("input[name=full_name]").fill("   ")
    page.navigate(page.locator("main").get_by_role("button", name=t(language, "Save")).click)
    assert page.locator(".errorlist").count() >= 1


def _submit_wrong_old_password(page, language):
    page.locator("input[name=old_password]").fill("not-my-password")
    page.locator("input[name=new_password1]").fill("short")
    page.locator("input[name=new_password2]").fill("other")
    page.navigate(page.locator("main button[type=submit]").click)
    assert page.locator(".errorlist").count() >= 1


def _course(course, lessons):
    return f"courses/{course.slug}/"


def _lesson(index):
    return lambda course, lessons: f"courses/{course.slug}/lessons/{lessons[index].pk}/"


PAGES = [
    Case("home", None, ""),
    Case("catalogue", None, "courses/"),
    Case("course, visitor", None, _course),
    Case("login", None, "accounts/login/"),
    Case("login, wrong password", None, "accounts/login/", _submit_wrong_password),
    Case("login, locked out", None, "accounts/login/", _get_locked_out),
    Case("password reset", None, "accounts/password_reset/"),
    Case("password reset sent", None, "accounts/password_reset/done/"),
    Case("password reset, stale link", None, "accounts/reset/MQ/set-password/"),
    Case("password reset complete", None, "accounts/reset/done/"),
    Case("page not found", None, "no-such-page/"),
    Case("browsing safely (quick exit note)", None, "quick-exit/"),
    Case("my learning, empty", "staff", "learning/"),
    Case("catalogue, signed in", "staff", "courses/"),
    Case("course, not enrolled", "staff", _course),
    Case("profile", "staff", "accounts/profile/"),
    Case("profile, errors", "staff", "accounts/profile/", _submit_empty_profile),
    Case("password change", "staff", "accounts/password_change/"),
    Case(
        "password change, errors",
        "staff",
        "accounts/password_change/",
        _submit_wrong_old_password,
    ),
    Case("password changed", "staff", "accounts/password_change/done/"),
    Case("my learning, in progress", "reader", "learning/"),
    Case("course, in progress", "reader", _course),
    Case("lesson, done", "reader", _lesson(0)),
    Case("lesson, to read", "reader", _lesson(1)),
    Case("lesson, last", "reader", _lesson(-1)),
    Case("course, all read", "graduate", _course),
    Case("my learning, all read", "graduate", "learning/"),
    Case("my organizations, an invitation to answer", "member", "organizations/mine/"),
    Case("leaving an organization", "member", lambda *_: _leave_path()),
    Case("staff, with an invitation pending", "supervisor", lambda *_: _org_path("staff/")),
    Case("removing a member", "supervisor", lambda *_: _remove_path()),
    Case("access history", "supervisor", lambda *_: _org_path("audit/")),
    Case("a person's page", "supervisor", lambda *_: _person_path()),
    Case("an invitation not answered yet", "supervisor", lambda *_: _invitation_path()),
]


def _organization():
    from organizations.models import Organization

    return Organization.objects.get(name="Refuge des tests")


def _org_path(rest):
    return f"organizations/{_organization().pk}/{rest}"


def _leave_path():
    membership = _organization().memberships.get(role="staff")
    return f"organizations/mine/{membership.pk}/leave/"


def _remove_path():
    membership = _organization().memberships.get(role="staff")
    return _org_path(f"staff/{membership.pk}/remove/")


def _person_path():
    membership = _organization().memberships.get(role="staff")
    return _org_path(f"people/{membership.user_id}/")


def _invitation_path():
    invitation = _organization().invitations.get(state="pending")
    return _org_path(f"people/invitations/{invitation.pk}/")


def _organization_with_an_invitation(staff_member, *, supervise: bool):
    """The person is staff (or supervisor) of a shelter, invited to a school, and the
    shelter has sent an invitation of its own and kept a history of it."""
    from organizations import services
    from organizations.models import Membership, Organization
    from tests.factories import UserFactory

    shelter = Organization.objects.create(name="Refuge des tests", kind="shelter", province="QC")
    school = Organization.objects.create(name="École des tests", kind="school", province="QC")
    other = UserFactory(full_name="Autre Superviseure")
    Membership.objects.create(user=other, organization=school, role="supervisor")
    services.member_add(
        organization=school, email=staff_member.email, full_name="Nom saisi", role=None,
        language="fr", added_by=other, notify=False,
    )  # fmt: skip
    if supervise:
        Membership.objects.create(user=staff_member, organization=shelter, role="supervisor")
        colleague = UserFactory(full_name="Collègue Invitée", email="collegue@example.org")
        Membership.objects.create(user=UserFactory(), organization=shelter, role="staff")
        services.member_add(
            organization=shelter, email=colleague.email, full_name="Collègue", role=None,
            language="fr", added_by=staff_member, notify=False,
        )  # fmt: skip
    else:
        Membership.objects.create(user=staff_member, organization=shelter, role="staff")
        Membership.objects.create(user=other, organization=shelter, role="supervisor")


WHO = sorted({case.who for case in PAGES}, key=lambda who: who or "")


@dataclass(frozen=True)
class Person:
    who: str | None
    user: object | None


def prepare_person(who: str | None, *, course, staff_member) -> Person:
    """Who looks at a group of cases, with the progress the group describes."""
    if who is None:
        return Person(who, None)
    lessons = lessons_in_order(course)
    if who in {"reader", "graduate"}:
        enrollment = enrollment_create(learner=staff_member, course=course)
        done = lessons[:1] if who == "reader" else lessons
        for lesson in done:
            lesson_mark_done(learner=staff_member, lesson=lesson)
        enrollment_update_completion(enrollment=enrollment)
        assert LessonProgress.objects.filter(learner=staff_member).count() == len(done)
    if who in {"member", "supervisor"}:
        _organization_with_an_invitation(staff_member, supervise=who == "supervisor")
    return Person(who, staff_member)
