"""The API's schema and its documentation page, served from our own files."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_schema_describes_every_operation_with_its_problems(client):
    response = client.get("/api/schema/", headers={"Accept": "application/json"})
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) >= {
        "/api/v1/organization/",
        "/api/v1/members/",
        "/api/v1/members/{member_id}/",
        "/api/v1/assignments/",
        "/api/v1/assignments/{assignment_id}/",
        "/api/v1/progress/",
        "/api/v1/progress/{assignment_id}/",
        "/api/v1/certificates/",
    }
    patch = schema["paths"]["/api/v1/assignments/{assignment_id}/"]["patch"]
    assert "400" in patch["responses"]
    assert schema["components"]["securitySchemes"]["oauth2"]["flows"]["clientCredentials"]


def test_the_documentation_page_loads_nothing_from_elsewhere_and_keeps_the_csp(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html
    assert not re.search(r"<script>(?!</script>)", html)  # no inline script
    for address in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert address.startswith("/"), address
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert "/api/schema/" in script.content.decode()
