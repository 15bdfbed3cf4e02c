"""A real OpenID Connect provider on 127.0.0.1 (oidc-provider-mock), for single sign-on.

`OIDCProvider.user(sub, email=..., name=..., email_verified=...)` says who its account
`sub` is; its authorization page then signs that account in (a form with the account's
`sub`) or denies (a "Deny" button), as a person would at a real provider.
"""

import threading
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import httpx
import werkzeug.serving


@dataclass
class OIDCProvider:
    url: str

    def user(self, sub: str, *, email: str, name: str = "", email_verified=True) -> None:
        claims = {"email": email}
        if email_verified is not None:  # None: no such claim (as Microsoft Entra ID)
            claims["email_verified"] = email_verified
        if name:
            claims["name"] = name
        httpx.put(f"{self.url}/users/{sub}", json=claims).raise_for_status()

    def authorize(self, authorize_url: str, *, sub: str | None) -> str:
        """Answer the provider's authorization page as its user `sub` would (None: deny);
        returns the address the provider sends the browser back to."""
        data = {"sub": sub} if sub else {"action": "deny"}
        response = httpx.post(authorize_url, data=data, follow_redirects=False)
        assert response.status_code in (302, 303), response.text
        return response.headers["location"]


class _StateOnErrors:
    """oidc-provider-mock answers "Deny" with `error=access_denied` but without the request's
    `state`, which RFC 6749 (4.1.2.1) requires and real providers send: without it, the
    client cannot tell which sign-in was refused. This WSGI wrapper adds it back."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        state = parse_qs(environ.get("QUERY_STRING", "")).get("state")

        def start(status, headers, exc_info=None):
            if state:
                headers = [
                    (name, _with_state(value, state[0]) if name.lower() == "location" else value)
                    for name, value in headers
                ]
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


def _with_state(location: str, state: str) -> str:
    parts = urlsplit(location)
    query = parse_qs(parts.query)
    if "error" not in query or "state" in query:
        return location
    return urlunsplit(parts._replace(query=f"{parts.query}&{urlencode({'state': state})}"))


def start_provider():
    """(provider, stop): the mock provider served from a thread on a free port."""
    from oidc_provider_mock import app

    server = werkzeug.serving.make_server("127.0.0.1", 0, _StateOnErrors(app()), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()
        thread.join(5)

    return OIDCProvider(url=f"http://127.0.0.1:{server.server_port}"), stop


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path
