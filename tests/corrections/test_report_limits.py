"""No one floods the curators' queue: reports are limited per session *and* per address, so
dropping the session cookie between posts does not get round the limit
(corrections/limits.py)."""

import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from corrections import limits
from corrections.models import CorrectionReport
from tests.factories import make_program

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
VALID = {"problem": "schedule", "details": "The evening group moved to Tuesdays."}
FLOODER = "203.0.113.9"
NEIGHBOUR = "198.51.100.20"


@pytest.fixture
def program():
    return make_program(name="Harbor Evening IOP", tracks=[{}])


def post_from(address, program, **headers):
    """A post as a visitor with no session cookie, as a script that drops it would send."""
    return Client().post(
        reverse("corrections:report", args=[program.pk]), VALID, REMOTE_ADDR=address, **headers
    )


def test_dropping_the_session_cookie_does_not_get_round_the_limit(settings, program):
    assert settings.SUBMISSIONS_PER_ADDRESS_PER_HOUR == 20
    statuses = [post_from(FLOODER, program).status_code for _ in range(301)]
    assert statuses.count(302) == 20
    assert statuses[20:] == [429] * 281
    assert CorrectionReport.objects.count() == 20
    refused = post_from(FLOODER, program)
    assert "You have sent several reports in the last hour" in refused.content.decode()
    # Until the clock hour ends.
    assert 0 < int(refused["Retry-After"]) <= 3600
    # Someone at another address is not held back.
    assert post_from(NEIGHBOUR, program).status_code == 302
    assert CorrectionReport.objects.count() == 21


def test_the_address_limit_is_a_setting(settings, program):
    settings.SUBMISSIONS_PER_ADDRESS_PER_HOUR = 2
    assert [post_from(FLOODER, program).status_code for _ in range(3)] == [302, 302, 429]


def test_refused_and_invalid_posts_do_not_count(settings, program):
    settings.SUBMISSIONS_PER_ADDRESS_PER_HOUR = 2
    client = Client()
    url = reverse("corrections:report", args=[program.pk])
    for _ in range(3):
        assert client.post(url, {**VALID, "details": ""}, REMOTE_ADDR=FLOODER).status_code == 400
    assert [post_from(FLOODER, program).status_code for _ in range(3)] == [302, 302, 429]


def test_a_forwarded_for_header_does_not_make_a_new_address(settings, program):
    settings.SUBMISSIONS_PER_ADDRESS_PER_HOUR = 2
    statuses = [
        post_from(FLOODER, program, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_behind_a_trusted_proxy_each_visitor_counts_apart(settings, program):
    settings.SUBMISSIONS_PER_ADDRESS_PER_HOUR = 2
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    first = [post_from(proxy, program, HTTP_X_FORWARDED_FOR=FLOODER) for _ in range(3)]
    assert [response.status_code for response in first] == [302, 302, 429]
    assert post_from(proxy, program, HTTP_X_FORWARDED_FOR=NEIGHBOUR).status_code == 302


def test_the_address_limit_opens_again_the_next_hour(settings, rf):
    settings.SUBMISSIONS_PER_ADDRESS_PER_HOUR = 3
    now = timezone.now()

    def visitor():
        request = rf.post("/", REMOTE_ADDR=FLOODER)
        request.session = {}
        return request

    for _ in range(3):
        limits.note_submission(visitor(), "report", now=now)
    assert limits.wait_before_submitting(visitor(), "report", now=now) > 0
    assert limits.wait_before_submitting(visitor(), "report", now=now + timedelta(hours=1)) == 0


def test_reports_and_listing_updates_are_counted_apart(settings, rf):
    settings.SUBMISSIONS_PER_ADDRESS_PER_HOUR = 1
    request = rf.post("/", REMOTE_ADDR=FLOODER)
    request.session = {}
    limits.note_submission(request, "report")
    assert limits.wait_before_submitting(request, "report") > 0
    assert limits.wait_before_submitting(request, "update") == 0


def test_workers_sharing_redis_share_the_count(settings, program):
    """With CACHE_URL every worker counts in Redis (the machine's, at 127.0.0.1:6379)."""
    import redis

    settings.SUBMISSIONS_PER_ADDRESS_PER_HOUR = 2
    prefix = f"test-{uuid.uuid4()}"  # never another run's keys
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
        }
    }
    assert [post_from(FLOODER, program).status_code for _ in range(3)] == [302, 302, 429]
    # The count is in Redis, where every worker reads it, and goes away by itself.
    server = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    [key] = server.keys(f"{prefix}:*")
    assert FLOODER in key.decode()
    assert int(server.get(key)) == 2
    assert 0 < server.ttl(key) <= 2 * 3600
    server.delete(key)


def test_cache_url_switches_the_cache_to_redis():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; c = settings.CACHES['default'];"
            "print(c['BACKEND'], c.get('LOCATION', ''))",
        ],
        cwd=ROOT,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "iopfinder.settings",
            "CACHE_URL": "redis://cache.internal:6379/1",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache.internal:6379/1",
    ], result.stderr
