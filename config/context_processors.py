from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info


def site(request):
    """Safety details and language links that every page shows."""
    path = request.get_full_path()
    language_links = [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translate_url(path, code),
        }
        for code, _name in settings.LANGUAGES
    ]
    return {
        "hotline_phone": settings.HOTLINE_PHONE,
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "language_links": language_links,
    }
