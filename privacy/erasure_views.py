from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.dates import date_format
from privacy import erasure
from privacy.erasure_forms import CloseAccountForm

KEPT = _("Your account is kept. Nothing will be erased.")


@login_required
def close_account(request):
    """What closing means, the choice about certificates, and the password to confirm; or,
    once asked, the date of erasure and the button that keeps the account."""
    closure = erasure.closure_pending(user=request.user)
    form = None
    if closure is None:
        form = CloseAccountForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                erasure.closure_request(
                    user=request.user, certificates=form.cleaned_data["certificates"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("privacy:close_account")
    context = {
        "form": form,
        "closure": closure,
        "certificates": request.user.certificates.count(),
        "grace_days": settings.REPERE_ERASURE_GRACE_DAYS,
    }
    return render(request, "privacy/close_account.html", context)


@require_POST
@login_required
def keep_account(request):
    if erasure.closure_cancel(user=request.user):
        messages.success(request, KEPT)
    return redirect("accounts:profile")


def profile_section(request) -> tuple[str, dict]:
    """The "Close my account" section of the profile page (one query)."""
    closure = erasure.closure_pending(user=request.user)
    return "privacy/includes/profile_close.html", {"closure": closure}


CLOSING = _(
    "Your account will be closed on %(date)s. To keep it, open your profile and choose "
    "“Keep my account”."
)


def warn_on_login(sender, request, user, **kwargs):
    """Signing in during the grace period says so, with the way to keep the account."""
    closure = erasure.closure_pending(user=user)
    if closure is not None and request is not None:
        date = date_format(erasure.erasure_date(closure=closure), "DATE_FORMAT")
        messages.warning(request, CLOSING % {"date": date})
