"""The project's URLs plus the baseline of `make bench`: a bare Django view rendering a small
template (no database, no context processor), served through the same middleware."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

BARE = engines["django"].from_string(
    """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
<ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul>
</main></body></html>"""
)


def bare(request):
    return HttpResponse(BARE.render({"title": "Repère", "items": range(20)}, request))


urlpatterns = [path("bench/bare/", bare), *project_urlpatterns]
