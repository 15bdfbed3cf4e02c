"""The hooks through which apps above accounts tell accounts' pages something.

accounts is the bottom layer and imports none of our other apps. The profile page must
still show the workplace a person's organization gives them, and then not offer the choice:
the organizations app answers that question by registering a function here in its
`AppConfig.ready()` (see `organizations/apps.py`). Without a registered function, nobody
has an organization's workplace and the profile offers the choice.
"""

from collections.abc import Callable

_organization_workplace: Callable[[object], str | None] | None = None


def register_organization_workplace(function: Callable[[object], str | None]) -> None:
    """Register `function(user)`: the workplace (a `Workplace` value) the person's
    organization gives them, or None. Registered once, by the organizations app."""
    global _organization_workplace
    _organization_workplace = function


def organization_workplace(user) -> str | None:
    """The workplace the person's organization gives them, or None if none does."""
    if _organization_workplace is None:
        return None
    return _organization_workplace(user)


# Where a person lands after signing in (and on the home page) when no `next` says where:
# the organizations app sends supervisors to their organization's dashboard. None: the
# caller's default (My learning).
_landing_page: Callable[[object], str | None] | None = None


def register_landing_page(function: Callable[[object], str | None]) -> None:
    """Register `function(user)`: the URL the signed-in person lands on, or None.
    Registered once, by the organizations app; it must run a fixed number of queries."""
    global _landing_page
    _landing_page = function


def landing_page(user) -> str | None:
    """The URL the signed-in person lands on, if an app says so."""
    if _landing_page is None or not user.is_authenticated:
        return None
    return _landing_page(user)


# Sections that apps above accounts add to the bottom of the profile page: the privacy app
# adds "My data" (ask for a copy of everything held about you, close the account). Each is
# `function(request)` returning a template name and its context, or None to show nothing.
_profile_sections: list[Callable[[object], tuple[str, dict] | None]] = []


def register_profile_section(function: Callable[[object], tuple[str, dict] | None]) -> None:
    """Register `function(request)`: `(template_name, context)` of a section of the
    profile page, or None. Registered by an app's `AppConfig.ready()`, once per section; it
    must run a fixed number of queries."""
    if function not in _profile_sections:
        _profile_sections.append(function)


def profile_sections(request) -> list[tuple[str, dict]]:
    """The sections the profile page shows below the form, in the order registered."""
    sections = (function(request) for function in _profile_sections)
    return [section for section in sections if section is not None]


# Single sign-on: the login page asks the organizations app whether the address typed
# (without a password) belongs to an organization's identity provider. The function
# returns the response that sends the person there, or None for a password sign-in.
_sign_in_route: Callable[..., object | None] | None = None


def register_sign_in_route(function: Callable[..., object | None]) -> None:
    """Register `function(request, *, email, next_url)`: a response (a redirect to the
    identity provider) or None. Registered once, by the organizations app."""
    global _sign_in_route
    _sign_in_route = function


def sign_in_route(request, *, email: str, next_url: str):
    if _sign_in_route is None:
        return None
    return _sign_in_route(request, email=email, next_url=next_url)


# On signing out: the identity provider the session was opened through, so that the page
# can say its session there may remain. `function(request)` returns a dict with "name"
# and "sign_out_url" (maybe empty), or None for a password sign-in.
_sign_in_provider_of_session: Callable[[object], dict | None] | None = None


def register_sign_in_provider_of_session(function: Callable[[object], dict | None]) -> None:
    global _sign_in_provider_of_session
    _sign_in_provider_of_session = function


def sign_in_provider_of_session(request) -> dict | None:
    if _sign_in_provider_of_session is None:
        return None
    return _sign_in_provider_of_session(request)


# Two-factor: whether a person must use it (a supervisor of an organization that requires
# it, an administrator when REPERE_ADMINS_REQUIRE_TWO_FACTOR is on). The organizations app
# registers its selector `two_factor_required_for`; without it, nobody must.
_two_factor_required: Callable[[object], bool] | None = None


def register_two_factor_required(function: Callable[[object], bool]) -> None:
    """Register `function(user)`: True if the person must sign in with a second factor.
    Registered once, by the organizations app; it runs at sign-in, in a fixed number of
    queries."""
    global _two_factor_required
    _two_factor_required = function


def two_factor_required(user) -> bool:
    if _two_factor_required is None:
        return False
    return _two_factor_required(user)


# Actions that apps above accounts add to the admin's list of users: the organizations app
# adds the reset of a person's two-factor (it writes the audit event). Each is an admin
# action function offered only to people with `permission` ("app_label.codename").
_user_admin_actions: list[tuple[Callable, str]] = []


def register_user_admin_action(function: Callable, *, permission: str) -> None:
    """Register an admin action `function(modeladmin, request, queryset)` on users, shown
    to (and run for) people with `permission` only. Registered in `AppConfig.ready()`."""
    if all(registered is not function for registered, _ in _user_admin_actions):
        _user_admin_actions.append((function, permission))


def user_admin_actions() -> list[tuple[Callable, str]]:
    return list(_user_admin_actions)
