"""What a program may change on its own listing, declared once, item by item: the update form
offers these, the review page shows each one beside the listing's value, and the items a
curator accepts are written with them (update_services.review_update).

A value is plain JSON, as ListingUpdate.changes keeps it: amounts as strings without trailing
zeros ("150"), dates and clock times in ISO form, vocabulary terms as sorted slugs, schedule
tracks as a sorted list of dicts. Two values are equal exactly when the listing reads the same.
"""

import json
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from urllib.parse import urlsplit

from django.utils import formats
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from programs import display, meeting_times
from programs.models import Program, ScheduleTrack


@dataclass(frozen=True)
class Item:
    name: str
    label: str
    # "tracks", "money" (a low and a high amount), "text", "choice", "terms", "yes_no",
    # "date" or "days".
    kind: str
    # The Program fields it writes: a money item its low and high amounts.
    fields: tuple[str, ...] = ()


ITEMS = (
    Item("tracks", _("Schedule tracks"), "tracks"),
    Item(
        "cost_per_session",
        _("Per session"),
        "money",
        ("cost_per_session_min", "cost_per_session_max"),
    ),
    Item("total_cost", _("Whole program"), "money", ("total_cost_min", "total_cost_max")),
    Item("cost_notes", _("Cost notes"), "text", ("cost_notes",)),
    Item("payment_kinds", _("Payment accepted"), "terms"),
    Item("insurers", _("Insurers"), "terms"),
    Item("accepting_new_clients", _("New clients"), "yes_no", ("accepting_new_clients",)),
    Item("next_intake_on", _("Next intake date"), "date", ("next_intake_on",)),
    Item("wait_time_days", _("Wait time"), "days", ("wait_time_days",)),
    Item("intake_process", _("How to start"), "choice", ("intake_process",)),
    Item("intake_notes", _("Intake notes"), "text", ("intake_notes",)),
    Item("phone", _("Phone"), "text", ("phone",)),
    Item("website", _("Website"), "text", ("website",)),
)
BY_NAME = {item.name: item for item in ITEMS}
# Written together through programs.services.record_availability, as of the day it was sent.
AVAILABILITY = ("accepting_new_clients", "next_intake_on", "wait_time_days")
TRACK_FIELDS = ScheduleTrack.ENTERED


def _amount(value) -> str | None:
    return None if value is None else format(Decimal(value).normalize(), "f")


def _clock(value: time | None) -> str | None:
    return None if value is None else value.strftime("%H:%M")


def track_value(track: ScheduleTrack) -> dict:
    """A track as JSON, its time of day and weekends as its clock times and days decide."""
    return {
        "name": track.name,
        "weekdays": meeting_times.in_week_order(track.weekdays or []),
        "starts_at": _clock(track.starts_at),
        "ends_at": _clock(track.ends_at),
        "time_of_day": meeting_times.time_of_day(track),
        "weekend": meeting_times.on_weekend(track),
        "days_per_week_min": track.days_per_week_min,
        "days_per_week_max": track.days_per_week_max,
        "hours_per_day_min": _amount(track.hours_per_day_min),
        "hours_per_day_max": _amount(track.hours_per_day_max),
        "length_weeks_min": track.length_weeks_min,
        "length_weeks_max": track.length_weeks_max,
    }


def _in_order(values: list[dict]) -> list[dict]:
    return sorted(values, key=lambda value: json.dumps(value, sort_keys=True))


def track_of(value: dict, **fields) -> ScheduleTrack:
    """An unsaved track from its JSON."""
    times = {
        name: time.fromisoformat(value[name]) if value[name] else None
        for name in ("starts_at", "ends_at")
    }
    amounts = {name: Decimal(value[name]) for name in ("hours_per_day_min", "hours_per_day_max")}
    return ScheduleTrack(**{**value, **times, **amounts, **fields})


def values(program: Program, *, tracks, terms: dict) -> dict:
    """Every item's value: the program's own fields, with these tracks and terms
    ({"payment_kinds": [...], "insurers": [...]}, any vocabulary rows)."""
    result = {"tracks": _in_order([track_value(track) for track in tracks])}
    for item in ITEMS:
        if item.kind == "terms":
            result[item.name] = sorted(term.slug for term in terms[item.name])
        elif item.kind == "money":
            result[item.name] = [_amount(getattr(program, field)) for field in item.fields]
        elif item.kind == "date":
            day = getattr(program, item.fields[0])
            result[item.name] = day.isoformat() if day else None
        elif item.kind != "tracks":
            result[item.name] = getattr(program, item.fields[0])
    return result


def live_values(program: Program) -> dict:
    """What the listing says now, item by item."""
    return values(
        program,
        tracks=program.tracks.all(),
        terms={name: getattr(program, name).all() for name in ("payment_kinds", "insurers")},
    )


def changed(live: dict, proposed: dict) -> dict:
    """The proposed items that differ from the listing, in the items' order."""
    return {
        item.name: proposed[item.name] for item in ITEMS if proposed[item.name] != live[item.name]
    }


def field_values(item: Item, value) -> dict:
    """The Program fields an item's value writes (not for tracks and terms)."""
    if item.kind == "money":
        return {
            field: None if amount is None else Decimal(amount)
            for field, amount in zip(item.fields, value, strict=True)
        }
    if item.kind == "date":
        return {item.fields[0]: date.fromisoformat(value) if value else None}
    return {item.fields[0]: value}


def value_in_words(item: Item, value):
    """What a value says, for the curator's review: a list of unsaved tracks for the tracks
    (the template lays them out as the program page does), otherwise a line of text."""
    if item.kind == "tracks":
        return [track_of(track) for track in value]
    not_given = gettext("Not given")
    if item.kind == "money":
        low, high = value
        if low is None:
            return not_given
        return display.money_range(Decimal(low), Decimal(high) if high is not None else None)
    if item.kind == "terms":
        model = Program._meta.get_field(item.name).related_model
        names = [str(term) for term in model.objects.filter(slug__in=value)]
        return ", ".join(names) or gettext("None")
    if item.kind == "yes_no":
        if value is None:
            return not_given
        if value:
            return gettext("Accepting new clients")
        return gettext("Not accepting new clients right now")
    if value in (None, ""):
        return not_given
    if item.kind == "date":
        return formats.date_format(date.fromisoformat(value))
    if item.kind == "days":
        if value == 0:
            return gettext("No wait")
        return ngettext("About %(days)s day", "About %(days)s days", value) % {"days": value}
    if item.kind == "choice":
        return str(dict(Program._meta.get_field(item.name).flatchoices)[value])
    return value


def _host(address: str) -> str:
    host = (urlsplit(address if "//" in address else f"//{address}").hostname or "").lower()
    return host.removeprefix("www.")


def email_matches_website(email: str, program: Program) -> bool:
    """Whether the email's domain is the program's (or its provider's) website's host, or one
    is the other's subdomain: jo@harborhealth.org and www.harborhealth.org or
    iop.harborhealth.org. Never two siblings under a shared parent (a.ca.gov, b.ca.gov)."""
    domain = email.rpartition("@")[2].lower().removeprefix("www.")
    if not domain:
        return False
    for website in (program.website, program.provider.website):
        host = _host(website)
        if host and (domain == host or domain.endswith(f".{host}") or host.endswith(f".{domain}")):
            return True
    return False
