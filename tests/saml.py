"""A real SAML 2.0 identity provider on 127.0.0.1, built with pysaml2, for single sign-on.

It signs its responses with Debian's `xmlsec1` program (pysaml2's default backend, the one
its users run; .ci/run installs it). `SAMLIdentityProvider.user(name_id, email=...,
name=...)` says who its account `name_id` is; `register_sp(metadata)` makes a service
provider known to it, from the metadata Repère serves. Its sign-in page (`/sso`, the HTTP
Redirect binding) is a form where a person types their account's name id and presses
"Sign in"; the answer is the usual page that posts the signed response to the service
provider's assertion consumer service (the HTTP POST binding), as a real provider does.
"""

import base64
import datetime
import html
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import werkzeug.serving
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from werkzeug.wrappers import Request, Response

NAME_FORMAT_URI = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"
NAMEID_PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
# The attributes' URIs (urn:oid:…) as allauth's default mapping reads them.
ATTRIBUTE_MAIL = "mail"  # urn:oid:0.9.2342.19200300.100.1.3
ATTRIBUTE_DISPLAY_NAME = "displayName"  # urn:oid:2.16.840.1.113730.3.1.241
ATTRIBUTE_DISPLAY_NAME_URI = "urn:oid:2.16.840.1.113730.3.1.241"


def xmlsec_binary() -> str | None:
    return shutil.which("xmlsec1")


def _key_and_certificate(directory: Path, common_name: str) -> tuple[Path, Path, str]:
    """A fresh RSA key and its self-signed certificate (files, and the certificate's base64)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file = directory / "idp.key"
    cert_file = directory / "idp.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    pem = certificate.public_bytes(serialization.Encoding.PEM)
    cert_file.write_bytes(pem)
    body = "".join(pem.decode().strip().splitlines()[1:-1])
    return key_file, cert_file, body


@dataclass
class SAMLIdentityProvider:
    url: str
    x509cert: str  # the signing certificate, base64 (what an administrator pastes)
    server: object = field(repr=False)
    users: dict = field(default_factory=dict, repr=False)

    @property
    def entity_id(self) -> str:
        return f"{self.url}/metadata"

    @property
    def sso_url(self) -> str:
        return f"{self.url}/sso"

    def user(self, name_id: str, *, email: str, name: str = "") -> None:
        attributes = {ATTRIBUTE_MAIL: [email]}
        if name:
            attributes[ATTRIBUTE_DISPLAY_NAME] = [name]
        self.users[name_id] = attributes

    def register_sp(self, metadata: str) -> None:
        """Trust the service provider that this metadata (Repère's metadata page) describes."""
        self.server.metadata.load("inline", metadata)

    def authorize(self, sso_url: str, *, name_id: str, signed: bool = True) -> tuple[str, dict]:
        """Sign in at the provider's page as its account `name_id`; returns where the
        provider's page posts the response and the fields it posts (SAMLResponse, RelayState).
        `signed=False`: a provider that signs neither the response nor the assertion."""
        query = parse_qs(urlsplit(sso_url).query)
        data = {key: values[0] for key, values in query.items()}
        data["name_id"] = name_id
        if not signed:
            data["unsigned"] = "1"
        response = httpx.post(f"{self.url}/sso", data=data)
        assert response.status_code == 200, response.text
        return posted_form(response.text)


def posted_form(page: str) -> tuple[str, dict]:
    """The action and the hidden fields of the page that posts a SAML message."""
    action = html.unescape(re.search(r'<form[^>]*action="([^"]+)"', page).group(1))
    fields = {
        html.unescape(name): html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
    }
    return action, fields


def tampered(saml_response: str, *, old: str, new: str) -> str:
    """The response with `old` replaced by `new` in its XML, its signatures left as they were."""
    xml = base64.b64decode(saml_response).decode()
    assert old in xml
    return base64.b64encode(xml.replace(old, new).encode()).decode()


def _sign_in_page(data: dict) -> str:
    hidden = "".join(
        f'<input type="hidden" name="{html.escape(key)}" value="{html.escape(value)}">'
        for key, value in data.items()
        if key in ("SAMLRequest", "RelayState", "SigAlg", "Signature")
    )
    return (
        "<!doctype html><html lang=en><title>Test identity provider</title><main>"
        '<h1>Test identity provider</h1><form method="post" action="/sso">'
        f'{hidden}<label>Account <input name="name_id"></label>'
        "<button>Sign in</button></form></main></html>"
    )


def _app(provider_holder: dict):
    from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
    from saml2.saml import NameID
    from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

    def application(environ, start_response):
        provider: SAMLIdentityProvider = provider_holder["provider"]
        server = provider.server
        request = Request(environ)
        if request.path == "/metadata":
            from saml2.metadata import create_metadata_string

            xml = create_metadata_string(None, config=server.config, sign=False)
            return Response(xml, content_type="text/xml")(environ, start_response)
        if request.path != "/sso":
            return Response("Not found", status=404)(environ, start_response)
        if request.method == "GET":
            page = _sign_in_page(request.args.to_dict())
            return Response(page, content_type="text/html")(environ, start_response)
        form = request.form.to_dict()
        parsed = server.parse_authn_request(form["SAMLRequest"], BINDING_HTTP_REDIRECT)
        arguments = server.response_args(parsed.message, [BINDING_HTTP_POST])
        name_id = form.get("name_id", "")
        identity = provider.users.get(name_id)
        if identity is None:
            return Response("Unknown account", status=400)(environ, start_response)
        signed = form.get("unsigned") != "1"
        response = server.create_authn_response(
            identity=identity,
            userid=name_id,
            name_id=NameID(format=NAMEID_PERSISTENT, text=name_id),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_response=signed,
            sign_assertion=signed,
            # python3-saml refuses pysaml2's default, RSA-SHA1, as deprecated.
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
            **arguments,
        )
        http = server.apply_binding(
            BINDING_HTTP_POST,
            str(response),
            arguments["destination"],
            form.get("RelayState", ""),
            response=True,
        )
        return Response(http["data"], content_type="text/html")(environ, start_response)

    return application


def start_identity_provider():
    """(provider, stop): the identity provider served from a thread on a free port."""
    from saml2.config import IdPConfig
    from saml2.server import Server

    binary = xmlsec_binary()
    if binary is None:
        raise RuntimeError("The SAML tests need the xmlsec1 program: apt-get install xmlsec1")
    directory = Path(tempfile.mkdtemp(prefix="repere-saml-idp-"))
    key_file, cert_file, x509cert = _key_and_certificate(directory, "Repère test IdP")
    holder: dict = {}
    http = werkzeug.serving.make_server("127.0.0.1", 0, _app(holder), threaded=True)
    url = f"http://127.0.0.1:{http.server_port}"
    config = IdPConfig()
    config.load(
        {
            "entityid": f"{url}/metadata",
            "xmlsec_binary": binary,
            "key_file": str(key_file),
            "cert_file": str(cert_file),
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [
                            (f"{url}/sso", "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect")
                        ]
                    },
                    "name_id_format": [NAMEID_PERSISTENT],
                    "want_authn_requests_signed": False,
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": 5},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        }
                    },
                }
            },
            "metadata": {},
        }
    )
    provider = SAMLIdentityProvider(url=url, x509cert=x509cert, server=Server(config=config))
    holder["provider"] = provider
    thread = threading.Thread(target=http.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()

    def stop():
        http.shutdown()
        http.server_close()
        thread.join(5)
        shutil.rmtree(directory, ignore_errors=True)

    return provider, stop
