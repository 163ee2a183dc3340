"""HSDS's query parameters (hsds/schemas/openapi.json: search, postcode, proximity,
taxonomy_term_id, taxonomy_id, modified_after, page, per_page, full, minimal) and
`level_of_care`, read into the
public search's own parameters (programs/parameters.py), so the HSDS API finds what
/programs/ finds; only `modified_after` is HSDS's alone (hsds/selectors.py)."""

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.http import QueryDict
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from hsds import taxonomy as tx
from programs import parameters as declared

DEFAULT_PER_PAGE = 50
MOST_PER_PAGE = 500
METRES_PER_MILE = 1609.344
MOST_MILES = 100  # the public search's largest radius


@dataclass
class HsdsQuery:
    search: QueryDict = field(default_factory=lambda: QueryDict(mutable=True))
    modified_after: datetime | None = None
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    full: bool = False
    minimal: bool = False
    organization_id: str | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _positive(value: str | None, default: int) -> int | None:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number >= 1 else None


def true(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "yes")


def paging(params, query: HsdsQuery) -> HsdsQuery:
    query.page = _positive(params.get("page"), 1)
    if query.page is None:
        query.errors["page"] = ["A whole number from 1."]
    query.per_page = _positive(params.get("per_page"), DEFAULT_PER_PAGE)
    if query.per_page is None or query.per_page > MOST_PER_PAGE:
        query.errors["per_page"] = [f"A whole number from 1 to {MOST_PER_PAGE}."]
    query.full = true(params.get("full"))
    query.minimal = true(params.get("minimal")) and not query.full
    return query


def moment(value: str) -> datetime | None:
    moment = parse_datetime(value.replace(" ", "+"))  # an unescaped "+" arrives as a space
    if moment is None:
        day = parse_date(value)
        moment = datetime(day.year, day.month, day.day) if day else None
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, timezone.get_default_timezone())
    return moment


def service_query(params) -> HsdsQuery:
    """/services and /service_at_locations: HSDS parameters -> the public search's."""
    query = paging(params, HsdsQuery())
    search = query.search
    search["sort"] = "name"
    if params.get("search"):
        search["q"] = params["search"]
    if params.get("postcode"):
        search["near"] = params["postcode"]
        search["sort"] = "distance"
        if params.get("proximity"):
            try:
                metres = float(params["proximity"])
            except ValueError:
                metres = -1
            miles = math.ceil(metres / METRES_PER_MILE)
            if not 1 <= miles <= MOST_MILES:
                query.errors["proximity"] = [
                    f"Metres from the postcode's centre, up to {MOST_MILES} miles "
                    f"({int(MOST_MILES * METRES_PER_MILE)} m)."
                ]
            search["radius"] = str(miles)
    elif params.get("proximity"):
        query.errors["proximity"] = ["Give a postcode with proximity."]
    levels = params.getlist("level_of_care")
    for term_id in params.getlist("taxonomy_term_id"):
        found = tx.term_by_id().get(term_id)
        if found is None:
            query.errors["taxonomy_term_id"] = ["No taxonomy term has this id."]
            continue
        taxonomy, slug = found
        if taxonomy.parameter is None:
            filterable = ", ".join(t.name for t in tx.TAXONOMIES.values() if t.parameter)
            query.errors["taxonomy_term_id"] = [
                f"Services are found by terms of these taxonomies: {filterable}."
            ]
        elif taxonomy.parameter == "level":
            levels.append(slug)
        else:
            search.appendlist(taxonomy.parameter, slug)
    # Every level unless asked (the public search leaves out the care above PHP).
    search.setlist("level", levels or list(tx.ALL_LEVELS))
    for taxonomy_id in params.getlist("taxonomy_id"):
        _any_term(search, taxonomy_id, query.errors)
    if params.get("modified_after"):
        query.modified_after = moment(params["modified_after"])
        if query.modified_after is None:
            query.errors["modified_after"] = ["A date-time, like 2026-11-20T00:00:00Z."]
    query.organization_id = params.get("organization_id") or None
    return query


# How a public search parameter matches, for which `taxonomy_id` can find "any term".
ANY_TERM = (declared.ANY_OF, declared.ONE_OF)


def _any_term(search: QueryDict, taxonomy_id: str, errors: dict):
    """`taxonomy_id`: services holding any term of the taxonomy. A public search parameter
    matching any of its values takes them all (unless terms of it were asked for, which
    narrow further); one every program holds one term of (level, focus, format) keeps all."""
    taxonomy = tx.by_id().get(taxonomy_id)
    if taxonomy is None:
        errors["taxonomy_id"] = ["No taxonomy has this id."]
        return
    match = declared.BY_NAME[taxonomy.parameter].match if taxonomy.parameter else None
    if match == declared.ANY_OF:
        if not search.getlist(taxonomy.parameter):
            search.setlist(taxonomy.parameter, list(taxonomy.terms))
    elif match != declared.ONE_OF:
        usable = ", ".join(
            t.name
            for t in tx.TAXONOMIES.values()
            if t.parameter and declared.BY_NAME[t.parameter].match in ANY_TERM
        )
        errors["taxonomy_id"] = [f"Services are found by any term of these taxonomies: {usable}."]


def search_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """The public search's errors, under the HSDS parameter the value came from."""
    names = {"q": "search", "near": "postcode", "radius": "proximity", "level": "level_of_care"}
    names.update(
        (t.parameter, "taxonomy_term_id") for t in tx.TAXONOMIES.values() if t.parameter != "level"
    )
    return {names.get(name, name): messages for name, messages in errors.items()}
