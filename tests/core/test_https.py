"""Production behind HTTPS (HTTPS=1): `check --deploy` finds nothing to warn about, plain HTTP
is sent to HTTPS, browsers are told to stay there (HSTS) and cookies travel only over it;
the load balancer's /healthz still answers over plain HTTP."""

import os
import secrets
import subprocess
import sys

import pytest

from tests.core.production_server import PRODUCTION, ROOT, get, gunicorn

BEHIND_HTTPS = {"HTTPS": "1", "ALLOWED_HOSTS": "iopfinder.example.org,127.0.0.1"}
FORWARDED = {"X-Forwarded-Proto": "https"}


def run(*args: str, **environment: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("database", ["sqlite:///unused.sqlite3", "postgres://app@db:5432/iop"])
def test_check_deploy_finds_nothing_under_the_production_settings(database):
    checked = run(
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        HTTPS="1",
        ALLOWED_HOSTS="iopfinder.example.org",
        DATABASE_URL=database,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues (0 silenced)." in checked.stdout


SHOW = "from django.conf import settings; print(settings.SECURE_SSL_REDIRECT, settings.HTTPS)"


@pytest.mark.parametrize(
    ("environment", "printed"),
    [({}, "False False"), ({"HTTPS": "1"}, "True True"), ({"SECURE_COOKIES": "1"}, "True True")],
)
def test_https_is_one_switch_and_secure_cookies_its_older_name(environment, printed):
    shown = run("-c", f"import django; django.setup(); {SHOW}", **{**PRODUCTION, **environment})
    assert shown.stdout.strip() == printed, shown.stderr


def test_behind_https_plain_http_is_redirected_and_https_pages_carry_hsts(tmp_path):
    database = tmp_path / "db.sqlite3"
    environment = {**BEHIND_HTTPS, "DATABASE_URL": f"sqlite:///{database}"}
    migrated = run("manage.py", "migrate", "--no-input", "-v", "0", **{**PRODUCTION, **environment})
    assert migrated.returncode == 0, migrated.stderr
    with gunicorn(environment, tmp_path / "gunicorn.log") as url:
        plain = get(f"{url}/programs/?near=94612")
        assert plain.status == 301
        assert plain.headers["Location"] == f"https://{url[len('http://') :]}/programs/?near=94612"

        health = get(f"{url}/healthz")
        assert health.status == 200

        page = get(f"{url}/programs/", headers=FORWARDED)
        assert page.status == 200
        hsts = page.headers["Strict-Transport-Security"]
        assert hsts == "max-age=31536000; includeSubDomains; preload"
        assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
        assert "camera=()" in page.headers["Permissions-Policy"]
        cookies = page.headers.get_all("Set-Cookie")
        assert cookies and all("; Secure" in cookie for cookie in cookies)
