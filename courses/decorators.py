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
