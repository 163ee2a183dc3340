"""How much one visitor may send the curators: each kind of submission (a correction "report",
a program's listing "update") is limited per session and per address, so neither one visitor
nor anyone who drops the session cookie between posts can flood the queue.

- Per session: PER_SESSION in any hour (the session keeps the times).
- Per address: settings.SUBMISSIONS_PER_ADDRESS_PER_HOUR in each clock hour, counted in the
  cache (settings.CACHES: shared by every worker with CACHE_URL). Many people can share an
  address (an office, a library, a phone carrier), so this limit is the higher one.

A view asks wait_before_submitting() before taking a submission (and answers 429 with
Retry-After when it must wait) and calls note_submission() once it is stored. The address
counts are iopfinder/ratelimits.py's.
"""

import math
from datetime import datetime, timedelta

from django.utils import timezone

from iopfinder.ratelimits import Rate

PER = timedelta(hours=1)
PER_SESSION = 5
PER_ADDRESS = {
    kind: Rate(f"{kind}-submissions", "SUBMISSIONS_PER_ADDRESS_PER_HOUR", PER)
    for kind in ("report", "update")
}


def _session_key(kind: str) -> str:
    return f"{kind}_submission_times"


def _recent(session, kind: str, now: datetime) -> list[float]:
    since = (now - PER).timestamp()
    return [moment for moment in session.get(_session_key(kind), []) if moment > since]


def wait_before_submitting(request, kind: str, *, now: datetime | None = None) -> int:
    """0 when this visitor may send another; else the seconds until they may."""
    now = now or timezone.now()
    waits = []
    recent = _recent(request.session, kind, now)
    if len(recent) >= PER_SESSION:  # until the oldest of them is an hour old
        waits.append(math.ceil(min(recent) + PER.total_seconds() - now.timestamp()))
    by_address = PER_ADDRESS[kind]
    if by_address.used(request, now=now) >= by_address.allowed:
        waits.append(by_address.seconds_left(now=now))
    return max(waits, default=0)


def note_submission(request, kind: str, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    request.session[_session_key(kind)] = [*_recent(request.session, kind, now), now.timestamp()]
    PER_ADDRESS[kind].note(request, now=now)
