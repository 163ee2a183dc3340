"""gunicorn with the production configuration (iopfinder/gunicorn.conf.py), for tests that
need the real server: its environment, its workers, its timeouts."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "iopfinder.settings",
    "DEBUG": "0",
    "SECRET_KEY": "production-server-test-only-" + "k" * 40,
    "ALLOWED_HOSTS": "127.0.0.1",
    "STATIC_MANIFEST": "0",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


@dataclass
class Answer:
    status: int
    headers: dict
    body: str
    seconds: float


def get(url: str, headers: dict | None = None, timeout: float = 30) -> Answer:
    """One GET, redirects not followed; an error status is an answer too."""
    start = time.monotonic()
    try:
        response = _opener.open(urllib.request.Request(url, headers=headers or {}), timeout=timeout)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        body = response.read().decode()
    return Answer(response.status, response.headers, body, time.monotonic() - start)


@contextmanager
def gunicorn(environment: dict, log: Path):
    """Serves the app with `environment` (over the production defaults); yields its URL once
    it answers /healthz at all (a 503 too)."""
    port = free_port()
    env = {**os.environ, **PRODUCTION, **environment}
    with open(log, "w") as output:
        process = subprocess.Popen(
            [
                os.path.join(os.path.dirname(sys.executable), "gunicorn"),
                "-c",
                "iopfinder/gunicorn.conf.py",
                "iopfinder.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--access-logfile",
                "-",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                get(f"{url}/healthz", timeout=10)
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer:\n" + log.read_text()
                time.sleep(0.3)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
