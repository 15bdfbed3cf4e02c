"""A passkey in software, for tests without a browser: what an authenticator answers to
the site's WebAuthn challenges (a P-256 key, "none" attestation, user present and
verified), built with fido2's own encoders so that allauth's checks are what is tested.

The answers are the JSON the browser's webauthn-json sends. The origin is the test
client's (http://testserver): the tests let fido2 accept it
(MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN), which production never does.
"""

import hashlib
import json
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_encode
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

# Where allauth keeps the challenge it sent (allauth.mfa.webauthn.internal.auth).
STATE_SESSION_KEY = "mfa.webauthn.state"
FLAGS = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV


class SoftPasskey:
    def __init__(self, *, rp_id: str = "testserver", origin: str = "http://testserver"):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.rp_id_hash = hashlib.sha256(rp_id.encode()).digest()
        self.origin = origin
        self.counter = 0

    def _answer(self, response: dict) -> str:
        encoded = websafe_encode(self.credential_id)
        return json.dumps(
            {
                "id": encoded,
                "rawId": encoded,
                "type": "public-key",
                "response": response,
                "clientExtensionResults": {},
            }
        )

    def register(self, challenge: str) -> str:
        """The answer to the creation challenge (`challenge` as in the session's state)."""
        client_data = CollectedClientData.create("webauthn.create", challenge, self.origin)
        credential = AttestedCredentialData.create(
            b"\0" * 16, self.credential_id, ES256.from_cryptography_key(self.key.public_key())
        )
        auth_data = AuthenticatorData.create(
            self.rp_id_hash, FLAGS | AuthenticatorData.FLAG.AT, 0, credential
        )
        attestation = AttestationObject.create("none", auth_data, {})
        return self._answer(
            {
                "clientDataJSON": websafe_encode(client_data),
                "attestationObject": websafe_encode(attestation),
            }
        )

    def sign(self, challenge: str) -> str:
        """The answer to a sign-in challenge: the challenge signed by the passkey's key."""
        client_data = CollectedClientData.create("webauthn.get", challenge, self.origin)
        self.counter += 1
        auth_data = AuthenticatorData.create(self.rp_id_hash, FLAGS, self.counter)
        signature = self.key.sign(auth_data + client_data.hash, ec.ECDSA(hashes.SHA256()))
        return self._answer(
            {
                "clientDataJSON": websafe_encode(client_data),
                "authenticatorData": websafe_encode(auth_data),
                "signature": websafe_encode(signature),
            }
        )


def challenge_of(client) -> str:
    """The challenge the site last sent to this test client's browser."""
    return client.session[STATE_SESSION_KEY]["challenge"]
