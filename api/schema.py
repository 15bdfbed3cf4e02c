"""The API's security scheme in its OpenAPI schema: OAuth 2.0 client credentials, and for
each operation the scope it needs (the view's `scopes`). Registered on import (apps.py)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from api.scopes import SCOPES


class BearerScheme(OpenApiAuthenticationExtension):
    target_class = "api.base.BearerAuthentication"
    name = "oauth2"

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": "/api/oauth/token/",
                    "scopes": {name: str(label) for name, label in SCOPES.items()},
                }
            },
        }

    def get_security_requirement(self, auto_schema):
        scopes = getattr(auto_schema.view, "scopes", {})
        scope = scopes.get(auto_schema.method, scopes.get("GET"))
        return {self.name: [scope] if scope else []}
