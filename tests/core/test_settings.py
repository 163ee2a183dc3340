import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "iopfinder.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_sqlite_is_the_default_database():
    result = _run(
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    )
    assert result.stdout.strip() == "django.db.backends.sqlite3", result.stderr


def test_database_url_switches_to_postgresql():
    result = _run(
        "from django.conf import settings; d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['NAME'], d['HOST'])",
        DATABASE_URL="postgres://someone@db.internal:5432/iopfinder",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "iopfinder", "db.internal"]


def test_production_refuses_the_development_secret_key():
    result = _run("import iopfinder.wsgi", DEBUG="0")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_production_starts_with_a_secret_key():
    result = _run("import iopfinder.wsgi; print('ok')", DEBUG="0", SECRET_KEY="x" * 50)
    assert result.stdout.strip() == "ok", result.stderr
