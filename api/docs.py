"""The API's documentation page: Swagger UI from drf-spectacular-sidecar's static files,
its start-up script a file of its own (SpectacularSwaggerSplitView), so that the page
keeps the site's Content-Security-Policy (script-src and style-src 'self')."""

from drf_spectacular.views import SpectacularSwaggerSplitView


class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/docs.html"
    title = "Repère API"
