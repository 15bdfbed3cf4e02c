"""The one hook through which an app above accounts tells the profile page something.

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
