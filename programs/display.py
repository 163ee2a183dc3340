"""Plain-language lines that describe a program's schedule and cost, for pages and the API."""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _number(value) -> str:
    value = Decimal(value).normalize()
    return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"


def _range(low, high) -> str:
    low, high = _number(low), _number(high)
    return low if low == high else f"{low}-{high}"


def _money(value) -> str:
    return f"${Decimal(value):,.0f}"


def _money_range(low, high) -> str:
    if high is None or low == high:
        return _money(low)
    return f"{_money(low)}-{_money(high)}"


def times_of_day(program) -> list[str]:
    labels = [
        (program.offers_morning, _("mornings")),
        (program.offers_afternoon, _("afternoons")),
        (program.offers_evening, _("evenings")),
        (program.offers_weekend, _("weekends")),
    ]
    return [label for offered, label in labels if offered]


def schedule_line(program) -> str:
    """'3 days/week · 3-4 h/day · evenings · 8-12 weeks · about 10 h/week'."""
    if program.hours_per_week_min is None:
        return _("Schedule not yet verified — call to ask")
    parts = [
        _("%(days)s days/week")
        % {"days": _range(program.days_per_week_min, program.days_per_week_max)},
        _("%(hours)s h/day")
        % {"hours": _range(program.hours_per_day_min, program.hours_per_day_max)},
    ]
    parts.extend(times_of_day(program))
    if program.length_weeks_min is not None:
        weeks_high = program.length_weeks_max or program.length_weeks_min
        parts.append(
            ngettext("%(weeks)s week", "%(weeks)s weeks", weeks_high)
            % {"weeks": _range(program.length_weeks_min, weeks_high)}
        )
    low, high = program.hours_per_week_min, program.hours_per_week_max
    parts.append(_("about %(hours)s h/week") % {"hours": _number(round((low + high) / 2))})
    return " · ".join(parts)


def cost_line(program) -> str:
    """'$250-$400 per session · about $3,000-$10,000 in all', or 'Cost not yet verified'."""
    parts = []
    if program.cost_per_session_min == 0 and not program.cost_per_session_max:
        return _("Free of charge")
    if program.cost_per_session_min is not None:
        parts.append(
            _("%(amount)s per session")
            % {"amount": _money_range(program.cost_per_session_min, program.cost_per_session_max)}
        )
    if program.total_cost_min is not None:
        parts.append(
            _("about %(amount)s in all")
            % {"amount": _money_range(program.total_cost_min, program.total_cost_max)}
        )
    if not parts:
        return _("Cost not yet verified — call to ask")
    return " · ".join(parts)
