from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("REST API")

    def ready(self):
        # The security scheme of the OpenAPI schema (drf-spectacular's registry).
        from api import schema  # noqa: F401
