"""`lrs`: ralph's own learning record store (FastAPI, `ralph.api:app` under uvicorn, see
`ralph_lrs.py`) on 127.0.0.1 in a subprocess, on its filesystem backend in a temporary
folder, with one basic-auth account in its credentials file. Emptied before each test."""

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import bcrypt
import httpx
import pytest

from tests.organizations.factories import AssignmentFactory, OrganizationFactory, staff_of
from xapi.models import LrsEndpoint

KEY, SECRET = "repere", "lrs-secret-for-tests"
ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Lrs:
    url: str
    folder: Path

    @property
    def statements_url(self) -> str:
        return f"{self.url}/xAPI/statements"

    def statements(self, **params) -> list[dict]:
        """Every statement the LRS stores (GET /xAPI/statements, following `more`)."""
        found, url = [], self.statements_url
        params = {"limit": 500, **params}
        while url:
            response = httpx.get(
                url,
                params=params,
                auth=(KEY, SECRET),
                headers={"X-Experience-API-Version": "1.0.3"},
                timeout=10,
            )
            response.raise_for_status()
            body = response.json()
            found += body["statements"]
            more = body.get("more")
            url, params = (f"{self.url}{more}", None) if more else (None, None)
        return found

    def empty(self) -> None:
        (self.folder / "fs_lrs.jsonl").write_text("")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def _lrs_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lrs")
    hashed = bcrypt.hashpw(SECRET.encode(), bcrypt.gensalt(4)).decode()
    (folder / "auth.json").write_text(
        json.dumps(
            [
                {
                    "agent": {"mbox": "mailto:lrs@example.org"},
                    "scopes": ["all"],
                    "hash": hashed,
                    "username": KEY,
                }
            ]
        )
    )
    port = _free_port()
    environment = {
        **os.environ,
        "RALPH_APP_DIR": str(folder),
        "RALPH_AUTH_FILE": str(folder / "auth.json"),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(folder),
    }
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.xapi.ralph_lrs", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/__heartbeat__", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((folder / "server.log").read_text())
            time.sleep(0.2)
        yield Lrs(url=url, folder=folder)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


@pytest.fixture
def lrs(_lrs_server):
    _lrs_server.empty()
    return _lrs_server


@pytest.fixture
def lrs_org(db, lrs):
    """An organization whose active LRS is ralph's."""
    organization = OrganizationFactory(name="Refuge Le Phare")
    LrsEndpoint.objects.create(
        organization=organization, statements_url=lrs.statements_url, key=KEY, secret=SECRET
    )
    return organization


def assigned_staff(organization, course, **user_fields):
    """A new staff member of the organization, who it assigned the course to."""
    learner = staff_of(organization, **user_fields)
    AssignmentFactory(organization=organization, learner=learner, course=course)
    return learner
