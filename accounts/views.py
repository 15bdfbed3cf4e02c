from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.forms import ProfileForm
from courses.workplaces import Workplace
from quizzes.selectors import workplace_from_organization

PROFILE_SAVED = _("Your profile has been saved.")


@login_required
def profile(request):
    # When an organization says which workplace the learner is in, the profile shows it
    # instead of offering the choice.
    organization_workplace = workplace_from_organization(request.user)
    form = ProfileForm(
        request.POST or None,
        instance=request.user,
        workplace_locked=organization_workplace is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = {"workplace": request.user.workplace, **form.cleaned_data}
        services.user_update_profile(user=request.user, **data)
        messages.success(request, PROFILE_SAVED)
        return redirect("accounts:profile")
    organization_workplace_label = (
        Workplace(organization_workplace).label if organization_workplace else None
    )
    context = {"form": form, "organization_workplace": organization_workplace_label}
    return render(request, "accounts/profile.html", context)
