"""One address cannot flood what costs the most: the search API, the screening API and staff
sign-in answer 429 with Retry-After past a rate per address and minute, counted in Django's
cache (iopfinder/ratelimits.py): in memory for `make run`, in Redis with CACHE_URL. Correction
reports and listing updates: tests/corrections/test_report_limits.py."""

import uuid
from datetime import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from iopfinder import ratelimits
from tests.factories import make_program
from tests.intake.answers import answers

pytestmark = pytest.mark.django_db

FLOODER = "203.0.113.9"
NEIGHBOUR = "198.51.100.20"


@pytest.fixture(autouse=True)
def within_one_clock_minute(monkeypatch):
    """A test's requests all fall in one window: a minute turning mid-test starts a new count."""
    moment = timezone.now().replace(second=0, microsecond=0)
    monkeypatch.setattr(ratelimits, "timezone", SimpleNamespace(now=lambda: moment))


def test_the_limits_are_generous_settings(settings):
    assert settings.SEARCH_API_PER_ADDRESS_PER_MINUTE == 300
    assert settings.SCREENING_API_PER_ADDRESS_PER_MINUTE == 60
    assert settings.SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE == 20


def test_the_search_api_answers_429_in_json_past_its_rate(settings):
    settings.SEARCH_API_PER_ADDRESS_PER_MINUTE = 3
    program = make_program()
    urls = ["/api/programs/", f"/api/programs/{program.pk}/", "/api/programs/?level=iop"]
    assert [Client().get(url, REMOTE_ADDR=FLOODER).status_code for url in urls] == [200] * 3

    refused = Client().get("/api/programs/", REMOTE_ADDR=FLOODER)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    [message] = refused.json()["errors"]["__all__"]
    assert message.startswith("Too many requests from your address. Please wait")
    # Someone at another address is not held back.
    assert Client().get("/api/programs/", REMOTE_ADDR=NEIGHBOUR).status_code == 200


def test_the_screening_api_answers_429_in_json_past_its_rate(settings):
    settings.SCREENING_API_PER_ADDRESS_PER_MINUTE = 2

    def screen():
        return Client().post(
            "/api/screening/", answers(), content_type="application/json", REMOTE_ADDR=FLOODER
        )

    assert [screen().status_code for _ in range(2)] == [200, 200]
    refused = screen()
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert "Retry-After" in refused
    # Its questions are not counted.
    assert Client().get("/api/screening/questions", REMOTE_ADDR=FLOODER).status_code == 200


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_sign_in_attempts_answer_the_calm_page_past_their_rate(settings, url):
    settings.SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE = 2
    User.objects.create_user("guide", password="a long enough password")
    client = Client(REMOTE_ADDR=FLOODER)
    attempt = {"username": "guide", "password": "wrong"}
    assert [client.post(url, attempt).status_code for _ in range(2)] == [200, 200]

    refused = client.post(url, {"username": "guide", "password": "a long enough password"})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    page = refused.content.decode()
    assert "Please wait a moment" in page
    assert "988" in page  # the crisis lines, as on every page
    # Showing the form is not an attempt.
    assert client.get(url).status_code == 200


def test_behind_a_trusted_proxy_each_visitor_counts_apart(settings):
    settings.SEARCH_API_PER_ADDRESS_PER_MINUTE = 1
    settings.TRUSTED_PROXY_COUNT = 1

    def search(visitor):
        return Client().get("/api/programs/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=visitor)

    assert [search(FLOODER).status_code for _ in range(2)] == [200, 429]
    assert search(NEIGHBOUR).status_code == 200


def test_a_window_ends_at_the_next_clock_minute(settings, rf):
    settings.SEARCH_API_PER_ADDRESS_PER_MINUTE = 1
    request = rf.get("/api/programs/", REMOTE_ADDR=FLOODER)
    rate = ratelimits.SEARCH_API
    moment = datetime.fromisoformat("2026-05-01T10:15:45+00:00")
    assert rate.note(request, now=moment) == 1
    assert rate.note(request, now=moment) == 2
    assert rate.seconds_left(now=moment) == 15
    assert rate.used(request, now=datetime.fromisoformat("2026-05-01T10:16:00+00:00")) == 0


def test_workers_sharing_redis_share_the_count(settings):
    """With CACHE_URL every worker counts in Redis (the machine's, at 127.0.0.1:6379)."""
    import redis

    settings.SEARCH_API_PER_ADDRESS_PER_MINUTE = 2
    prefix = f"test-{uuid.uuid4()}"  # never another run's keys
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/0",
            "KEY_PREFIX": prefix,
        }
    }
    statuses = [Client().get("/api/programs/", REMOTE_ADDR=FLOODER).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    # The count is in Redis, where every worker reads it, and goes away by itself.
    server = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    [key] = server.keys(f"{prefix}:*")
    assert FLOODER in key.decode()
    assert int(server.get(key)) == 3
    assert 0 < server.ttl(key) <= 120
    server.delete(key)
