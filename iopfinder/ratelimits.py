"""How often one address may ask for what costs the most or invites abuse, counted in
Django's cache (settings.CACHES: with CACHE_URL, Redis, shared by every worker and server;
without, each process's memory).

A Rate allows a number of requests (a setting, from the environment) from one address in
each clock window of its period: one cache key per address and window, which expires by
itself. The address is the sign-in lock-out's (guides.lockout.client_address: REMOTE_ADDR,
or behind TRUSTED_PROXY_COUNT proxies the address the outermost one saw). Many people can
share an address (an office, a library, a phone carrier), so the limits are generous.

LIMITS names the views limited; RateLimitMiddleware answers a request over its rate with 429
and Retry-After before the view runs: JSON under /api/, the calm page with the crisis lines
elsewhere. corrections/limits.py counts stored reports and updates with the same counters.
Tests: tests/core/test_rate_limits.py.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from guides.lockout import client_address
from iopfinder import api_errors


@dataclass(frozen=True)
class Rate:
    name: str
    setting: str  # the setting that holds how many a window allows
    period: timedelta

    @property
    def allowed(self) -> int:
        return getattr(settings, self.setting)

    def _seconds(self) -> int:
        return int(self.period.total_seconds())

    def _key(self, request, now: datetime) -> str:
        window = int(now.timestamp()) // self._seconds()
        return f"rate:{self.name}:{client_address(request)}:{window}"

    def used(self, request, *, now: datetime | None = None) -> int:
        """How many this address has had in the current window."""
        return cache.get(self._key(request, now or timezone.now()), 0)

    def note(self, request, *, now: datetime | None = None) -> int:
        """Count one more for this address; how many it has had in the window now."""
        key = self._key(request, now or timezone.now())
        # add() then incr(): atomic in Redis, so two workers never lose a count. The key
        # outlives its window, so it cannot expire between the two.
        cache.add(key, 0, timeout=2 * self._seconds())
        return cache.incr(key)

    def seconds_left(self, *, now: datetime | None = None) -> int:
        """Until the current window ends and the count starts again."""
        return math.ceil(self._seconds() - (now or timezone.now()).timestamp() % self._seconds())


MINUTE = timedelta(minutes=1)
SEARCH_API = Rate("search-api", "SEARCH_API_PER_ADDRESS_PER_MINUTE", MINUTE)
SCREENING_API = Rate("screening-api", "SCREENING_API_PER_ADDRESS_PER_MINUTE", MINUTE)
SIGN_IN = Rate("sign-in", "SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE", MINUTE)

# View name -> (its rate, the methods counted). Sign-in counts attempts, not showing the
# form; django-axes also locks out failed sign-ins (guides/lockout.py).
LIMITS = {
    "programs:api_list": (SEARCH_API, {"GET", "HEAD"}),
    "programs:api_detail": (SEARCH_API, {"GET", "HEAD"}),
    "intake:api_screening": (SCREENING_API, {"POST"}),
    "login": (SIGN_IN, {"POST"}),
    "admin:login": (SIGN_IN, {"POST"}),
}


def too_many_requests(request, seconds: int):
    """429 with Retry-After: in JSON under /api/, else the page saying when to try again."""
    if api_errors.is_api(request):
        message = ngettext(
            "Too many requests from your address. Please wait %(seconds)s second and try again.",
            "Too many requests from your address. Please wait %(seconds)s seconds and try again.",
            seconds,
        ) % {"seconds": seconds}
        return api_errors.error(message, status=429, headers={"Retry-After": str(seconds)})
    response = render(request, "429.html", {"minutes": math.ceil(seconds / 60)}, status=429)
    response["Retry-After"] = str(seconds)
    return response


class RateLimitMiddleware:
    """Counts each request to a view of LIMITS and refuses those over its rate."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        rate, methods = LIMITS.get(request.resolver_match.view_name, (None, ()))
        if request.method not in methods:
            return None
        now = timezone.now()
        if rate.note(request, now=now) <= rate.allowed:
            return None
        return too_many_requests(request, rate.seconds_left(now=now))
