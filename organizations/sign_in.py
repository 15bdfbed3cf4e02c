"""Single sign-on through an organization's OpenID Connect or SAML 2.0 provider (allauth).

- The login page sends an address of a provider's domains there (`route`).
- Back from the provider, `SocialAccountAdapter.pre_social_login` refuses what must be
  refused (a provider turned off, an e-mail the provider did not verify, an address
  outside the organization's domains, a closed account) with a page in the reader's
  language, and never links a new provider account to an existing account on the
  provider's word: its owner enters the account's password first (views.sign_in).
- A first sign-in saves the account and its membership together
  (services.sso_account_create), in the unit its address's domain names (a board's
  provider, each school's domain: SignInDomain.unit), else in the provider's organization.

Both protocols go through the same rules. What differs is how the provider vouches for the
address: an OpenID Connect provider says `email_verified`; a SAML provider's assertion is
signed by the organization's own directory, whose certificate an administrator entered, so
the address it asserts counts as verified unless an `email_verified` attribute (if the
application maps one) says it is not. An OpenID Connect application may be told the same
(`"trust_email": true` in its settings) for a provider that is the organization's own
directory and sends no `email_verified`, as Microsoft Entra ID. Either way the address
must be of the organization's domains.
"""

import logging

import requests
from allauth.account.signals import user_logged_in
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.saml.provider import SAMLProvider
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from onelogin.saml2.errors import OneLogin_Saml2_Error

from accounts.emails import normalize_email
from accounts.models import User
from organizations import selectors, services

logger = logging.getLogger(__name__)

# The provider the session was opened through (its allauth provider id).
SESSION_PROVIDER = "organizations.sign_in.provider"
# A provider account waiting for its owner to prove an existing account is theirs.
SESSION_PENDING_LINK = "organizations.sign_in.pending_link"

REFUSED_UNAVAILABLE = _(
    "This organization's sign-in cannot be used at the moment. Try again later, or sign "
    "in with your password if you have one."
)
REFUSED_NO_EMAIL = _(
    "%(provider)s did not tell Repère your e-mail address, so you cannot be signed in "
    "through it. Ask your organization to share it."
)
REFUSED_UNVERIFIED = _(
    "%(provider)s has not confirmed that the address %(email)s is yours, so you cannot "
    "be signed in through it. Confirm it with your organization, then try again."
)
REFUSED_FOREIGN_DOMAIN = _(
    "The address %(email)s is not one of those %(organization)s signs in through "
    "%(provider)s. Sign in with your organization's address, or with your password."
)
REFUSED_INACTIVE = _("This account is closed: it cannot be signed in to.")
REFUSED_RACE = _(
    "This sign-in was completed at the same moment in another window or tab. Sign in again."
)
MESSAGE_JOINED = _(
    "Welcome. Your account is a staff member of %(organization)s: its supervisors see your "
    "progress on the courses it assigns you, from today on."
)

NAME_MAX_LENGTH = 150


def refusal(request, message: str, *, status: int = 403):
    """The page that says why a sign-in through a provider did not happen."""
    return render(
        request, "organizations/sign_in_refused.html", {"message": message}, status=status
    )


def route(request, *, email: str, next_url: str):
    """For accounts.hooks.sign_in_route: the page that goes on to the provider of the
    address's domain, or None. The reader's language goes along in the language cookie, so that the
    pages at the return address (outside the language prefix) are in it."""
    provider = selectors.sign_in_provider_for_email(email)
    if provider is None:
        return None
    social_provider = provider.social_app.get_provider(request)
    try:
        response = social_provider.redirect(
            request,
            AuthProcess.LOGIN,
            next_url=next_url or None,
            auth_params={"login_hint": normalize_email(email)},
        )
    except requests.RequestException:
        logger.warning("The discovery document of sign-in provider %s failed", provider.pk)
        return refusal(request, REFUSED_UNAVAILABLE, status=503)
    except (OSError, ImproperlyConfigured, KeyError, OneLogin_Saml2_Error) as error:
        # SAML: its metadata address unreachable, or settings edited into something
        # python3-saml refuses after the sign-in provider was saved.
        logger.warning("Sign-in provider %s cannot start a sign-in: %r", provider.pk, error)
        return refusal(request, REFUSED_UNAVAILABLE, status=503)
    if response.status_code != 302:
        return response  # allauth's page of an error
    # A page that goes on to the provider rather than a redirect: the login form's CSP
    # (form-action 'self') would block a redirect of its submission to another site.
    response = render(
        request,
        "organizations/sign_in_continue.html",
        {"provider": provider, "provider_url": response["Location"]},
    )
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        translation.get_language(),
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def provider_of_session(request) -> dict | None:
    """For accounts.hooks.sign_in_provider_of_session: the provider this session was
    opened through, by name, with the address where its session ends (maybe empty)."""
    provider_id = request.session.get(SESSION_PROVIDER)
    if not provider_id:
        return None
    provider = selectors.sign_in_provider_for_app(provider_id)
    if provider is None:
        return None
    return {"name": provider.name, "sign_out_url": provider.sign_out_url}


def remember_provider(sender, request, user, sociallogin=None, **kwargs):
    """Connected to allauth's user_logged_in: which provider opened the session."""
    if sociallogin is not None:
        request.session[SESSION_PROVIDER] = sociallogin.account.provider


def connect_signals():
    user_logged_in.connect(remember_provider, dispatch_uid="organizations.sign_in.provider")


def vouches_for_addresses(provider) -> bool:
    """Whether the provider's word on an address suffices without `email_verified`: a SAML
    provider (its signed assertion), or an OpenID Connect application whose settings say
    `"trust_email": true` (Microsoft Entra ID sends no `email_verified`)."""
    return provider.is_saml or (provider.social_app.settings or {}).get("trust_email") is True


def asserted_email_verified(provider, sociallogin) -> bool:
    """For a provider that vouches for its addresses: verified unless it says otherwise,
    in `email_verified` (OpenID Connect) or the attribute the SAML application maps to it."""
    attributes = sociallogin.account.extra_data or {}
    if provider.is_saml:
        mapping = (provider.social_app.settings or {}).get(
            "attribute_mapping", SAMLProvider.default_attribute_mapping
        )
        keys = mapping.get("email_verified") or []
    else:
        keys = ["email_verified"]
        # What allauth reads the claims from: the user info, else the ID token.
        attributes = attributes.get("userinfo") or attributes.get("id_token") or attributes
    for key in [keys] if isinstance(keys, str) else keys:
        value = attributes.get(key)
        if isinstance(value, list):  # SAML: every attribute is a list of values
            value = value[0] if value else None
        if value is not None:
            return str(value).strip().lower() in ("true", "1", "t", "y", "yes")
    return True


def clean_name(name) -> str:
    """The name claim as an account's name: without control characters, cut to length."""
    if not isinstance(name, str):
        return ""
    # Not printable: control characters (refused in names: accounts.validators) and more.
    return "".join(character for character in name if character.isprintable()).strip()[
        :NAME_MAX_LENGTH
    ]


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Who may sign in through which organization's provider (see the module's docstring)."""

    def _provider(self, sociallogin):
        provider = selectors.sign_in_provider_for_app(sociallogin.account.provider)
        if provider is None or not provider.enabled:
            raise ImmediateHttpResponse(refusal(self.request, REFUSED_UNAVAILABLE))
        return provider

    def pre_social_login(self, request, sociallogin):
        provider = self._provider(sociallogin)
        names = {"provider": provider.name, "organization": provider.organization.name}
        addresses = sociallogin.email_addresses
        if not addresses or not addresses[0].email:
            raise ImmediateHttpResponse(refusal(request, REFUSED_NO_EMAIL % names))
        email = normalize_email(addresses[0].email)
        names["email"] = email
        if vouches_for_addresses(provider):
            addresses[0].verified = asserted_email_verified(provider, sociallogin)
        if not addresses[0].verified:
            raise ImmediateHttpResponse(refusal(request, REFUSED_UNVERIFIED % names))
        if not selectors.provider_signs_in(provider, email):
            raise ImmediateHttpResponse(refusal(request, REFUSED_FOREIGN_DOMAIN % names))
        if sociallogin.is_existing:
            if not sociallogin.user.is_active:
                raise ImmediateHttpResponse(refusal(request, REFUSED_INACTIVE))
            return  # a returning person: signed in as before
        if User.objects.filter(email=email).exists():
            # Never linked on the provider's word alone: the owner proves it first.
            request.session[SESSION_PENDING_LINK] = sociallogin.serialize()
            raise ImmediateHttpResponse(redirect(reverse("organizations:sign_in_link")))

    def is_auto_signup_allowed(self, request, sociallogin):
        # pre_social_login has refused everything a signup form would have had to ask.
        return True

    def is_open_for_signup(self, request, sociallogin):
        return selectors.sign_in_provider_for_app(sociallogin.account.provider) is not None

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        provider = self._provider(sociallogin)
        user.email = normalize_email(user.email)
        # OpenID Connect's `name` claim; SAML: the attribute mapped to "name", or else
        # those mapped to "first_name" and "last_name".
        name = data.get("name") or " ".join(
            str(data.get(part) or "") for part in ("first_name", "last_name")
        )
        user.full_name = clean_name(name)
        user.preferred_language = translation.get_language() or settings.LANGUAGE_CODE
        # The unit's kind (a board's school): its situations in the quizzes.
        user.workplace = selectors.sign_in_unit_for(provider, user.email).kind
        return user

    def save_user(self, request, sociallogin, form=None):
        provider = self._provider(sociallogin)
        try:
            user = services.sso_account_create(
                sociallogin=sociallogin,
                provider=provider,
                save=lambda: super(SocialAccountAdapter, self).save_user(
                    request, sociallogin, form
                ),
            )
        except IntegrityError:
            # The same first sign-in twice at once (a double click): the other one won.
            raise ImmediateHttpResponse(refusal(request, REFUSED_RACE, status=409)) from None
        unit = user.memberships.select_related("organization").get().organization
        messages.success(request, MESSAGE_JOINED % {"organization": unit.name})
        return user
