from django.utils.functional import SimpleLazyObject

from organizations.selectors import sees_supervision_pages


def supervision(request):
    """`show_organizations_link`: true for supervisors and people who see every
    organization.

    Lazy, so a page that does not show the navigation runs no query; otherwise one query
    for signed-in people who are not superusers, none for anonymous visitors.
    """
    user = getattr(request, "user", None)
    return {
        "show_organizations_link": SimpleLazyObject(
            lambda: user is not None and sees_supervision_pages(user)
        )
    }
