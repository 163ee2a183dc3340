"""Reads for the HSDS API and downloads: only published programs (programs.selectors'
published_programs), found by the public search (programs.selectors.program_search), with
everything a service shows fetched in a fixed number of queries whatever the page's size."""

import threading
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from types import SimpleNamespace

from django.db.models import DateTimeField, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest
from django.http import QueryDict

from hsds import mapping
from hsds.filters import HsdsQuery, search_errors
from hsds.ids import hsds_id
from programs import engine
from programs import selectors as program_selectors
from programs.models import CatalogueVersion, Program, Provider, ScheduleTrack, Site

TERMS = ("payment_kinds", "insurers", "services", "populations", "languages", "accreditations")


@cache
def _history_manager(model):
    return model.history.model._default_manager


def history(model) -> QuerySet:
    """A model's change history (django-simple-history), through its plain manager:
    `Model.history` builds a manager class on every access."""
    return _history_manager(model).all()


def _latest(model, key: str, outer: str) -> RawSQL:
    """The last change recorded in a model's history for the program row's `outer` column:
    an aggregate over that row's entries, read by the history's index. Plain SQL, as it is
    the same on every database: built as a Subquery, the four of a page's query cost more
    to compile than the rest of the page's work."""
    table, programs = history(model).model._meta.db_table, Program._meta.db_table
    return RawSQL(
        f"SELECT MAX(history_date) FROM {table} WHERE {key} = {programs}.{outer}",
        (),
        output_field=DateTimeField(),
    )


def with_modified(programs: QuerySet) -> QuerySet:
    """`hsds_modified`: the last change to the program, its site, its provider or its tracks
    (their change histories; a program's own records its terms too)."""
    changes = [
        _latest(Program, "id", "id"),
        _latest(Site, "id", "site_id"),
        _latest(Provider, "id", "provider_id"),
        _latest(ScheduleTrack, "program_id", "id"),
    ]
    return programs.annotate(
        hsds_modified=Greatest(
            F("updated_at"), *(Coalesce(change, F("updated_at")) for change in changes)
        )
    )


def changed_since(moment: datetime) -> Q:
    """Programs that changed on or after `moment`, or whose site, provider or tracks did."""

    def since(model, column):
        return history(model).filter(history_date__gte=moment).values(column)

    return (
        Q(updated_at__gte=moment)
        | Q(pk__in=since(Program, "id"))
        | Q(site_id__in=since(Site, "id"))
        | Q(provider_id__in=since(Provider, "id"))
        | Q(pk__in=since(ScheduleTrack, "program_id"))
    )


def services_queryset() -> QuerySet[Program]:
    """Published programs, whole: with `hsds_modified`, their tracks and terms prefetched."""
    programs = program_selectors.published_programs().prefetch_related(
        Prefetch("tracks", queryset=ScheduleTrack.objects.order_by("time_of_day", "id")),
        *TERMS,
    )
    return with_modified(programs)


# What a service's one-to-one fields read (mapping.service_summary, availability included):
# a list reads only these columns, as plain values rather than model objects.
SUMMARY_COLUMNS = (
    "pk",
    "name",
    "description",
    "level_of_care",
    "focus",
    "format",
    "website",
    "intake_process",
    "intake_notes",
    "cost_per_session_min",
    "cost_per_session_max",
    "total_cost_min",
    "total_cost_max",
    "cost_notes",
    "last_verified_on",
    "accepting_new_clients",
    "next_intake_on",
    "wait_time_days",
    "availability_as_of",
    "availability_source",
    "updated_at",
    "provider_id",
    "site_id",
)
MINIMAL_COLUMNS = ("pk", "name", "updated_at")
# Related rows' columns: the name each has on its own model.
PROVIDER_COLUMNS = {"provider__name": "name", "provider__website": "website"}
SITE_COLUMNS = {
    "site__name": "name",
    "site__provider_id": "provider_id",
    "site__zip_code": "zip_code",
    "site__latitude": "latitude",
    "site__longitude": "longitude",
    "site__placed_at_zip": "placed_at_zip",
}


class Listed(SimpleNamespace):
    """A published program as a list shows it: its columns (SUMMARY_COLUMNS), `provider` and
    `site` with theirs, `hsds_modified`; hsds/mapping reads it as it reads a Program."""

    availability = Program.availability


def listed(programs: QuerySet, *, site: bool = False, minimal: bool = False) -> list[Listed]:
    """The programs as Listed rows, in one query: `site` with their sites' columns,
    `minimal` only their id, name and last change."""
    if minimal:
        return [
            Listed(**row)
            for row in with_modified(programs).values(*MINIMAL_COLUMNS, "hsds_modified")
        ]
    related = {**PROVIDER_COLUMNS, **(SITE_COLUMNS if site else {})}
    rows = []
    for row in with_modified(programs).values(*SUMMARY_COLUMNS, *related, "hsds_modified"):
        program = Listed(**{column: row[column] for column in (*SUMMARY_COLUMNS, "hsds_modified")})
        program.provider = Listed(
            pk=row["provider_id"],
            **{name: row[column] for column, name in PROVIDER_COLUMNS.items()},
        )
        if site:
            program.site = Listed(
                pk=row["site_id"], **{name: row[column] for column, name in SITE_COLUMNS.items()}
            )
        rows.append(program)
    return rows


@dataclass
class Page:
    """HSDS's Page object: one page of `items` out of `total`."""

    items: list
    total: int
    number: int
    per_page: int

    def as_json(self, contents: list[dict]) -> dict:
        pages = max(1, -(-self.total // self.per_page))
        return {
            "total_items": self.total,
            "total_pages": pages,
            "page_number": self.number,
            "size": len(contents),
            "first_page": self.number == 1,
            "last_page": self.number >= pages,
            "empty": not contents,
            "contents": contents,
        }


@dataclass
class Found:
    page: Page | None = None
    errors: dict | None = None


@lru_cache(maxsize=256)
def _cleaned(params: str) -> dict | None:
    """The public search's cleaned parameters (None: invalid). Cleaning the same parameters
    always gives the same values, and a partner pages through one search many times: the
    form is built once per search, not once per page."""
    result = program_selectors.program_search(params=QueryDict(params))
    return result.form.cleaned_data if result.is_valid else None


def public_search(params: QueryDict) -> engine.Search | dict:
    """The public search's engine for these parameters, or its errors by HSDS parameter."""
    cleaned = _cleaned(params.urlencode())
    if cleaned is None:
        return search_errors(program_selectors.program_search(params=params).errors)
    return engine.Search(dict(cleaned))


def find_services(query: HsdsQuery, *, site: bool = False) -> Found:
    """One page of published programs for /services and /service_at_locations (`site`), in
    the public search's order (name; distance with a postcode): whole with `full`, else as
    the list forms show them (Listed)."""
    if not query.is_valid:
        return Found(errors=query.errors)
    search = public_search(query.search)
    if isinstance(search, dict):
        return Found(errors=search)
    offset = (query.page - 1) * query.per_page
    narrowed = query.modified_after is not None or query.organization_id is not None
    if not narrowed:
        total = search.total
        ids = [found.id for found in search.page(offset, query.per_page)]
    else:
        programs = Program.objects.published()
        if query.modified_after is not None:
            programs = programs.filter(changed_since(query.modified_after))
        if query.organization_id is not None:
            provider = ids_index().providers.get(query.organization_id)
            programs = programs.filter(provider_id=provider)
        candidates = programs.order_by("name", "id").values_list("pk", flat=True)
        matching = set(search.catalogue.ids[search.positions].tolist())
        ordered = [pk for pk in candidates if pk in matching]
        total, ids = len(ordered), ordered[offset : offset + query.per_page]
    if query.full:
        loaded = services_queryset().in_bulk(ids)
    else:
        programs = Program.objects.published().filter(pk__in=ids)
        rows = listed(programs, site=site, minimal=query.minimal)
        loaded = {row.pk: row for row in rows}
    return Found(
        Page([loaded[pk] for pk in ids if pk in loaded], total, query.page, query.per_page)
    )


def service(hsds_id: str) -> Program | None:
    pk = ids_index().services.get(hsds_id)
    if pk is None:
        return None
    return services_queryset().filter(pk=pk).first()


def all_services(*, modified_after: datetime | None = None, chunk: int = 2000):
    """Every published program, fully fetched, in name order, a chunk of queries at a time."""
    programs = services_queryset().order_by("name", "id")
    if modified_after is not None:
        programs = programs.filter(changed_since(modified_after))
    return programs.iterator(chunk_size=chunk)


# --- organizations -------------------------------------------------------------------------


def _with_published() -> QuerySet[Provider]:
    published = Program.objects.published().filter(provider_id=OuterRef("pk"))
    return Provider.objects.filter(Exists(published)).order_by("name", "id")


def find_organizations(*, search: str, page: int, per_page: int) -> Page:
    providers = _with_published()
    if search:
        providers = providers.filter(name__icontains=search)
    total = providers.count()
    offset = (page - 1) * per_page
    return Page(list(providers[offset : offset + per_page]), total, page, per_page)


@dataclass
class OrganizationFound:
    provider: Provider
    sites: list[Site]
    programs: list[Program]


def organization(hsds_id: str, *, full_service: bool) -> OrganizationFound | None:
    pk = ids_index().providers.get(hsds_id)
    provider = _with_published().filter(pk=pk).first() if pk is not None else None
    if provider is None:
        return None
    if full_service:
        programs = list(services_queryset().filter(provider_id=pk).order_by("name", "id"))
    else:
        programs = listed(Program.objects.published().filter(provider_id=pk).order_by("name", "id"))
    sites = list(
        Site.objects.filter(pk__in={p.site_id for p in programs})
        .select_related("provider")
        .order_by("state", "city", "name", "id")
    )
    return OrganizationFound(provider, sites, programs)


def service_at_location(hsds_id: str) -> Program | None:
    pk = ids_index().service_at_locations.get(hsds_id)
    if pk is None:
        return None
    return services_queryset().filter(pk=pk).first()


# --- HSDS ids back to our keys -------------------------------------------------------------


@dataclass(frozen=True)
class IdsIndex:
    token: str | None
    services: dict[str, int]
    service_at_locations: dict[str, int]
    providers: dict[str, int]


_lock = threading.Lock()
_indexes: dict[str, IdsIndex] = {}


def catalogue_token() -> str | None:
    """The catalogue's version (programs.models.CatalogueVersion): the database changes it on
    every write to programs, their sites and their terms."""
    return CatalogueVersion.objects.values_list("token", flat=True).first()


def ids_index() -> IdsIndex:
    """HSDS id -> primary key of every published program and provider: uuid5 cannot be
    reversed, so each worker keeps this map, read again when the catalogue changes."""
    from django.db import connection

    token, database = catalogue_token(), connection.settings_dict["NAME"]
    index = _indexes.get(database)
    if index is None or token is None or index.token != token:
        with _lock:
            rows = list(Program.objects.published().values_list("pk", "provider_id"))
            index = IdsIndex(
                token,
                {hsds_id("service", pk): pk for pk, _provider in rows},
                {hsds_id("service_at_location", pk): pk for pk, _provider in rows},
                {mapping.organization_id(provider): provider for _pk, provider in rows},
            )
            _indexes[database] = index
    return index
