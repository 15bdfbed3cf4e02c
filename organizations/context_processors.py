from django.utils.functional import SimpleLazyObject

from organizations.selectors import can_see_every_organization, user_supervises_any


def supervision(request):
    """`show_organizations_link`: true for supervisors and people who see every
    organization.

    Lazy, so a page that does not show the navigation runs no query; otherwise one EXISTS
    query for signed-in people who are not administrators, none for anonymous visitors.
    """
    user = getattr(request, "user", None)

    def show():
        if user is None or not user.is_authenticated:
            return False
        return can_see_every_organization(user) or user_supervises_any(user)

    return {"show_organizations_link": SimpleLazyObject(show)}
