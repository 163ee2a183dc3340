"""A naive per-session cap on reports, so one visitor cannot flood the curators' queue."""

from datetime import datetime, timedelta

from django.utils import timezone

MAX_REPORTS = 5
PER = timedelta(hours=1)
SESSION_KEY = "correction_report_times"


def _recent(session, now: datetime) -> list[float]:
    since = (now - PER).timestamp()
    return [moment for moment in session.get(SESSION_KEY, []) if moment > since]


def may_report(session, *, now: datetime | None = None) -> bool:
    return len(_recent(session, now or timezone.now())) < MAX_REPORTS


def note_report(session, *, now: datetime | None = None) -> None:
    now = now or timezone.now()
    session[SESSION_KEY] = [*_recent(session, now), now.timestamp()]
