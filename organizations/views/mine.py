"""Every person's own organizations: the invitations they answer, the ones they leave."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations import selectors, services
from organizations.views.common import call_and_tell

MESSAGE_JOINED = _(
    "You are now a member of %(organization)s. Its supervisors see your progress on the "
    "courses it assigns you, from today on."
)
MESSAGE_DECLINED = _("You declined the invitation of %(organization)s.")
MESSAGE_LEFT = _("You are no longer a member of %(organization)s.")


@require_GET
@login_required
def my_organizations(request):
    context = {
        "memberships": selectors.memberships_of(user=request.user),
        "invitations": selectors.invitations_for(user=request.user),
    }
    return render(request, "organizations/my_organizations.html", context)


def _answer(request, invitation_id, service, message):
    invitation = selectors.invitation_get_for(user=request.user, invitation_id=invitation_id)
    message = message % {"organization": invitation.organization.name}
    call_and_tell(request, service, message, invitation=invitation, user=request.user)
    return redirect("organizations:mine")


@require_POST
@login_required
def invitation_accept(request, invitation_id):
    return _answer(request, invitation_id, services.invitation_accept, MESSAGE_JOINED)


@require_POST
@login_required
def invitation_decline(request, invitation_id):
    return _answer(request, invitation_id, services.invitation_decline, MESSAGE_DECLINED)


@require_http_methods(["GET", "POST"])
@login_required
def membership_leave(request, membership_id):
    """A page that says what leaving does, then leaving itself (POST)."""
    membership = selectors.membership_get_own(user=request.user, membership_id=membership_id)
    if request.method == "POST":
        message = MESSAGE_LEFT % {"organization": membership.organization}
        call_and_tell(
            request, services.membership_end, message, membership=membership, by=request.user
        )
        return redirect("organizations:mine")
    return render(request, "organizations/membership_leave.html", {"membership": membership})
