"""What the results page shows around a search, read from programs/parameters.py: the filter
panel with its counts, the active filters as removable chips, and what to loosen when
nothing matches. The markup: templates/programs/program_list.html (the page), and the parts
drawn once per option and card in Jinja2 (jinja_templates/programs/: search_form.html,
search_results.html, card.html; iopfinder/jinja.py says why).

Links are built from the request's own query string, so every state stays bookmarkable.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.forms import BoundField
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from programs import display, engine, places
from programs import parameters as declared
from programs.filters import choice_labels
from programs.selectors import SearchResult

# The input each kind of parameter is drawn as (templates/programs/includes/search_field.html).
INPUTS = {
    declared.WORDS: "search",
    declared.DISTANCE: "zip",
    declared.AT_MOST: "number",
    declared.FLAG: "checkbox",
    declared.ANY_OF: "checkboxes",
    declared.ALL_OF: "checkboxes",
    declared.ONE_OF: "radios",
}


@dataclass
class Option:
    value: str
    label: str
    count: int | None
    checked: bool
    ident: str


@dataclass
class Field:
    """One parameter in the panel: its form field, how it is drawn, its options."""

    parameter: declared.Parameter
    bound: BoundField
    input: str
    options: list[Option] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.parameter.name

    @property
    def step(self) -> str:
        return "1" if self.parameter.decimals is None else "any"


@dataclass
class Fieldset:
    ident: str
    legend: str
    hint: str
    fields: list[Field]

    @property
    def choices(self) -> Field | None:
        """The one parameter whose options make up the whole fieldset, if that is what it is."""
        only = self.fields[0]
        return only if len(self.fields) == 1 and only.input in ("checkboxes", "radios") else None

    @property
    def errors(self) -> bool:
        return any(f.bound.errors for f in self.fields)

    @property
    def in_use(self) -> bool:
        return self.errors or any(option.checked for f in self.fields for option in f.options)


def _input(parameter: declared.Parameter) -> str:
    if parameter.match == declared.STEERS:
        return "select" if parameter.bounds else "checkbox"
    return INPUTS[parameter.match]


def _field(result: SearchResult, data: QueryDict, parameter: declared.Parameter) -> Field:
    drawn = Field(parameter, result.form[parameter.name], _input(parameter))
    if parameter.choices and drawn.input in ("checkboxes", "radios", "checkbox"):
        counts = {facet.value: facet.count for facet in result.facets.get(parameter.name, [])}
        chosen = set(data.getlist(parameter.name))
        drawn.options = [
            Option(
                value,
                label,
                counts.get(value),
                value in chosen,
                f"id_{parameter.name}_{number}",
            )
            for number, (value, label) in enumerate(choice_labels(parameter.name).items())
        ]
    return drawn


def panel(result: SearchResult, data: QueryDict) -> dict:
    """The search box's fields, and the filter panel's fieldsets (shown, and folded away)."""
    sections = {"search": [], "filters": [], "more": []}
    shared = {}
    for parameter in declared.PARAMETERS:
        if not parameter.panel:
            continue
        drawn = _field(result, data, parameter)
        if parameter.panel == "search":
            sections["search"].append(drawn)
        elif parameter.fieldset in shared:
            shared[parameter.fieldset].fields.append(drawn)
        else:
            legend, hint = declared.FIELDSETS.get(
                parameter.fieldset, (parameter.label, parameter.hint)
            )
            fieldset = Fieldset(f"id_{parameter.fieldset or parameter.name}", legend, hint, [drawn])
            sections[parameter.panel].append(fieldset)
            if parameter.fieldset:
                shared[parameter.fieldset] = fieldset
    folded = ", ".join(_lower_first(str(fieldset.legend)) for fieldset in sections["more"])
    return {
        **sections,
        "more_summary": _("More filters: %(filters)s") % {"filters": folded},
        # The folded lists open when something in them is chosen or wrong.
        "more_in_use": any(fieldset.in_use for fieldset in sections["more"]),
    }


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def radius_choices(data: QueryDict) -> list[tuple[int, str]]:
    """The radius select's miles and their words, with a radius asked for in the address."""
    choices = list(declared.RADIUS_CHOICES)
    least, most = declared.BY_NAME["radius"].bounds
    try:
        asked = int(data.get("radius", ""))
    except ValueError:
        asked = None
    if asked is not None and least <= asked <= most and asked not in choices:
        choices = sorted([*choices, asked])
    return [(miles, _("%(miles)s miles") % {"miles": miles}) for miles in choices]


@dataclass
class Chip:
    label: str
    url: str


def _url(data: QueryDict) -> str:
    data = data.copy()
    data.pop("page", None)
    encoded = data.urlencode()
    return f"?{encoded}" if encoded else "?"


def _changed(data: QueryDict, *, remove=(), values=None, **settings) -> QueryDict:
    data = data.copy()
    for name in remove:
        data.pop(name, None)
    for name, kept in (values or {}).items():
        data.setlist(name, kept)
    for name, value in settings.items():
        data[name] = value
    return data


def active_filters(result: SearchResult, data: QueryDict) -> list[Chip]:
    """One removable chip per chosen value; each links to the search without it."""
    if not result.is_valid:
        return []
    params, chips = result.params, []
    for parameter in declared.PARAMETERS:
        name = parameter.name
        if name not in params:
            continue
        if parameter.faceted:
            labels = choice_labels(name)
            for value in engine.chosen(params, name):
                kept = [v for v in data.getlist(name) if v != value]
                chips.append(Chip(labels[value], _url(_changed(data, values={name: kept}))))
            continue
        if not parameter.chip or params[name] is False:
            continue
        value = params[name]
        words = {"value": value if isinstance(value, str) else display.number(value)}
        remove = [name]
        if parameter.match == declared.DISTANCE:
            words["radius"] = params.get("radius") or declared.DEFAULT_RADIUS
            remove.append("radius")
        chips.append(Chip(parameter.chip % words, _url(_changed(data, remove=remove))))
    return chips


def loosen_suggestions(result: SearchResult, data: QueryDict) -> list[Chip]:
    """When nothing matches: the changes declared most likely to bring programs back."""
    if not result.is_valid or result.count:
        return []
    params, suggestions = result.params, {}
    for parameter in declared.PARAMETERS:
        loosen = parameter.loosen
        if loosen is None or parameter.name not in params:
            continue
        chosen = params[parameter.name]
        if isinstance(chosen, list) and len(chosen) <= loosen.over:
            continue
        changed = _changed(data, remove=loosen.remove, **loosen.set)
        if _url(changed) != _url(data):
            suggestions.setdefault(str(loosen.label), Chip(loosen.label, _url(changed)))
    return list(suggestions.values())


@dataclass
class LeftOut:
    """How many programs a search left out because a fact it filters on is not yet
    verified, and the link that includes them."""

    message: str
    link: str
    url: str


def left_out_notes(result: SearchResult, data: QueryDict) -> list[LeftOut]:
    """For each steer that keeps programs whose facts are not yet verified (most real
    listings: no schedule or cost yet): when the search leaves such programs out, how many,
    with one click to include them."""
    if not result.is_valid:
        return []
    notes = []
    for steer in declared.PARAMETERS:
        if not steer.left_out or result.params.get(steer.name):
            continue
        if not any(
            p.unknown and p.unknown.steer == steer.name and p.name in result.params
            for p in declared.PARAMETERS
        ):
            continue
        widened = engine.Search(
            {**result.form.cleaned_data, steer.name: True}, catalogue=result.search.catalogue
        )
        extra = widened.total - result.count
        if extra > 0:
            message = steer.left_out % {
                "count": extra,
                "programs": number_format(extra, force_grouping=True),
            }
            url = _url(_changed(data, **{steer.name: "1"}))
            notes.append(LeftOut(message, str(steer.label), url))
    return notes


def near_instead_of_words(data: QueryDict) -> str:
    """The address of a search near a ZIP code when the words searched for are one (the home
    page has a single box: "/programs/?q=43215" -> "/programs/?near=43215"); "" otherwise.
    Words beside a ZIP code already given stay words."""
    words = data.get("q", "").strip()
    if data.get("near") or places.place_of_zip(words) is None:
        return ""
    return reverse("programs:list") + _url(_changed(data, remove=["q"], near=words))


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


def drawn(result: SearchResult, page, request) -> dict:
    """What the results page shows: the search form and the cards drawn (Jinja2 escapes
    every value), the chips, the suggestions and the orders."""
    data = request.GET
    context = {
        "form": result.form,
        "cards": display.cards(page),
        "detail_url": detail_url_format(near=result.params.get("near", "")),
        "panel": panel(result, data),
        "radius_choices": radius_choices(data),
    }
    return {
        "result": result,
        "page": page,
        "search_form": _jinja("programs/search_form.html", context, request),
        "cards": _jinja("programs/cards.html", context, request),
        "sort_choices": choice_labels("sort").items(),
        "chips": active_filters(result, data),
        "suggestions": loosen_suggestions(result, data),
        "left_out": left_out_notes(result, data),
    }


def _jinja(name: str, context: dict, request=None) -> SafeString:
    return mark_safe(render_to_string(name, context, request, using="jinja2"))


def card(program, *, near: str = "") -> SafeString:
    """One result card, as the search results draw it (for the shortlist's list)."""
    context = {"card": display.cards([program])[0], "detail_url": detail_url_format(near=near)}
    return _jinja("programs/card.html", context)
