"""The processes `make load` runs on 127.0.0.1: app servers, a task worker, a mail server.

- `start_gunicorn(port, log)`: one app server (gunicorn, `LOAD_WORKERS` sync workers);
- `start_worker(log)`: one task worker (`manage.py db_worker`), which sends the e-mails;
- `MailSink`: an SMTP server (aiosmtpd) that counts the messages each address receives,
  and can be stopped and started again on the same port, as a mail server that goes down;
- `stop(process)`: SIGTERM to the process group, SIGKILL after 15 s.

Each process inherits os.environ (the production-like settings of benchmarks/environment.py).
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from benchmarks import environment

HOST = "127.0.0.1"
WORKERS = int(os.environ.get("LOAD_WORKERS", "2"))  # per app server
# Threads per worker: 1 runs gunicorn's sync workers; more, its gthread workers.
THREADS = int(os.environ.get("LOAD_THREADS", "1"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _spawn(command: list[str], log: Path) -> subprocess.Popen:
    with log.open("w") as output:
        return subprocess.Popen(
            command,
            cwd=environment.BASE_DIR,
            env=dict(os.environ),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def start_gunicorn(port: int, log: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return _spawn(
        [
            str(gunicorn),
            "config.wsgi",
            "--workers",
            str(WORKERS),
            *(["--worker-class", "gthread", "--threads", str(THREADS)] if THREADS > 1 else []),
            "--bind",
            f"{HOST}:{port}",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
        ],
        log,
    )


def start_worker(log: Path) -> subprocess.Popen:
    manage = str(environment.BASE_DIR / "manage.py")
    return _spawn([sys.executable, manage, "db_worker", "--no-reload", "--interval", "0.2"], log)


def wait_until_ready(base_url: str, server: subprocess.Popen, log: Path) -> None:
    import httpx

    for _ in range(150):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base_url}/fr/accounts/login/", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within 30 s:\n{log.read_text()[-3000:]}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class MailSink:
    """An SMTP server on 127.0.0.1 that counts what each recipient receives."""

    def __init__(self):
        self.port = free_port()
        self.received: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.controller = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received[recipient.lower()] += 1
        return "250 Message accepted for delivery"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname=HOST, port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def url(self) -> str:
        return f"smtp://{HOST}:{self.port}"

    def outage(self, after: float, seconds: float, deadline: float) -> threading.Thread:
        """In a thread: stop the server `after` seconds from now, start it again `seconds`
        later (never past the deadline of the run)."""

        def run():
            time.sleep(max(0.0, after))
            self.stop()
            time.sleep(max(0.0, min(seconds, deadline - time.monotonic())))
            self.start()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread
