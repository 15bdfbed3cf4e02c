"""What every API view shares: the client behind the token, the scope each method needs,
page-number pagination, and ETags."""

from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from oauth2_provider.models import AccessToken
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import BasePermission

from api import selectors
from api.errors import DETAIL_NOT_BOUND, DETAIL_SCOPE, QueryValidationError

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Pagination(PageNumberPagination):
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE


class BearerAuthentication(OAuth2Authentication):
    """django-oauth-toolkit's, reading the Django request: the token is checked before
    the body is parsed, so that a request without a token is a 401 whatever it sends
    (not a 415 for a body that is not JSON)."""

    def authenticate(self, request):
        return super().authenticate(request._request)


class ClientHasScope(BasePermission):
    """A valid token of an application bound to an organization, with the scope the
    view names for the request's method (`view.scopes`)."""

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, AccessToken) or not token.is_valid():
            raise exceptions.NotAuthenticated()
        client = selectors.client_for_application(application_id=token.application_id)
        if client is None:
            raise exceptions.PermissionDenied(DETAIL_NOT_BOUND)
        scope = view.scopes.get(request.method, view.scopes.get("GET"))
        if not token.allow_scopes([scope]) or scope not in client.scope_list:
            raise exceptions.PermissionDenied(DETAIL_SCOPE % {"scope": scope})
        view.client = client
        return True


class ApiView(GenericAPIView):
    """An operation of the API, for one organization: the token's client's (`organization`).

    Each GET answer carries an ETag of its body; a request whose If-None-Match names it
    gets 304 Not Modified without the body."""

    authentication_classes = [BearerAuthentication]
    permission_classes = [ClientHasScope]
    pagination_class = Pagination
    scopes: dict[str, str] = {}
    client = None

    @property
    def organization(self):
        return self.client.organization

    def query(self, serializer_class) -> dict:
        """The query string's filters, validated (400 naming each bad parameter)."""
        serializer = serializer_class(data=self.request.query_params)
        if not serializer.is_valid():
            raise QueryValidationError(serializer.errors)
        return serializer.validated_data

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Another client's cache must not answer for this token's organization.
        patch_cache_control(response, private=True, no_cache=True)
        response["Vary"] = "Authorization, Accept-Language"
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.render()
            set_response_etag(response)
            return get_conditional_response(request, etag=response["ETag"], response=response)
        return response
