from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import get_language_info


def _url_in(code: str, match, query: str) -> str:
    """The resolved page under language `code`; the home page when nothing resolved (404)."""
    with translation.override(code):
        if match is not None and match.url_name:
            try:
                url = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                return reverse("home")
            return f"{url}?{query}" if query else url
        return reverse("home")


def site(request):
    """Links to the same page in each language, for the switcher on every page.

    Built by reversing the view that answered, never from the raw path: a path such as
    `//evil.com/fr/…` would otherwise become a link to another site.

    The hotline and the quick-exit address come from `safety_tags`, which also serve
    pages rendered without a request (the 500 page).
    """
    match = getattr(request, "resolver_match", None)
    query = request.META.get("QUERY_STRING", "")
    language_links = [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": _url_in(code, match, query),
        }
        for code, _name in settings.LANGUAGES
    ]
    return {"language_links": language_links}
