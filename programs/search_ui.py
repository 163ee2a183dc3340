"""What the results page shows around a search: the filter groups with their counts, the
active filters as removable chips, and what to loosen when nothing matches.

Links are built from the request's own query string, so every state stays bookmarkable.
"""

from dataclasses import dataclass
from functools import lru_cache
from html import escape
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils import dateformat, formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy, npgettext
from django.utils.translation import gettext as _

from programs import display
from programs.filters import RADIUS_CHOICES, choice_labels
from programs.models import Program
from programs.search import DEFAULT_RADIUS
from programs.selectors import SearchResult

# Checkbox groups on the page, in order: (parameter, legend, hint).
CHECKBOX_GROUPS = [
    ("level", gettext_lazy("Level of care"), ""),
    ("payment", gettext_lazy("Payment accepted"), gettext_lazy("Any of these")),
    ("time_of_day", gettext_lazy("Time of day"), gettext_lazy("Any of these")),
    ("insurer", gettext_lazy("Insurance company"), gettext_lazy("Any of these")),
    ("service", gettext_lazy("Services"), gettext_lazy("Programs offering all you tick")),
    ("population", gettext_lazy("Who it is for"), gettext_lazy("Any of these")),
    ("language", gettext_lazy("Language"), gettext_lazy("Any of these")),
]
RADIO_GROUPS = [
    ("focus", gettext_lazy("Focus")),
    ("format", gettext_lazy("How you attend")),
]
SCHEDULE_LIMITS = ("max_days_per_week", "max_hours_per_week", "max_weeks")
CHOICE_PARAMETERS = (
    "level",
    "focus",
    "payment",
    "insurer",
    "time_of_day",
    "format",
    "service",
    "population",
    "language",
)


@dataclass
class Option:
    value: str
    label: str
    count: int | None
    checked: bool


@dataclass
class Group:
    name: str
    legend: str
    hint: str
    options: list[Option]
    errors: list[str]

    @property
    def any_checked(self) -> bool:
        return any(option.checked for option in self.options)

    def choices_html(self, input_type: str) -> SafeString:
        """The group's inputs as <li> items, built in one pass of plain string formatting:
        ~80 options through template tags, or format_html, cost several milliseconds a page.
        Every value from outside this module is escaped."""
        language = get_language()
        name = escape(self.name)
        items = []
        for number, option in enumerate(self.options):
            ident = f"id_{name}_{number}"
            checked = " checked" if option.checked else ""
            count = "" if option.count is None else _facet_count_html(option.count, language)
            items.append(
                f'<li class="check">\n<input type="{input_type}" name="{name}" '
                f'value="{escape(option.value)}" id="{ident}"{checked}>\n'
                f'<label for="{ident}">{escape(option.label)}{count}</label>\n</li>'
            )
        return mark_safe("\n".join(items))

    def fieldset_html(self, input_type: str) -> SafeString:
        """The whole group: legend, hint, errors and its inputs (radios start with "Any")."""
        name = escape(self.name)
        invalid = " field-invalid" if self.errors else ""
        parts = [
            f'<fieldset class="filter-group{invalid}" id="id_{name}">',
            f"<legend>{escape(str(self.legend))}</legend>",
        ]
        if self.hint:
            parts.append(f'<p class="hint">{escape(str(self.hint))}</p>')
        parts.extend(f'<p class="field-error">{escape(str(error))}</p>' for error in self.errors)
        parts.append('<ul class="options">')
        if input_type == "radio":
            checked = "" if self.any_checked else " checked"
            parts.append(
                f'<li class="check">\n<input type="radio" name="{name}" value="" '
                f'id="id_{name}_any"{checked}>\n'
                f'<label for="id_{name}_any">{escape(_("Any"))}</label>\n</li>'
            )
        parts.extend([self.choices_html(input_type), "</ul>", "</fieldset>"])
        return mark_safe("\n".join(parts))

    @property
    def checkboxes_html(self) -> SafeString:
        return self.fieldset_html("checkbox")

    @property
    def radios_html(self) -> SafeString:
        return self.fieldset_html("radio")


@lru_cache(maxsize=2048)
def _facet_count_html(count: int, language: str) -> str:
    """'(12 programs)', the word read by screen readers only, in the given language."""
    word = npgettext("facet count", "program", "programs", count)
    return (
        f' <span class="facet-count">({count}<span class="visually-hidden"> '
        f"{escape(word)}</span>)</span>"
    )


def field_html(field, input_type: str, *, hint: str = "", **attributes) -> SafeString:
    """One labelled input of the search form with its hint and errors, as the accessible
    markup the page needs (aria-invalid, aria-describedby), in one pass of plain string
    formatting instead of a template include per field. Every value is escaped."""
    name = escape(field.name)
    errors = [escape(str(error)) for error in field.errors]
    value = field.value()
    parts = [
        f'<div class="field{" field-invalid" if errors else ""}">',
        f'<label for="id_{name}">{escape(str(field.label))}</label>',
    ]
    if hint:
        parts.append(f'<p class="hint" id="id_{name}_hint">{escape(str(hint))}</p>')
    parts.extend(f'<p class="field-error" id="id_{name}_error">{error}</p>' for error in errors)
    extra = "".join(
        f' {attribute}="{escape(str(setting))}"' for attribute, setting in attributes.items()
    )
    if errors:
        extra += ' aria-invalid="true"'
    described_by = [f"id_{name}_hint"] if hint else []
    if errors:
        described_by.append(f"id_{name}_error")
    if described_by:
        extra += f' aria-describedby="{" ".join(described_by)}"'
    shown = "" if value is None else escape(str(value))
    parts.append(f'<input type="{input_type}" name="{name}" id="id_{name}" value="{shown}"{extra}>')
    parts.append("</div>")
    return mark_safe("\n".join(parts))


def radius_html(form, choices: list[int]) -> SafeString:
    """The radius field: a labelled select of miles (25 unless the search names one)."""
    field = form["radius"]
    errors = [escape(str(error)) for error in field.errors]
    current = "" if field.value() is None else str(field.value())
    parts = [
        f'<div class="field{" field-invalid" if errors else ""}">',
        f'<label for="id_radius">{escape(str(field.label))}</label>',
        *(f'<p class="field-error" id="id_radius_error">{error}</p>' for error in errors),
        '<select name="radius" id="id_radius"'
        + (' aria-invalid="true" aria-describedby="id_radius_error"' if errors else "")
        + ">",
    ]
    for miles in choices:
        selected = " selected" if current == str(miles) or (not current and miles == 25) else ""
        label = escape(_("%(miles)s miles") % {"miles": miles})
        parts.append(f'<option value="{miles}"{selected}>{label}</option>')
    parts.extend(["</select>", "</div>"])
    return mark_safe("\n".join(parts))


def sort_options_html(form) -> SafeString:
    """The sort select's options, the asked-for order selected."""
    asked = form["sort"].value() or ""
    options = [f'<option value="">{escape(_("Suggested order"))}</option>']
    for value, label in form.fields["sort"].choices:
        if value:
            selected = " selected" if value == asked else ""
            options.append(
                f'<option value="{escape(value)}"{selected}>{escape(str(label))}</option>'
            )
    return mark_safe("\n".join(options))


def chips_html(chips: list["Chip"]) -> SafeString:
    """The active filters as removable links (and "Clear all" for more than one)."""
    remove = escape(_("Remove:"))
    items = [
        f'<li><a class="chip" href="{escape(chip.url)}"><span class="visually-hidden">'
        f'{remove} </span>{escape(str(chip.label))} <span aria-hidden="true">×</span></a></li>'
        for chip in chips
    ]
    if len(chips) > 1:
        items.append(
            f'<li><a class="chip-clear" href="{escape(reverse("programs:list"))}">'
            f"{escape(_('Clear all'))}</a></li>"
        )
    return mark_safe("\n".join(items))


def accepting_count_html(result) -> SafeString:
    """The count beside "Accepting new clients only"."""
    facets = result.facets.get("accepting", []) if result.is_valid else []
    language = get_language()
    return mark_safe("".join(_facet_count_html(facet.count, language) for facet in facets))


def form_fields_html(form) -> dict[str, SafeString]:
    """The search form's text and number inputs, by parameter name."""
    return {
        "q": field_html(form["q"], "search"),
        "near": field_html(
            form["near"],
            "text",
            hint=_("5 digits, like 94103"),
            inputmode="numeric",
            autocomplete="postal-code",
        ),
        "max_cost_per_session": field_html(
            form["max_cost_per_session"], "number", inputmode="decimal", step="any", min="0"
        ),
        "max_days_per_week": field_html(form["max_days_per_week"], "number", min="1", max="7"),
        "max_hours_per_week": field_html(form["max_hours_per_week"], "number", min="1", step="any"),
        "max_weeks": field_html(form["max_weeks"], "number", min="1", max="104"),
    }


@dataclass
class Card:
    """What one result card shows, as display strings (no template filters per card)."""

    url: str
    name: str
    where: str
    level: str
    level_label: str
    is_sample: bool
    distance: str
    schedule: str
    cost: str
    payments: str
    verified: str


def detail_url_format(request=None, *, near: str = "") -> str:
    """A program page's address with {} for its id (absolute with a request): reverse()
    once a page, not once per result. With `near`, the page shows the distance from there
    and keeps the ZIP code for the shortlist and compare."""
    marker = 987654321
    url = reverse("programs:detail", args=[marker])
    if request is not None:
        url = request.build_absolute_uri(url)
    if near:
        url += "?" + urlencode({"near": near})
    return url.replace(str(marker), "{}")


def result_cards(page, *, near: str = "") -> list[Card]:
    words = display.phrases()  # the active language's words, looked up once a page
    miles_away, by_telehealth = _("%(miles)s miles away"), _("Telehealth (serves your state)")
    verified_on, never_verified = _("Last verified %(date)s"), _("Listing not yet verified")
    date_format, language = formats.get_format("DATE_FORMAT"), get_language()
    level_labels = {level: str(label) for level, label in Program.LevelOfCare.choices}
    url_format = detail_url_format(near=near)
    cards = []
    for program in page:
        reach = getattr(program, "reach", None)
        if reach == "distance":
            distance = miles_away % {"miles": f"{program.distance:.1f}"}
        elif reach == "telehealth":
            distance = by_telehealth
        else:
            distance = ""
        verified = (
            verified_on % {"date": _date(program.last_verified_on, date_format, language)}
            if program.last_verified_on
            else never_verified
        )
        cards.append(
            Card(
                url=url_format.format(program.pk),
                name=program.name,
                where=f"{program.provider.name} · {program.site.city}, {program.site.state}",
                level=program.level_of_care,
                level_label=level_labels[program.level_of_care],
                is_sample=program.is_sample,
                distance=distance,
                schedule=display.schedule_line(program, words),
                cost=display.cost_line(program, words),
                payments=", ".join(display.payments(program, words)),
                verified=verified,
            )
        )
    return cards


@lru_cache(maxsize=4096)
def _date(day, date_format: str, language: str) -> str:
    """A day as the language writes it (month names are in the active translation)."""
    return dateformat.format(day, date_format)


def cards_html(cards: list[Card]) -> SafeString:
    """The result cards as <li> items, in one pass of plain string formatting (20 cards
    through template tags cost more than the search's own query). Every value is escaped."""
    accepts, sample = escape(_("Accepts:")), escape(_("Sample listing"))
    items = []
    for card in cards:
        badge = f' <span class="badge badge-sample">{sample}</span>' if card.is_sample else ""
        distance = (
            f'\n<p class="card-distance">{escape(card.distance)}</p>' if card.distance else ""
        )
        payments = (
            f'\n<p class="card-payments">{accepts} {escape(card.payments)}</p>'
            if card.payments
            else ""
        )
        items.append(
            f'<li class="card program-card">\n'
            f'<h2 class="card-title"><a href="{escape(card.url)}">{escape(card.name)}</a></h2>\n'
            f'<p class="card-provider">{escape(card.where)}</p>\n'
            f'<p class="badges"><span class="badge badge-{escape(card.level)}">'
            f"{escape(card.level_label)}</span>{badge}</p>{distance}\n"
            f'<p class="card-schedule">{escape(card.schedule)}</p>\n'
            f'<p class="card-cost">{escape(card.cost)}</p>{payments}\n'
            f'<p class="card-verified">{escape(card.verified)}</p>\n</li>'
        )
    return mark_safe("\n".join(items))


@dataclass
class Chip:
    label: str
    url: str


def _url(data: QueryDict) -> str:
    data = data.copy()
    data.pop("page", None)
    encoded = data.urlencode()
    return f"?{encoded}" if encoded else "?"


def _without(data: QueryDict, *names: str) -> str:
    data = data.copy()
    for name in names:
        data.pop(name, None)
    return _url(data)


def _without_value(data: QueryDict, name: str, value: str) -> str:
    data = data.copy()
    data.setlist(name, [v for v in data.getlist(name) if v != value])
    return _url(data)


def _with(data: QueryDict, **values) -> str:
    data = data.copy()
    for name, value in values.items():
        data[name] = value
    return _url(data)


def _options(result: SearchResult, data: QueryDict, name: str) -> list[Option]:
    chosen = set(data.getlist(name))
    counts = {facet.value: facet.count for facet in result.facets.get(name, [])}
    return [
        Option(value, label, counts.get(value), value in chosen)
        for value, label in choice_labels(name).items()
    ]


def filter_groups(result: SearchResult, data: QueryDict) -> dict[str, list[Group]]:
    errors = result.form.errors
    checkboxes = [
        Group(name, str(legend), str(hint), _options(result, data, name), errors.get(name, []))
        for name, legend, hint in CHECKBOX_GROUPS
    ]
    return {
        "checkboxes": checkboxes,
        "radios": [
            Group(name, str(legend), "", _options(result, data, name), errors.get(name, []))
            for name, legend in RADIO_GROUPS
        ],
        # The long lists start folded away unless something in them is chosen or wrong.
        "more_chosen": any(group.any_checked or group.errors for group in checkboxes[3:]),
    }


def radius_choices(data: QueryDict) -> list[int]:
    choices = list(RADIUS_CHOICES)
    try:
        asked = int(data.get("radius", ""))
    except ValueError:
        return choices
    if 1 <= asked <= 100 and asked not in choices:
        choices = sorted([*choices, asked])
    return choices


def active_filters(result: SearchResult, data: QueryDict) -> list[Chip]:
    """One removable chip per chosen value; each links to the search without it."""
    if not result.is_valid:
        return []
    params = result.params
    chips = []
    if "q" in params:
        chips.append(Chip(_("Words: “%(q)s”") % {"q": params["q"]}, _without(data, "q")))
    if "near" in params:
        radius = params.get("radius") or DEFAULT_RADIUS
        chips.append(
            Chip(
                _("Within %(radius)s miles of %(zip)s") % {"radius": radius, "zip": params["near"]},
                _without(data, "near", "radius"),
            )
        )
    for name in CHOICE_PARAMETERS:
        labels = choice_labels(name)
        values = params.get(name) or []
        for value in values if isinstance(values, list) else [values]:
            chips.append(Chip(labels[value], _without_value(data, name, value)))
    if "max_cost_per_session" in params:
        chips.append(
            Chip(
                _("Up to $%(amount)s a session")
                % {"amount": f"{params['max_cost_per_session']:f}"},
                _without(data, "max_cost_per_session"),
            )
        )
    if params.get("include_unknown_cost"):
        chips.append(
            Chip(_("Including costs not yet verified"), _without(data, "include_unknown_cost"))
        )
    limits = {
        "max_days_per_week": _("At most %(n)s days a week"),
        "max_hours_per_week": _("At most %(n)s hours a week"),
        "max_weeks": _("At most %(n)s weeks"),
    }
    for name, text in limits.items():
        if name in params:
            value = params[name]
            if name == "max_hours_per_week":
                value = f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else value
            chips.append(Chip(text % {"n": value}, _without(data, name)))
    if params.get("accepting"):
        chips.append(Chip(_("Accepting new clients"), _without(data, "accepting")))
    return chips


def loosen_suggestions(result: SearchResult, data: QueryDict) -> list[Chip]:
    """When nothing matches: the changes most likely to bring programs back."""
    params = result.params
    suggestions = []
    if "near" in params and (params.get("radius") or DEFAULT_RADIUS) < 100:
        suggestions.append(Chip(_("Look up to 100 miles away"), _with(data, radius="100")))
    if "max_cost_per_session" in params and not params.get("include_unknown_cost"):
        suggestions.append(
            Chip(
                _("Include programs whose cost is not yet verified"),
                _with(data, include_unknown_cost="1"),
            )
        )
    if any(name in params for name in SCHEDULE_LIMITS):
        suggestions.append(Chip(_("Remove the schedule limits"), _without(data, *SCHEDULE_LIMITS)))
    if len(params.get("service") or []) > 1:
        suggestions.append(Chip(_("Ask for fewer services"), _without(data, "service")))
    return suggestions
