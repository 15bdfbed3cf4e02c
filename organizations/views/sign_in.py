"""Linking an organization's sign-in to an account that already had its address.

The provider's word is not enough: whoever controls an address at the provider is not
necessarily the owner of the Repère account with it (an address given again to someone
else, a provider misconfigured). The owner enters the account's password; only then is
the provider's account linked, and the person signed in.
"""

from allauth.socialaccount.models import SocialLogin
from allauth.socialaccount.providers.saml import views as saml_views
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from lxml import etree

from accounts import hooks
from accounts.forms import ERROR_INVALID_LOGIN
from organizations import selectors, services
from organizations.forms import SignInLinkForm
from organizations.sign_in import (
    REFUSED_UNAVAILABLE,
    SESSION_PENDING_LINK,
    SESSION_PROVIDER,
    refusal,
)

REFUSED_SAML_UNREADABLE = _(
    "The answer of your organization's sign-in could not be read, so you are not signed "
    "in. Sign in again from Repère's sign-in page."
)

MESSAGE_LINKED = _(
    "Your account is now linked to %(provider)s: next time, type your address and leave "
    "the password empty. You are a staff member of %(organization)s."
)


def _pending(request):
    data = request.session.get(SESSION_PENDING_LINK)
    if not isinstance(data, dict):
        return None
    try:
        return SocialLogin.deserialize(data)
    except (KeyError, TypeError, ValueError):
        return None


@require_http_methods(["GET", "POST"])
def sign_in_link(request):
    sociallogin = _pending(request)
    if sociallogin is None:
        # No provider sign-in waiting for its password: someone signed in has nothing to
        # link here; someone signed out (a session that expired midway) starts again.
        if request.user.is_authenticated:
            raise Http404
        return redirect("login")
    provider = selectors.sign_in_provider_for_app(sociallogin.account.provider)
    if provider is None or not provider.enabled:
        request.session.pop(SESSION_PENDING_LINK, None)
        return refusal(request, REFUSED_UNAVAILABLE)
    email = sociallogin.user.email
    form = SignInLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, username=email, password=form.cleaned_data["password"])
        if user is None:
            form.add_error("password", ERROR_INVALID_LOGIN)
        else:
            membership = services.sso_account_link(
                request=request, sociallogin=sociallogin, user=user, provider=provider
            )
            request.session.pop(SESSION_PENDING_LINK, None)
            login(request, user)
            request.session[SESSION_PROVIDER] = sociallogin.account.provider
            messages.success(
                request,
                MESSAGE_LINKED
                % {"provider": provider.name, "organization": membership.organization.name},
            )
            return redirect(hooks.landing_page(user) or "courses:my_learning")
    context = {"form": form, "email": email, "provider": provider}
    return render(request, "organizations/sign_in_link.html", context)


def saml_finish_acs(request, organization_slug):
    """allauth's last step of a SAML sign-in, with our page for a response that is not XML
    python3-saml will read (malformed, or with a DTD or entities: ValueError), which
    allauth lets through as a 500."""
    try:
        return saml_views.finish_acs(request, organization_slug=organization_slug)
    except (etree.XMLSyntaxError, ValueError):
        return refusal(request, REFUSED_SAML_UNREADABLE, status=400)
