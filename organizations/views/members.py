"""Supervisors' staff pages: the list, adding one person, importing a list, roles,
removing a member, and the pending invitations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations import selectors, services
from organizations.csv_import import CsvImportError, example_csv
from organizations.forms import MemberAddForm, MemberSearchForm, RoleForm, StaffImportForm
from organizations.views.common import call_and_tell, organization_for

# The same words whether or not the address had an account.
MESSAGE_INVITED = _("An invitation will be sent to %(email)s.")
MESSAGE_ROLE_CHANGED = _("%(email)s is already a member; their role has changed.")
MESSAGE_UNCHANGED = _("%(email)s is already a member; nothing has changed.")
MESSAGE_SENT_AGAIN = _("The invitation will be sent again to %(email)s.")
MESSAGE_REMOVED = _(
    "%(name)s is no longer a member. Their account, progress and certificates stay theirs."
)
MESSAGE_INVITATION_CANCELLED = _("The invitation to %(email)s is cancelled.")
MESSAGE_ROLE_SAVED = _("The role of %(name)s has changed.")


def _members_page(organization_id):
    return redirect("organizations:member_list", organization_id=organization_id)


@require_GET
@login_required
def member_list(request, organization_id):
    organization = organization_for(request, organization_id)
    form = MemberSearchForm(request.GET)
    search = form.cleaned_data["q"].strip() if form.is_valid() else ""
    members = selectors.members_of(organization=organization, search=search)
    page = Paginator(members, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    invitations = selectors.invitations_pending(organization=organization)[:100]
    context = {
        "organization": organization,
        "units": selectors.units_directly_below(organization)[:100],
        "form": form,
        "page": page,
        "search": search,
        "invitations": invitations,
        "roles": services.Outcome,
    }
    return render(request, "organizations/member_list.html", context)


def _tell_added(request, result: services.MemberResult) -> None:
    message = {
        services.Outcome.INVITED: MESSAGE_INVITED,
        services.Outcome.ROLE_CHANGED: MESSAGE_ROLE_CHANGED,
        services.Outcome.UNCHANGED: MESSAGE_UNCHANGED,
    }[result.outcome]
    messages.success(request, message % {"email": result.email})
    if result.invitation_sent and result.outcome != services.Outcome.INVITED:
        messages.info(request, MESSAGE_SENT_AGAIN % {"email": result.email})


@require_http_methods(["GET", "POST"])
@login_required
def member_add(request, organization_id):
    organization = organization_for(request, organization_id)
    form = MemberAddForm(request.POST) if request.method == "POST" else MemberAddForm()
    if request.method == "POST" and form.is_valid():
        try:
            result = services.member_add(
                organization=organization, added_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _tell_added(request, result)
            return _members_page(organization.pk)
    return render(
        request, "organizations/member_add.html", {"organization": organization, "form": form}
    )


@require_http_methods(["GET", "POST"])
@login_required
def staff_import(request, organization_id):
    organization = organization_for(request, organization_id)
    posted = request.method == "POST"
    units = selectors.unit_names_below(organization)
    arguments = (request.POST, request.FILES) if posted else ()
    form = StaffImportForm(*arguments, with_units=bool(units))
    context = {
        "organization": organization,
        "form": form,
        "errors": [],
        "example": example_csv(get_language(), units=units),
        "units": units,
    }
    if posted and form.is_valid():
        try:
            context["report"] = services.staff_import(
                organization=organization,
                language=get_language(),
                added_by=request.user,
                **form.import_arguments(),
            )
        except CsvImportError as error:
            context["errors"] = error.errors
        else:
            return render(request, "organizations/staff_import_result.html", context)
    return render(request, "organizations/staff_import.html", context)


@require_POST
@login_required
def member_role(request, organization_id, membership_id):
    organization = organization_for(request, organization_id)
    membership = selectors.member_get_manageable(
        organization=organization, membership_id=membership_id
    )
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["role"][0])
        return _members_page(organization.pk)
    call_and_tell(
        request,
        services.membership_change_role,
        MESSAGE_ROLE_SAVED % {"name": membership.user.full_name},
        membership=membership,
        role=form.cleaned_data["role"],
        by=request.user,
    )
    return _members_page(organization.pk)


@require_http_methods(["GET", "POST"])
@login_required
def member_remove(request, organization_id, membership_id):
    """A page that says what removing does, then the removal itself (POST)."""
    organization = organization_for(request, organization_id)
    membership = selectors.member_get_manageable(
        organization=organization, membership_id=membership_id
    )
    if request.method == "POST":
        message = MESSAGE_REMOVED % {"name": membership.user.full_name}
        call_and_tell(
            request, services.membership_end, message, membership=membership, by=request.user
        )
        return _members_page(organization.pk)
    context = {"organization": organization, "membership": membership}
    return render(request, "organizations/member_remove.html", context)


@require_POST
@login_required
def invitation_cancel(request, organization_id, invitation_id):
    organization = organization_for(request, organization_id)
    invitation = selectors.invitation_get_manageable(
        organization=organization, invitation_id=invitation_id
    )
    message = MESSAGE_INVITATION_CANCELLED % {"email": invitation.email}
    call_and_tell(
        request, services.invitation_cancel, message, invitation=invitation, by=request.user
    )
    return _members_page(organization.pk)


@require_POST
@login_required
def invitation_resend(request, organization_id, invitation_id):
    organization = organization_for(request, organization_id)
    invitation = selectors.invitation_get_manageable(
        organization=organization, invitation_id=invitation_id
    )
    message = MESSAGE_SENT_AGAIN % {"email": invitation.email}
    call_and_tell(
        request, services.invitation_resend, message, invitation=invitation, by=request.user
    )
    return _members_page(organization.pk)
