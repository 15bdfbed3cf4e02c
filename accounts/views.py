from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from accounts import services
from accounts.forms import ProfileForm

PROFILE_SAVED = _("Your profile has been saved.")


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, PROFILE_SAVED)
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
