"""Slow clients wait in nginx, never in gunicorn's workers (deploy/start, the Dockerfile's
command, with the production settings on a throwaway SQLite database).

Twenty clients each announce a 100,000-byte form and send it one byte a second; /healthz
must answer within a second all the while. The same clients against gunicorn alone (as the
Dockerfile ran it before) hold all three of its workers, which is why nginx is there.
"""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.run import ROOT, manage, wait_for
from tests.core.production_server import get
from tests.core.test_access_log import LINE, Browser, free_port

SLOW_CLIENTS = 20
TRICKLE_SECONDS = 5
ANNOUNCED_BYTES = 100_000
FAST_ENOUGH = 1.0  # seconds /healthz may take while they trickle
PATH = os.pathsep.join([os.path.dirname(sys.executable), os.environ["PATH"], "/usr/sbin"])


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """The production settings on a fresh SQLite database, migrated (once: the tests write
    nothing but one failed sign-in)."""
    data = tmp_path_factory.mktemp("front")
    env = {
        **os.environ,
        "PATH": PATH,
        "DATABASE_URL": f"sqlite:///{data / 'db.sqlite3'}",
        "DEBUG": "0",
        "SECRET_KEY": "front-proxy-test-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_MANIFEST": "0",
        "CALLER_KEYS_PATH": str(data / "caller-keys.sqlite3"),
    }
    env.pop("TRUSTED_PROXY_COUNT", None)
    manage(env, "migrate", "--no-input", "-v", "0")
    return env


def start(command, env, logs: Path) -> subprocess.Popen:
    """The command, its standard output and error written to logs/out and logs/err."""
    with open(logs / "out", "w") as out, open(logs / "err", "w") as err:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err)


def stop(process: subprocess.Popen) -> int:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    return process.wait(timeout=30)


@contextmanager
def deploy_start(env, logs: Path):
    """deploy/start on a free port: nginx in front, gunicorn behind it on a unix socket."""
    if not shutil.which("nginx", path=PATH):
        pytest.fail(
            "nginx is not installed, and production runs it in front of gunicorn "
            "(deploy/start): `make system-packages` as root, or `apt-get install nginx`"
        )
    port = free_port()
    process = start([str(ROOT / "deploy" / "start")], {**env, "LISTEN": f"127.0.0.1:{port}"}, logs)
    try:
        wait_for(port)
        yield port, process
    finally:
        stop(process)


@pytest.fixture(scope="module")
def front(production, tmp_path_factory):
    with deploy_start(production, tmp_path_factory.mktemp("front-logs")) as (port, _process):
        yield port


@pytest.fixture
def gunicorn_alone(production, tmp_path):
    port = free_port()
    command = [
        os.path.join(os.path.dirname(sys.executable), "gunicorn"),
        "-c",
        "iopfinder/gunicorn.conf.py",
        "--bind",
        f"127.0.0.1:{port}",
        "iopfinder.wsgi:application",
    ]
    process = start(command, production, tmp_path)
    try:
        wait_for(port)
        yield port
    finally:
        stop(process)


class SlowClients:
    """Clients that post a form one byte at a time."""

    def __init__(self, port: int, count: int):
        self.sockets = []
        for _ in range(count):
            client = socket.create_connection(("127.0.0.1", port), timeout=5)
            client.sendall(
                b"POST /screening/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: %d\r\n\r\nx" % ANNOUNCED_BYTES
            )
            self.sockets.append(client)

    def one_more_byte(self):
        for client in self.sockets:
            client.sendall(b"x")

    def close(self):
        for client in self.sockets:
            client.close()


def healthz_seconds(port: int, timeout: float) -> float:
    """How long /healthz took to answer 200; raises TimeoutError past the timeout."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    assert response.status == 200
    return time.monotonic() - started


def test_slow_clients_wait_in_nginx_and_the_site_answers(front):
    port = front
    slow = SlowClients(port, SLOW_CLIENTS)
    try:
        times = []
        for _second in range(TRICKLE_SECONDS):
            started = time.monotonic()
            slow.one_more_byte()
            times.append(healthz_seconds(port, timeout=5))
            time.sleep(max(0.0, 1 - (time.monotonic() - started)))
    finally:
        slow.close()
    assert max(times) < FAST_ENOUGH, times


def test_gunicorn_alone_is_held_by_slow_clients(gunicorn_alone):
    """Why nginx: without it, the slow clients take every worker and /healthz waits."""
    slow = SlowClients(gunicorn_alone, SLOW_CLIENTS)
    try:
        time.sleep(0.5)  # each worker has taken one and waits for its body
        slow.one_more_byte()
        with pytest.raises(TimeoutError):
            healthz_seconds(gunicorn_alone, timeout=FAST_ENOUGH)
    finally:
        slow.close()


def test_the_app_sees_the_address_nginx_saw(front, production):
    """TRUSTED_PROXY_COUNT=1 (deploy/start): the address nginx appended to X-Forwarded-For,
    never one the client wrote there itself (guides/lockout.py client_address)."""
    browser = Browser(front)
    token = browser.form_token("/accounts/login/")
    failed = browser.request(
        "POST",
        "/accounts/login/",
        body=f"username=nobody&password=wrong&csrfmiddlewaretoken={token}",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Forwarded-For": "203.0.113.9",
        },
    )
    assert failed.status_code == 200  # the form again, with its error
    with sqlite3.connect(production["DATABASE_URL"].removeprefix("sqlite:///")) as database:
        addresses = database.execute("SELECT ip_address FROM axes_accessattempt").fetchall()
    assert addresses == [("127.0.0.1",)]


def test_stopping_stops_both_and_the_access_log_has_paths_only(production, tmp_path):
    with deploy_start(production, tmp_path) as (port, process):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/programs/?q=family&near=02139")
        assert connection.getresponse().status == 200
        connection.close()

        assert stop(process) == 0
        # gunicorn's socket is in deploy/start's run directory, which every process it started
        # names; gone, with them.
        errors = (tmp_path / "err").read_text()
        run = re.search(r"Listening at: unix:(\S+)/gunicorn\.sock", errors)[1]
        assert not Path(run).exists()
        assert not [command for command in running_commands() if run in command]
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=2)

        log = (tmp_path / "out").read_text()
        lines = log.splitlines()
        assert all(LINE.fullmatch(line) for line in lines), log
        assert re.search(r'"GET /programs/ HTTP/1\.1" 200 \d+ \d+$', log, re.MULTILINE), log
        assert "family" not in log and "02139" not in log and "?" not in log


def running_commands() -> list[str]:
    commands = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            commands.append(cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            pass  # ended meanwhile
    return commands


def test_while_gunicorn_cannot_answer_nginx_shows_the_apps_page_or_json(production):
    """nginx alone, its gunicorn socket absent (down, restarting): the app's "unavailable"
    page with the crisis lines in the visitor's language, and JSON under /api/; 503, with
    Retry-After."""
    if not shutil.which("nginx", path=PATH):
        pytest.fail("nginx is not installed: `make system-packages` as root")
    with tempfile.TemporaryDirectory(prefix="iopfinder-nginx-") as run:
        # As deploy/start's: nginx's workers (nobody, under root) must read the pages.
        os.chmod(run, 0o711)
        answers = _nginx_without_gunicorn(production, Path(run))
    page, spanish, api = answers
    assert page.status == spanish.status == api.status == 503
    assert page.headers["Retry-After"] == "30"
    assert page.headers["Content-Type"].startswith("text/html")
    assert "Our listings are unavailable for a moment" in page.body
    assert 'href="tel:988"' in page.body and "1-800-662-4357" in page.body
    assert '<html lang="es">' in spanish.body and 'href="tel:988"' in spanish.body
    assert "Our listings are unavailable" not in spanish.body
    assert api.headers["Content-Type"].startswith("application/json")
    assert json.loads(api.body) == {
        "errors": {
            "__all__": ["Our listings are unavailable for a moment. Please try again in a minute."]
        }
    }


def _nginx_without_gunicorn(production, tmp_path: Path):
    port = free_port()
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    config = config.replace("@LISTEN@", f"127.0.0.1:{port}").replace("@RUN_DIR@", str(tmp_path))
    (tmp_path / "nginx.conf").write_text(config)
    manage(production, "render_error_pages", str(tmp_path / "errors"))
    (tmp_path / "access.log").touch()
    nginx = shutil.which("nginx", path=PATH)
    process = start(
        [nginx, "-p", str(tmp_path), "-e", "stderr", "-c", "nginx.conf"], production, tmp_path
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "err").read_text()
                time.sleep(0.2)
        page = get(f"http://127.0.0.1:{port}/programs/?near=94612")
        spanish = get(f"http://127.0.0.1:{port}/", headers={"Accept-Language": "es-US,es;q=0.9"})
        api = get(f"http://127.0.0.1:{port}/api/programs/")
    finally:
        stop(process)
    return page, spanish, api
