from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from accounts import hooks, services, two_factor
from accounts.authentication import login_address_retry_after
from accounts.emails import normalize_email
from accounts.forms import LoginForm, PasswordResetForm, ProfileForm
from accounts.network import client_ip
from accounts.throttles import throttle_hit, too_many_requests
from accounts.workplaces import Workplace

PROFILE_SAVED = _("Your profile has been saved.")


@login_required
def profile(request):
    # When an organization says which workplace the learner is in, the profile shows it
    # instead of offering the choice (the organizations app answers through the hook).
    workplace = hooks.organization_workplace(request.user)
    form = ProfileForm(
        request.POST or None, instance=request.user, workplace_locked=workplace is not None
    )
    if request.method == "POST" and form.is_valid():
        data = {"workplace": request.user.workplace, **form.cleaned_data}
        services.user_update_profile(user=request.user, **data)
        messages.success(request, PROFILE_SAVED)
        return redirect("accounts:profile")
    label = Workplace(workplace).label if workplace else None
    context = {
        "form": form,
        "organization_workplace": label,
        "sections": hooks.profile_sections(request),
    }
    return render(request, "accounts/profile.html", context)


PASSWORD_RESET_TOO_MANY = _(
    "Too many password-reset links have been asked for from your connection, or for this "
    "address, in a short while."
)
LOGIN_TOO_MANY = _("Too many failed sign-ins have come from your connection in a short while.")
RESET_WINDOW_SECONDS = 60 * 60


class LoginView(auth_views.LoginView):
    """Django's login, refused with a 429 once the client's address has failed too many
    sign-ins across every account (django-axes locks one account per address)."""

    form_class = LoginForm

    def post(self, request, *args, **kwargs):
        retry_after = login_address_retry_after(request)
        if retry_after is not None:
            return too_many_requests(request, retry_after, LOGIN_TOO_MANY)
        email, password = request.POST.get("username", ""), request.POST.get("password", "")
        if isinstance(email, str) and email.strip() and not password:
            # Chosen by the address's domain alone, never by whether it has an account.
            route = hooks.sign_in_route(
                request, email=email.strip(), next_url=self.get_redirect_url()
            )
            if route is not None:
                return route
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        """The password was right; with two-factor on, the code comes before signing in."""
        user = form.get_user()
        if two_factor.has_two_factor(user):
            two_factor.sign_in_pending(self.request, user=user, next_url=self.get_redirect_url())
            return redirect("accounts:two_factor_code")
        return super().form_valid(form)

    def get_redirect_url(self):
        """Only a plain path of this site: Django checks the address stripped of spaces but
        redirects to it as typed, so "// " passes as "//" and leaves as "//%20"."""
        url = super().get_redirect_url()
        if url != url.strip() or not url.startswith("/") or url.startswith(("//", "/\\")):
            return ""
        return url

    def get_default_redirect_url(self):
        """Without a safe `next`: a supervisor's organization, else My learning."""
        return hooks.landing_page(self.request.user) or super().get_default_redirect_url()


class LogoutView(auth_views.LogoutView):
    """Django's logout. Signed in through an organization's identity provider, the person
    is told that their session there may remain, and how to end it: on a shared computer
    the next person could otherwise sign in as them without a password."""

    def post(self, request, *args, **kwargs):
        provider = hooks.sign_in_provider_of_session(request)
        response = super().post(request, *args, **kwargs)
        if provider is None:
            return response
        return render(request, "registration/logged_out.html", {"sign_in_provider": provider})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with at most a few e-mails per typed address and per client
    address an hour. Counted by the address typed, not by account: the answer is the same
    whether or not an account exists."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        address = normalize_email(form.cleaned_data["email"])
        for scope, key, limit in (
            (
                "password-reset:client",
                client_ip(self.request),
                settings.REPERE_PASSWORD_RESET_CLIENT_LIMIT,
            ),
            ("password-reset:address", address, settings.REPERE_PASSWORD_RESET_ADDRESS_LIMIT),
        ):
            retry_after = throttle_hit(scope, key, limit=limit, window_seconds=RESET_WINDOW_SECONDS)
            if retry_after is not None:
                return too_many_requests(self.request, retry_after, PASSWORD_RESET_TOO_MANY)
        return super().form_valid(form)
