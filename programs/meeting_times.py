"""When a schedule track meets (its weekdays and clock times), and the times of day the search
offers (`time_of_day`: morning, afternoon, evening, weekend) that it counts as.

Plain data and pure functions, no Django imports: services.schedule_summary derives each
program's offers_* flags from these, the API and the pages read the same answer.
"""

from datetime import time

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # Monday first, as date.weekday()
WEEKEND_DAYS = frozenset({"sat", "sun"})

# The seeds say when people attend (mornings, evenings, weekends: 000, 002, 003) but give no
# clock times, so these boundaries are ours. A track counts by the time it starts: before noon
# it is a morning track, from noon an afternoon one, from 5 pm an evening one. Latest first.
TIME_OF_DAY_FROM = (
    (time(17, 0), "evening"),
    (time(12, 0), "afternoon"),
    (time(0, 0), "morning"),
)


def time_of_day_starting(starts_at: time) -> str:
    return next(name for start, name in TIME_OF_DAY_FROM if starts_at >= start)


def in_week_order(weekdays) -> list[str]:
    chosen = set(weekdays)
    return [day for day in WEEKDAYS if day in chosen]


def time_of_day(track) -> str:
    """A track's time of day: by its start time when known, otherwise as a curator chose it."""
    if track.starts_at is not None:
        return time_of_day_starting(track.starts_at)
    return track.time_of_day


def on_weekend(track) -> bool:
    """By its weekdays when known (Sat or Sun), otherwise as a curator ticked it."""
    if track.weekdays:
        return not WEEKEND_DAYS.isdisjoint(track.weekdays)
    return track.weekend


def counts_as(track) -> set[str]:
    """The `time_of_day` search values a track offers: {"evening", "weekend"}."""
    times = {time_of_day(track)} - {""}
    if on_weekend(track):
        times.add("weekend")
    return times
