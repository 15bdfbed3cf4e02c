"""A real LTI 1.3 platform (an LMS) on 127.0.0.1, built on lti1p3platform, for the tests.

It does what an LMS does, over HTTP: starts a launch (third-party login initiation to
Repère's login address), answers Repère's authorization request with a signed id token in
a form to post, serves its keys, issues access tokens to Repère (checking Repère's signed
client assertion against Repère's own JWKS, fetched over HTTP), receives scores on a line
item, and checks a deep linking response's signature against Repère's JWKS.

`LMS.open(client, ...)` follows a whole launch as a browser would, with `client` (a
`requests.Session`): the redirects, then the form the LMS returns (posted, as its script
would), and returns Repère's last response.
"""

import json
import threading
import typing as t
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode

import werkzeug.serving
from jwcrypto.jwk import JWK
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request
from werkzeug.wrappers import Request as WsgiRequest
from werkzeug.wrappers import Response

INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


@dataclass
class Launch:
    """What the next launch says (the LMS's person, the link they follow)."""

    sub: str = "lms-user-1"
    name: str = "Alex Apprenant"
    email: str | None = "alex@example.org"
    roles: list = field(default_factory=lambda: [LEARNER])
    custom: dict = field(default_factory=dict)
    resource_link_id: str = "link-1"
    lineitem: bool = True
    deep_linking: bool = False
    locale: str = "fr-CA"
    deployment_id: str | None = None


class _Request(Request):
    def build_metadata(self, request: WsgiRequest):
        return {
            "method": request.method,
            "form_data": request.form.to_dict(),
            "get_data": request.args.to_dict(),
            "headers": dict(request.headers),
            "content_type": request.content_type,
            "path": request.path,
            "json": None,
        }


class _Config(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs):
        self.lms = kwargs["lms"]

    def get_registration_by_params(self, **kwargs):
        lms = self.lms
        return (
            Registration()
            .set_iss(lms.issuer)
            .set_client_id(lms.client_id)
            .set_deployment_id(lms.launch.deployment_id or lms.deployment_id)
            .set_launch_url(lms.tool_url + "/lti/launch/")
            .set_deeplink_launch_url(lms.tool_url + "/lti/launch/")
            .set_oidc_login_url(lms.tool_url + "/lti/login/")
            .set_tool_key_set_url(lms.tool_url + "/lti/jwks/")
            .set_platform_public_key(lms.public_key)
            .set_platform_private_key(lms.private_key)
        )


class _MessageLaunch(LTIAdvantageMessageLaunchAbstract):
    def render_launch_form(self, launch_data, **kwargs):
        return launch_data


class LMS:
    def __init__(self, url: str):
        self.url = url
        self.issuer = url
        self.client_id = "repere-" + uuid.uuid4().hex[:8]
        self.deployment_id = "deployment-1"
        key = JWK.generate(kty="RSA", size=2048, kid=uuid.uuid4().hex)
        self.private_key = key.export_to_pem(private_key=True, password=None).decode()
        self.public_key = key.export_to_pem().decode()
        self.tool_url = ""
        self.launch = Launch()
        self.scores: list[dict] = []
        self.deep_link_items: list = []
        self.token_requests = 0
        self.fail_scores = 0  # answer this many score posts with a 503 first
        self.registration_token = "reg-" + uuid.uuid4().hex
        self.registered: list[dict] = []  # the tool configurations Repère posted

    # --- the WSGI application -------------------------------------------------------------

    def __call__(self, environ, start_response):
        request = WsgiRequest(environ)
        handler = {
            "/auth": self._auth,
            "/jwks": self._jwks,
            "/token": self._token,
            "/deep-link-return": self._deep_link_return,
            "/.well-known/openid-configuration": self._openid_configuration,
            "/register": self._register,
        }.get(request.path)
        if handler is None and request.path.startswith("/lineitems/"):
            handler = self._score
        response = handler(request) if handler else Response("not found", status=404)
        return response(environ, start_response)

    def _config(self):
        config = _Config(lms=self)
        config.get_registration()
        return config

    def _auth(self, request):
        config = self._config()
        launch = _MessageLaunch(_Request(request), config)
        spec = self.launch
        launch.set_user_data(spec.sub, spec.roles, full_name=spec.name, email_address=spec.email)
        launch.set_resource_link_claim(spec.resource_link_id, title="Repère")
        launch.set_launch_presentation_claim(document_target="window")
        claims = {
            "https://purl.imsglobal.org/spec/lti/claim/context": {
                "id": "course-101",
                "title": "Formation du personnel",
            },
            "https://purl.imsglobal.org/spec/lti/claim/launch_presentation": {
                "document_target": "window",
                "locale": spec.locale,
            },
        }
        if spec.custom:
            claims["https://purl.imsglobal.org/spec/lti/claim/custom"] = spec.custom
        launch.set_extra_claims(claims)
        if spec.lineitem:
            launch.set_ags(
                lineitems_url=f"{self.url}/lineitems",
                lineitem_url=f"{self.url}/lineitems/{spec.resource_link_id}",
                allow_creating_lineitems=False,
                results_service_enabled=False,
            )
        if spec.deep_linking:
            launch.set_dl(f"{self.url}/deep-link-return", accept_types={"ltiResourceLink"})
        try:
            data = launch.lti_launch()
        except Exception as error:
            return Response(f"refused: {error!r}", status=400)
        return Response(_form(data["launch_url"], data), content_type="text/html")

    def _jwks(self, request):
        return Response(json.dumps(self._config().get_jwks()), content_type="application/json")

    def _token(self, request):
        self.token_requests += 1
        try:
            token = self._config().get_access_token(request.form.to_dict())
        except Exception as error:
            return Response(json.dumps({"error": repr(error)}), status=400)
        return Response(json.dumps(token), content_type="application/json")

    def _score(self, request):
        config = self._config()
        authorization = request.headers.get("Authorization", "")
        try:
            valid = config.validate_token(
                authorization.removeprefix("Bearer "), allowed_scopes=[SCORE_SCOPE]
            )
        except Exception:
            valid = False
        if not valid or not request.path.endswith("/scores"):
            return Response("forbidden", status=403)
        if request.content_type != "application/vnd.ims.lis.v1.score+json":
            return Response("wrong type", status=415)
        if self.fail_scores:
            self.fail_scores -= 1
            return Response("busy", status=503)
        self.scores.append({"path": request.path, **json.loads(request.get_data())})
        return Response("", status=204)

    def _deep_link_return(self, request):
        try:
            items = self._config().validate_deeplinking_resp(request.form.to_dict())
        except Exception as error:
            return Response(f"refused: {error!r}", status=400)
        self.deep_link_items.extend(items)
        return Response("linked", status=200)

    def _openid_configuration(self, request):
        return Response(
            json.dumps(
                {
                    "issuer": self.issuer,
                    "authorization_endpoint": f"{self.url}/auth",
                    "token_endpoint": f"{self.url}/token",
                    "jwks_uri": f"{self.url}/jwks",
                    "registration_endpoint": f"{self.url}/register",
                    "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                        "product_family_code": "moodle",
                        "version": "4.5",
                    },
                }
            ),
            content_type="application/json",
        )

    def _register(self, request):
        """Dynamic registration: a new client id and deployment for the tool that posts
        its configuration with the registration token the LMS gave it."""
        if request.headers.get("Authorization") != f"Bearer {self.registration_token}":
            return Response("forbidden", status=401)
        configuration = json.loads(request.get_data())
        self.registered.append(configuration)
        self.client_id = "dyn-" + uuid.uuid4().hex[:8]
        self.deployment_id = "deployment-dyn"
        answer = {
            **configuration,
            "client_id": self.client_id,
            "https://purl.imsglobal.org/spec/lti-tool-configuration": {
                **configuration["https://purl.imsglobal.org/spec/lti-tool-configuration"],
                "deployment_id": self.deployment_id,
            },
        }
        return Response(json.dumps(answer), content_type="application/json")

    def registration_start_url(self, tool_registration_url: str) -> str:
        """What the LMS opens when its administrator enters Repère's registration URL."""
        query = urlencode(
            {
                "openid_configuration": f"{self.url}/.well-known/openid-configuration",
                "registration_token": self.registration_token,
            }
        )
        return f"{tool_registration_url}?{query}"

    # --- what a person does in the LMS ----------------------------------------------------

    def login_initiation_url(self, *, login_hint: str = "lms-user-1", **extra) -> str:
        params = {
            "iss": self.issuer,
            "login_hint": login_hint,
            "target_link_uri": self.tool_url + "/lti/launch/",
            "lti_message_hint": "resource",
            "client_id": self.client_id,
            "lti_deployment_id": self.launch.deployment_id or self.deployment_id,
            **extra,
        }
        return f"{self.tool_url}/lti/login/?{urlencode(params)}"

    def open(self, client, **extra):
        """Follow a launch through to Repère's page; returns (Repère's response, the
        form the LMS posted: its action and fields)."""
        response = client.get(self.login_initiation_url(**extra), allow_redirects=True)
        assert response.url.startswith(self.url + "/auth"), (response.status_code, response.text)
        assert response.status_code == 200, response.text
        action, fields = form_of(response.text)
        return client.post(action, data=fields, allow_redirects=True), (action, fields)


def _form(action: str, data: dict) -> str:
    from html import escape

    inputs = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(str(value))}">'
        for name, value in data.items()
        if name in ("id_token", "state")
    )
    return f'<form method="post" action="{escape(action)}">{inputs}</form>'


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.action = None
        self.fields: dict[str, t.Any] = {}
        self.radios: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and attributes.get("method", "").lower() == "post" and not self.action:
            self.action = attributes.get("action")
        if tag == "input" and attributes.get("name"):
            if attributes.get("type") == "radio":
                self.radios.append(attributes.get("value"))
            else:
                self.fields[attributes["name"]] = attributes.get("value", "")


def form_of(html: str, *, action_contains: str = "") -> tuple[str, dict]:
    """The (action, hidden fields) of the first POST form of a page."""
    parser = _FormParser()
    parser.feed(html)
    assert parser.action, html[:2000]
    return parser.action, parser.fields


def radios_of(html: str) -> list[str]:
    parser = _FormParser()
    parser.feed(html)
    return parser.radios


def start_lms():
    """(lms, stop): the platform served from a thread on a free port."""
    holder: dict = {}

    def app(environ, start_response):
        return holder["lms"](environ, start_response)

    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    holder["lms"] = LMS(f"http://127.0.0.1:{server.server_port}")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()

    def stop():
        server.shutdown()
        server.server_close()
        thread.join(5)

    return holder["lms"], stop


def assert_safety_on(html: str) -> None:
    """The page has what every page has: the quick exit and the hotline."""
    assert '<nav class="quick-exit"' in html
    assert 'class="hotline"' in html
