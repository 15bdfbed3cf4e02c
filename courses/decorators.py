"""`follows_former_slug`: a course's old address keeps working after it is renamed."""

from functools import wraps

from django.http import Http404, HttpResponsePermanentRedirect

from courses import selectors


def follows_former_slug(view):
    """Wrap a view taking `slug`: when it finds no course there and the slug is a former one
    of a course the user may see, answer 301 to the same page under the current slug.

    Only GET and HEAD are redirected: a form posted to an old address is not replayed.
    """

    @wraps(view)
    def wrapper(request, *args, slug, **kwargs):
        try:
            return view(request, *args, slug=slug, **kwargs)
        except Http404:
            if request.method not in ("GET", "HEAD"):
                raise
            current = selectors.course_slug_now(user=request.user, former_slug=slug)
            if current is None:
                raise
            path = request.get_full_path().replace(f"/{slug}/", f"/{current}/", 1)
            return HttpResponsePermanentRedirect(path)

    return wrapper


def preview_permission_required(model):
    """Wrap a preview view: only an active staff member who may view `model` in the admin
    (its view or change permission, as the admin's own `has_view_permission`) gets it;
    anyone else, signed in or not, gets a 404, as for an address that does not exist.

    A preview shows nothing the admin's page of the same object does not show already.
    """
    opts = model._meta
    perms = (
        f"{opts.app_label}.view_{opts.model_name}",
        f"{opts.app_label}.change_{opts.model_name}",
    )

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            user = request.user
            if not (user.is_active and user.is_staff and any(map(user.has_perm, perms))):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
