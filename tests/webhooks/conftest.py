"""`receiver`: a real webhook receiver on 127.0.0.1 (http.server in a thread) that
verifies every request with the Standard Webhooks library, as an organization's system
would, and answers with the statuses the test gives."""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError


@dataclass
class Received:
    headers: dict
    body: bytes
    payload: dict | None  # None: the signature did not verify
    answered: int


@dataclass
class Receiver:
    url: str
    secret: str = ""
    statuses: list[int] = field(default_factory=list)  # answers, in order; then 200
    delay: float = 0.0  # seconds before answering
    requests: list[Received] = field(default_factory=list)
    processed: dict = field(default_factory=dict)  # webhook-id → payload, once each

    def answer(self, headers: dict, body: bytes) -> int:
        time.sleep(self.delay)
        status = self.statuses.pop(0) if self.statuses else 200
        try:
            payload = Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError:
            payload, status = None, 401
        if payload is not None and 200 <= status < 300:
            # A receiver deduplicates by webhook-id: a second copy is acknowledged only.
            self.processed.setdefault(headers["webhook-id"], payload)
        self.requests.append(Received(headers, body, payload, status))
        return status


@pytest.fixture
def receiver(settings):
    settings.REPERE_WEBHOOKS_ALLOW_LOCAL_HTTP = True
    holder = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {name.lower(): value for name, value in self.headers.items()}
            status = holder["receiver"].answer(headers, body)
            reply = json.dumps({"status": status, "padding": "x" * 3000}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    holder["receiver"] = Receiver(url=f"http://127.0.0.1:{server.server_port}/hooks")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield holder["receiver"]
    server.shutdown()
    server.server_close()
