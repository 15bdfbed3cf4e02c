from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info


def site(request):
    """Links to the same page in each language, for the switcher on every page.

    The hotline and the quick-exit address come from `safety_tags`, which also serve
    pages rendered without a request (the 500 page).
    """
    path = request.get_full_path()
    language_links = [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translate_url(path, code),
        }
        for code, _name in settings.LANGUAGES
    ]
    return {"language_links": language_links}
