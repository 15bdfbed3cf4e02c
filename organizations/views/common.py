from django.contrib import messages
from django.core.exceptions import ValidationError

from organizations import selectors


def organization_for(request, organization_id):
    """The organization whose supervisor pages the user may open; 404 otherwise."""
    return selectors.organization_get_manageable(user=request.user, organization_id=organization_id)


def call_and_tell(request, service, success: str, **arguments) -> None:
    """Call `service(**arguments)` and tell the person how it went: the domain error it
    raised (in their language), or `success`."""
    try:
        service(**arguments)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, success)
