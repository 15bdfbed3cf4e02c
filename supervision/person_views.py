"""Supervisors' page of one person, and what they can do from it: change a due date,
unassign a course, send a reminder now, send the invitation again. Removing the person
is the staff page's (organizations:member_remove), linked from here.

Each fetches the organization through `organization_for` (404 to anyone who does not
supervise it), then the person among its current members (404 for anyone else)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations import services as organization_services
from organizations.views.common import call_and_tell, organization_for
from organizations.views.members import MESSAGE_SENT_AGAIN
from supervision import services
from supervision.forms import DueDateForm
from supervision.selectors import people

MESSAGE_DUE_CHANGED = _("“%(course)s” is now due on %(date)s for %(name)s. An e-mail tells them.")
MESSAGE_DUE_CLEARED = _("“%(course)s” no longer has a due date for %(name)s. An e-mail tells them.")
MESSAGE_UNASSIGNED = _(
    "“%(course)s” is no longer assigned to %(name)s. Their progress and certificates stay theirs."
)
MESSAGE_REMINDED = _("A reminder about “%(course)s” will be sent to %(name)s.")


def _person_page(membership):
    return redirect(
        "supervision:person",
        organization_id=membership.organization_id,
        user_id=membership.user_id,
    )


def _person(request, organization_id, user_id):
    organization = organization_for(request, organization_id)
    return people.person_get(organization=organization, user_id=user_id)


def _render_person(request, membership, *, failed=None, status=200):
    """The page; `failed` is (assignment id, bound DueDateForm with errors), shown at that
    course."""
    today = timezone.localdate()
    assignments = people.person_assignments(membership=membership, today=today)
    quizzes = people.person_quiz_results(
        membership=membership, course_ids=[row["course_id"] for row in assignments]
    )
    for row in assignments:
        row["quizzes"] = [result for result in quizzes if result.course_id == row["course_id"]]
        if failed is not None and failed[0] == row["pk"]:
            row["form"] = failed[1]
        else:
            row["form"] = DueDateForm(initial={"due_on": row["due_on"]}, today=today)
        value = row["form"]["due_on"].value()
        row["due_value"] = value.isoformat() if hasattr(value, "isoformat") else value or ""
    certificates = list(people.person_certificates(membership=membership))
    for certificate in certificates:
        certificate.title_shown = certificate.course_title(get_language())
    context = {
        "organization": membership.organization,
        "membership": membership,
        "person": membership.user,
        "assignments": assignments,
        "certificates": certificates,
        "never_signed_in": organization_services.never_signed_in(membership.user),
        "today": today,
    }
    return render(request, "supervision/person.html", context, status=status)


@require_GET
@login_required
def person(request, organization_id, user_id):
    membership = _person(request, organization_id, user_id)
    return _render_person(request, membership)


@require_POST
@login_required
def person_due_date(request, organization_id, user_id, assignment_id):
    membership = _person(request, organization_id, user_id)
    assignment = people.person_assignment_get(membership=membership, assignment_id=assignment_id)
    form = DueDateForm(request.POST, today=timezone.localdate())
    if not form.is_valid():
        return _render_person(request, membership, failed=(assignment.pk, form), status=400)
    due_on = form.cleaned_data["due_on"]
    names = {"course": assignment.course.title, "name": membership.user.full_name}
    if due_on is None:
        message = MESSAGE_DUE_CLEARED % names
    else:
        message = MESSAGE_DUE_CHANGED % {**names, "date": date_format(due_on, "DATE_FORMAT")}
    call_and_tell(
        request,
        organization_services.assignment_change_due_date,
        message,
        assignment=assignment,
        due_on=due_on,
        by=request.user,
    )
    return _person_page(membership)


@require_http_methods(["GET", "POST"])
@login_required
def person_unassign(request, organization_id, user_id, assignment_id):
    """A page that says what unassigning does, then unassigning itself (POST)."""
    membership = _person(request, organization_id, user_id)
    assignment = people.person_assignment_get(membership=membership, assignment_id=assignment_id)
    if request.method == "POST":
        message = MESSAGE_UNASSIGNED % {
            "course": assignment.course.title,
            "name": membership.user.full_name,
        }
        call_and_tell(
            request,
            organization_services.assignment_remove,
            message,
            assignment=assignment,
            by=request.user,
        )
        return _person_page(membership)
    context = {
        "organization": membership.organization,
        "membership": membership,
        "assignment": assignment,
    }
    return render(request, "supervision/person_unassign.html", context)


@require_POST
@login_required
def person_remind(request, organization_id, user_id, assignment_id):
    membership = _person(request, organization_id, user_id)
    assignment = people.person_assignment_get(membership=membership, assignment_id=assignment_id)
    message = MESSAGE_REMINDED % {
        "course": assignment.course.title,
        "name": membership.user.full_name,
    }
    call_and_tell(
        request, services.reminder_send_now, message, assignment=assignment, by=request.user
    )
    return _person_page(membership)


@require_POST
@login_required
def person_invitation_resend(request, organization_id, user_id):
    """Send again the e-mail that brought the member in (if they never signed in). The
    message is the same either way."""
    membership = _person(request, organization_id, user_id)
    message = MESSAGE_SENT_AGAIN % {"email": membership.user.email}
    call_and_tell(
        request,
        organization_services.member_invitation_resend,
        message,
        membership=membership,
        by=request.user,
    )
    return _person_page(membership)


@require_GET
@login_required
def invitation(request, organization_id, invitation_id):
    """A pending invitation: only what the supervisor typed, and what they can do."""
    organization = organization_for(request, organization_id)
    pending = people.person_invitation_get(organization=organization, invitation_id=invitation_id)
    context = {"organization": organization, "invitation": pending}
    return render(request, "supervision/invitation.html", context)
