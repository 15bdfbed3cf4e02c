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


# Sections that apps above accounts add to the bottom of the profile page (privacy: "Close
# my account", the export of one's data). Each function receives the request and returns
# HTML, or "" to show nothing; they run in registration order and each must run a fixed
# number of queries. Registering the same function twice keeps one.
_profile_sections: list[Callable[[object], str]] = []


def register_profile_section(function: Callable[[object], str]) -> Callable[[object], str]:
    """Register `function(request) -> HTML` shown on the signed-in person's profile page."""
    if function not in _profile_sections:
        _profile_sections.append(function)
    return function


def profile_sections(request) -> list[str]:
    """The HTML of every registered profile section that has something to show."""
    return [html for html in (function(request) for function in _profile_sections) if html]
