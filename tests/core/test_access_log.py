"""The access log says who asked for which path, when and how it went: nothing personal.

A real gunicorn with iopfinder/gunicorn.conf.py serves a person who takes the self-screen
and follows it to the search, a phone number in the caller search's address (an old link),
and a signed-in guide who finds a returning caller by phone and by alias. The
log must hold one line per request (path and status) and none of the query strings, the
Referer or the User-Agent.
"""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from bench.run import ROOT, manage, wait_for
from tests.intake.answers import answers
from tests.intake.walk import SCREENING, parse, walk

PHONE = "707-555-0142"
ALIAS = "Zanzibar Quill"
GUIDE_PASSWORD = "a long and careful passphrase 42"
MAKE_CALLER = f"""
from django.contrib.auth.models import User
from guides import services
services.create_caller(
    guide=User.objects.get(username="gina"),
    consent_given=True,
    details={{"alias": "{ALIAS}", "phone": "{PHONE}", "zip_code": "94612"}},
)
"""
USER_AGENT = "AccessLogProbe/1.0 (a-distinctive-agent)"
# Answers that reach the search's query string: the level, focus, population, payment, ZIP.
SCREEN = answers(age_group="adolescent", payment=["medicaid"], zip="02139")
# Common Log Format with the path for the request line, then milliseconds; nothing after.
LINE = re.compile(
    r'(?P<client>127\.0\.0\.1) - - \[[^]]+\] "(?P<method>[A-Z]+) (?P<path>\S+) HTTP/1\.1" '
    r"(?P<status>\d{3}) (?P<length>\d+) (?P<milliseconds>\d+)"
)


@dataclass
class Response:
    status_code: int
    headers: Message
    content: bytes

    def __getitem__(self, header):
        return self.headers[header]


class Browser:
    """Just enough of a browser for tests.intake.walk: one request a connection, and the
    Referer a browser sends for a same-origin request, given the referrer policy of the page
    it is on and the link's rel. Remembers each request's method, path and status."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"http://127.0.0.1:{port}"
        self.page_url = None
        self.page_policy = None
        self.sent: list[tuple[str, str, int]] = []
        self.cookies: dict[str, str] = {}

    def referer(self, rel: str = "") -> str | None:
        if (
            self.page_url is None
            or self.page_policy == "no-referrer"
            or "noreferrer" in rel.split()
        ):
            return None
        if self.page_policy in {"origin", "strict-origin"}:
            return self.origin + "/"
        return self.page_url  # any other policy, for a same-origin request: the whole address

    def request(self, method, target, body=None, headers=None, rel="") -> Response:
        headers = {"User-Agent": USER_AGENT, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if "Referer" not in headers and self.referer(rel):
            headers["Referer"] = self.referer(rel)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request(method, target, body=body, headers=headers)
        answer = connection.getresponse()
        response = Response(answer.status, answer.headers, answer.read())
        connection.close()
        for cookie in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";")[0]
        self.sent.append((method, urlsplit(target).path, response.status_code))
        if response.status_code == 200:
            self.page_url = self.origin + target
            self.page_policy = response["Referrer-Policy"]
        return response

    def get(self, target, headers=None, rel=""):
        return self.request("GET", target, headers=headers, rel=rel)

    def form_token(self, target) -> str:
        """GET a page with a form; its CSRF token."""
        page = self.get(target)
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)[1].decode()

    def post(self, target, data: dict[str, list[str]]):
        body = urlencode(data, doseq=True)
        content_type = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request("POST", target, body=body, headers=content_type)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    port: int
    access_log: Path
    error_log: Path
    process: subprocess.Popen

    def stop(self):
        """Stops gunicorn; its logs are complete afterwards."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


@pytest.fixture
def server(tmp_path):
    """gunicorn with the production configuration on a fresh SQLite database."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "iopfinder.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DEBUG": "0",
        "SECRET_KEY": "access-log-test-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_MANIFEST": "0",
    }
    manage(env, "migrate", "--no-input", "-v", "0")
    env["CALLER_KEYS_PATH"] = str(tmp_path / "caller-keys.sqlite3")
    env["GUIDE_PASSWORD"] = GUIDE_PASSWORD
    manage(env, "create_guide", "gina", "--password-from-env", "GUIDE_PASSWORD")
    manage(env, "shell", "-c", MAKE_CALLER)
    port = free_port()
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    with open(error_log, "w") as errors:
        process = subprocess.Popen(
            [
                os.path.join(os.path.dirname(sys.executable), "gunicorn"),
                "-c",
                "iopfinder/gunicorn.conf.py",
                "iopfinder.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--access-logfile",
                str(access_log),
            ],
            cwd=ROOT,
            env=env,
            stdout=errors,
            stderr=subprocess.STDOUT,
        )
    running = Server(port, access_log, error_log, process)
    try:
        wait_for(port)
        yield running
    finally:
        running.stop()


def test_the_access_log_records_paths_and_statuses_only(server):
    browser = Browser(server.port)

    # A person takes the self-screen (the form without JavaScript) and follows its result.
    result, _steps = walk(browser, SCREEN)
    assert result.status_code == 200
    assert result["Referrer-Policy"] == "strict-origin"
    page = parse(result)
    [search_url] = [
        target for target in page.targets if urlsplit(target).query.startswith("level=")
    ]
    handed_over = [value for _key, value in parse_qsl(urlsplit(search_url).query)]
    assert {"medicaid", "adolescents", "02139"} <= set(handed_over)
    rel = page.rel[search_url]
    assert browser.referer(rel) is None  # rel="noreferrer": nothing, whatever the policy
    assert browser.get(search_url, rel=rel).status_code == 200
    # A Referer naming the screen anyway (an old browser, a script), on a search with words.
    with_words = search_url + "&q=family"
    assert (
        browser.get(with_words, headers={"Referer": browser.origin + SCREENING}).status_code == 200
    )

    # A phone number typed into the guides' caller search, signed out: off to sign in.
    callers = browser.get(f"/guides/callers/?q={PHONE}")
    assert callers.status_code == 302
    assert PHONE in callers["Location"]  # the sign-in address carries it: the log must not
    assert browser.get(callers["Location"]).status_code == 200

    # A guide signs in and finds a returning caller by their phone, then by their alias.
    token = browser.form_token("/accounts/login/")
    signing_in = {"username": ["gina"], "password": [GUIDE_PASSWORD]}
    signed_in = browser.post("/accounts/login/", {**signing_in, "csrfmiddlewaretoken": [token]})
    assert signed_in.status_code == 302
    for text in ("+1 707 555 0142", ALIAS):
        token = browser.form_token("/guides/callers/")
        found = browser.post("/guides/callers/", {"q": [text], "csrfmiddlewaretoken": [token]})
        assert found.status_code == 200 and ALIAS in found.content.decode()

    server.stop()
    log = server.access_log.read_text()
    lines = log.splitlines()
    for line in lines:  # no "came from the screen" beside the search
        assert "/programs/" not in line or "screening" not in line, line
    forbidden_words = ["?", "q=", "=", PHONE, "555-0142", "555 0142", "Zanzibar", "Quill"]
    for forbidden in [*forbidden_words, USER_AGENT, "http://", "family", "gina"]:
        assert forbidden not in log, forbidden
    for value in handed_over:
        assert not re.search(rf"\b{re.escape(value)}\b", log), value
    assert not re.search(r"\b02139\b|707-?555", server.error_log.read_text())

    # One line per request, with its path and status; besides ours, wait_for's GET /healthz.
    parsed = [LINE.fullmatch(line) for line in lines]
    assert parsed and all(parsed), log
    logged = Counter((line["method"], line["path"], int(line["status"])) for line in parsed)
    assert logged.pop(("GET", "/healthz", 200)) >= 1
    assert logged == Counter(browser.sent)
