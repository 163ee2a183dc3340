"""How much one visitor may send the curators: each kind of submission (a correction "report",
a program's listing "update") is limited per session and per address, so neither one visitor
nor anyone who drops the session cookie between posts can flood the queue.

- Per session: PER_SESSION in any hour (the session keeps the times).
- Per address: settings.SUBMISSIONS_PER_ADDRESS_PER_HOUR in each clock hour, counted in the
  cache (settings.CACHES: shared by every worker with CACHE_URL). Many people can share an
  address (an office, a library, a phone carrier), so this limit is the higher one.

A view asks may_submit() before taking a submission and calls note_submission() once it is
stored. The address is the one the sign-in lock-out counts (guides/lockout.py).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from guides.lockout import client_address

PER = timedelta(hours=1)
PER_SESSION = 5


def _session_key(kind: str) -> str:
    return f"{kind}_submission_times"


def _recent(session, kind: str, now: datetime) -> list[float]:
    since = (now - PER).timestamp()
    return [moment for moment in session.get(_session_key(kind), []) if moment > since]


def _address_key(request, kind: str, now: datetime) -> str:
    hour = int(now.timestamp() // PER.total_seconds())
    return f"submissions:{kind}:{client_address(request)}:{hour}"


def may_submit(request, kind: str, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    if len(_recent(request.session, kind, now)) >= PER_SESSION:
        return False
    sent = cache.get(_address_key(request, kind, now), 0)
    return sent < settings.SUBMISSIONS_PER_ADDRESS_PER_HOUR


def note_submission(request, kind: str, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    request.session[_session_key(kind)] = [*_recent(request.session, kind, now), now.timestamp()]
    key = _address_key(request, kind, now)
    # add() then incr(): atomic in Redis, so two workers never lose a count.
    cache.add(key, 0, timeout=int(PER.total_seconds()) * 2)
    cache.incr(key)
