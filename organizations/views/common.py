from organizations import selectors


def organization_for(request, organization_id):
    """The organization whose supervisor pages the user may open; 404 otherwise."""
    return selectors.organization_get_manageable(user=request.user, organization_id=organization_id)
