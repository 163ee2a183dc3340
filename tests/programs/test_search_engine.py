"""Search as people get it (programs.selectors.program_search, which runs programs/engine.py),
checked against a plain reference written from the declarations (programs/parameters.py):
which published programs match, in which order, how many each facet value would find, how
far each is; and the engine's copy of the catalogue never answers from an older catalogue."""

import math
import random
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.db import connection, transaction
from django.db.models import Q
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs import engine, places
from programs import parameters as declared
from programs.models import CatalogueVersion, PaymentKind, Program, Site
from programs.selectors import program_search
from tests.factories import add_terms, make_program, make_provider, make_site, make_site_at_zip

pytestmark = pytest.mark.django_db

OAKLAND = "94612"
CITIES = {
    "94612": "Oakland",
    "94117": "San Francisco",
    "94541": "Hayward",
    "94703": "Berkeley",
    "95814": "Sacramento",
    "90012": "Los Angeles",
    "93721": "Fresno",
    "89501": "Reno",  # Nevada: telehealth from here does not reach California
    "10001": "New York",
}
PER_PAGE = 7
TERM_FIELDS = [p.source.field for p in declared.FACETS if isinstance(p.source, declared.Terms)]


def token() -> str | None:
    return CatalogueVersion.objects.values_list("token", flat=True).first()


def names(query: str) -> list[str]:
    return [row.name for row in program_search(params=QueryDict(query)).paginate("1", 100)]


@pytest.fixture
def varied_catalogue():
    """Forty-two published programs with every kind of difference the search tests, drawn at
    random once (a fixed seed): places near and far and none, formats, levels, focus, times,
    schedules, costs, verification dates, every vocabulary, names that tie; and two programs
    that are not published."""
    chance = random.Random(7)

    def some(number: int, parameter: str, most: int) -> list[str]:
        """Up to `most` terms and one more; every term on some program, some on none."""
        values = declared.BY_NAME[parameter].values
        if number % 7 == 3:
            return []
        given = number - (number + 4) // 7  # counts the programs given terms: 0, 1, 2, ...
        return [values[given % len(values)], *chance.sample(values, chance.randint(0, most))]

    named = []
    for number in range(42):
        if number >= 40:  # the names of programs 05 and 06 again: ties go by id
            name = named[number - 35]
        else:
            name = f"{chance.choice(['Program', 'Center'])} {number:02}"
        named.append(name)
        provider = make_provider(
            name=f"{chance.choice(['Harbor Health', 'Program Partners', 'Bay Clinics'])} {number}"
        )
        if number % 13 == 0:  # no coordinates: found near a ZIP only by telehealth
            site = make_site(
                provider=provider, latitude=None, longitude=None, city="Stockton", zip_code="95202"
            )
        else:
            zip_code = chance.choice(list(CITIES))
            site = make_site_at_zip(zip_code, provider=provider, city=CITIES[zip_code])
        program = make_program(
            name=name,
            site=site,
            level_of_care=chance.choice(declared.BY_NAME["level"].values),
            focus=chance.choice(["substance_use", "mental_health", "co_occurring"]),
            format=chance.choice(["in_person", "telehealth", "both"]),
            accepting_new_clients=chance.choice([True, True, False, None]),
            cost_per_session_min=chance.choice([None, 0, 40, Decimal("150.50"), 400]),
            last_verified_on=chance.choice(
                [None, date(2026, 1, 5), date(2025, 6, 1), date(2026, 3, 2)]
            ),
            payments=some(number, "payment", 3),
            tracks=[
                {
                    "time_of_day": chance.choice(["morning", "afternoon", "evening"]),
                    "weekend": chance.random() < 0.3,
                    "days_per_week_min": chance.choice([2, 3, 5]),
                    "days_per_week_max": 5,
                    "hours_per_day_min": chance.choice([Decimal("2.5"), 3, 4]),
                    "hours_per_day_max": 4,
                    "length_weeks_min": chance.choice([None, 6, 12]),
                    "length_weeks_max": 16,
                }
                for _track in range(chance.choice([0, 1, 1, 2]))
            ],
        )
        program.skip_history_when_saving = True  # no change history: quicker, never searched
        add_terms(
            program,
            services=some(number, "service", 3),
            languages=some(number, "language", 2),
            insurers=some(number, "insurer", 3),
            populations=some(number, "population", 2),
            accreditations=some(number, "accreditation", 2),
        )
    for status in (Program.Status.DRAFT, Program.Status.ARCHIVED):
        hidden = make_program(
            name=f"Program {status}",
            status=status,
            site=make_site_at_zip(OAKLAND),
            format="both",
            cost_per_session_min=40,
            accepting_new_clients=True,
            payments=["medicaid"],
        )
        add_terms(hidden, services=["dbt"], accreditations=["carf"])


# --- The reference: the declared rules, plainly, over the program objects. -----------------


def effective_sort(search: dict) -> str:
    """The asked-for order if it can apply; else nearest with a ZIP, best match with words,
    else by name."""
    asked = search.get("sort")
    if asked and not (
        (asked == "distance" and "near" not in search)
        or (asked == "relevance" and "q" not in search)
    ):
        return asked
    if "near" in search:
        return "distance"
    if "q" in search:
        return "relevance"
    return "name"


def word_ranks(text: str) -> dict[int, float]:
    """The published programs the words find, with their rank, as programs/words.py says."""
    if connection.vendor == "postgresql":
        # Found: PostgreSQL's own match. Rank: for each word asked for (not the excluded
        # "-word"), the weight of the best place the program holds its stem, summed.
        asked = " ".join(word for word in text.split() if not word.startswith("-"))
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM programs_program WHERE status = 'published' "
                "AND search_vector @@ websearch_to_tsquery('english', %s)",
                [text],
            )
            found = [pk for (pk,) in cursor.fetchall()]
            cursor.execute("SELECT tsvector_to_array(to_tsvector('english', %s))", [asked])
            stems = cursor.fetchone()[0]
            cursor.execute(
                "SELECT p.id, held.lexeme, held.weights FROM programs_program p, "
                "unnest(p.search_vector) held WHERE p.id = ANY(%s)",
                [found],
            )
            weights = {}
            for pk, stem, held in cursor.fetchall():
                weights[pk, stem] = max({"A": 10, "B": 4, "C": 2}[w] for w in held)
        return {pk: sum(weights.get((pk, stem), 0) for stem in stems) for pk in found}
    condition = Q()
    for word in text.split():
        condition &= (
            Q(name__icontains=word)
            | Q(search_provider__icontains=word)
            | Q(search_place__icontains=word)
            | Q(search_services__icontains=word)
        )
    found = Program.objects.published().filter(condition)
    whole = text.lower()
    return {
        pk: 2.0 if whole in name.lower() else 1.0 if whole in provider.lower() else 0.0
        for pk, name, provider in found.values_list("pk", "name", "search_provider")
    }


class Reference:
    """The published programs, and which of them a search finds, in which order."""

    def __init__(self):
        self.programs = list(
            Program.objects.published().select_related("site").prefetch_related(*TERM_FIELDS)
        )
        self.terms = {
            program.pk: {
                field: {term.slug for term in getattr(program, field).all()}
                for field in TERM_FIELDS
            }
            for program in self.programs
        }
        self._words = {}
        self._miles = {}

    def words(self, text: str) -> dict[int, float]:
        if text not in self._words:
            self._words[text] = word_ranks(text)
        return self._words[text]

    def miles(self, program, search: dict) -> float | None:
        key = (program.pk, search["near"])
        if key not in self._miles:
            site, place = program.site, places.place_of_zip(search["near"])
            self._miles[key] = (
                None
                if site.latitude is None or site.longitude is None
                else places.miles_between(
                    (place.latitude, place.longitude), (site.latitude, site.longitude)
                )
            )
        return self._miles[key]

    def within(self, program, search: dict) -> bool:
        miles = self.miles(program, search)
        radius = int(search.get("radius", declared.DEFAULT_RADIUS))
        return miles is not None and miles <= radius

    def holds(self, program, parameter, value: str, search: dict) -> bool:
        """Whether the program holds one value of a faceted parameter."""
        source = parameter.source
        if isinstance(source, declared.Column):
            held = getattr(program, source.name) in source.serving(value)
        elif isinstance(source, declared.Flags):
            held = getattr(program, source.columns[value]) is True
        else:
            held = value in self.terms[program.pk][source.field]
        if parameter.name == "format" and value == "in_person" and "near" in search:
            held = held and self.within(program, search)
        if self.keeps_unknown(program, parameter, search):
            held = True
        return held

    @staticmethod
    def keeps_unknown(program, parameter, search: dict) -> bool:
        """The search keeps a program whose fact the parameter reads is not yet verified."""
        unknown = parameter.unknown
        return (
            unknown is not None
            and search.get(unknown.steer) == "1"
            and getattr(program, unknown.number) is None
        )

    def passes(self, program, parameter, value, search: dict) -> bool:
        match = parameter.match
        if match == declared.ANY_OF:
            return any(self.holds(program, parameter, one, search) for one in value)
        if match == declared.ALL_OF:
            return all(self.holds(program, parameter, one, search) for one in value)
        if match in (declared.ONE_OF, declared.FLAG):
            return self.holds(program, parameter, value, search)
        if match == declared.AT_MOST:
            number = getattr(program, parameter.source.name)
            if self.keeps_unknown(program, parameter, search):
                return True
            return number is not None and number <= Decimal(value)
        if match == declared.WORDS:
            return program.pk in self.words(value)
        if match == declared.DISTANCE:
            in_state = program.site.state == places.place_of_zip(value).state
            online = program.format in ("telehealth", "both") and in_state
            return self.within(program, search) or online
        assert match == declared.STEERS, match
        return True

    def matches(self, search: dict) -> list[Program]:
        chosen = [(declared.BY_NAME[name], value) for name, value in search.items()]
        # Not asked: only the values searched unless asked (no care above PHP).
        chosen += [
            (parameter, list(parameter.unasked))
            for parameter in declared.FACETS
            if parameter.unasked and parameter.name not in search
        ]
        return [
            program
            for program in self.programs
            if all(self.passes(program, parameter, value, search) for parameter, value in chosen)
        ]

    def ordered(self, search: dict) -> list[Program]:
        sort = effective_sort(search)

        def last_if_unknown(number):
            return (number is None, number if number is not None else 0)

        def key(program):
            if sort == "distance":
                first = last_if_unknown(self.miles(program, search))
            elif sort == "relevance":
                first = -self.words(search["q"])[program.pk]
            elif sort == "cost":
                first = last_if_unknown(program.cost_per_session_min)
            elif sort == "hours":
                first = last_if_unknown(program.hours_per_week_min)
            elif sort == "verified":
                verified = program.last_verified_on
                first = last_if_unknown(verified and -verified.toordinal())
            else:
                assert sort == "name", f"the reference has no order {sort!r}"
                first = 0
            return (first, program.name, program.pk)

        return sorted(self.matches(search), key=key)


@pytest.fixture
def reference(varied_catalogue) -> Reference:
    return Reference()


def with_value(search: dict, parameter, value: str) -> dict:
    """The search with one more faceted value: added to an "any of" or "all of" parameter's
    values, in place of a "one of" or flag parameter's value."""
    added = dict(search)
    if parameter.repeatable:
        values = list(search.get(parameter.name, []))
        added[parameter.name] = values if value in values else [*values, value]
    else:
        added[parameter.name] = value
    return added


def every_row(result) -> list[Program]:
    """The whole result, read a page at a time."""
    rows = []
    for number in result.paginate(1, PER_PAGE).paginator.page_range:
        page = result.paginate(number, PER_PAGE)
        assert page.number == number
        rows.extend(page)
    return rows


def agrees_with_reference(reference: Reference, search: dict) -> None:
    """The search people get finds what the reference finds, in its order, with its
    distances, and counts for each facet value what the reference finds with it added."""
    result = program_search(params=QueryDict(urlencode(search, doseq=True)))
    assert result.is_valid, (search, result.errors)
    expected = reference.ordered(search)
    assert result.sort == effective_sort(search), search
    assert result.count == len(expected), search

    rows = every_row(result)
    got = [(row.pk, row.name) for row in rows]
    assert got == [(p.pk, p.name) for p in expected], f"{search} sorted by {result.sort}"
    for row in rows:
        if "near" not in search:
            assert (row.distance, row.reach) == (None, None)
            continue
        miles = reference.miles(row, search)
        assert row.distance == (None if miles is None else pytest.approx(miles, abs=1e-6))
        assert row.reach == ("distance" if reference.within(row, search) else "telehealth")

    assert list(result.facets) == [p.name for p in declared.FACETS]
    for parameter in declared.FACETS:
        chosen = search.get(parameter.name, [])
        chosen = chosen if parameter.repeatable or not chosen else [chosen]
        facet_values = result.facets[parameter.name]
        assert [facet.value for facet in facet_values] == parameter.values
        for facet in facet_values:
            added = with_value(search, parameter, facet.value)
            assert facet.count == len(reference.matches(added)), (
                f"{parameter.name}={facet.value} added to {search}"
            )
            assert facet.selected == (facet.value in chosen)


# --- Searches drawn from the declarations: a new parameter is searched without a change here,
# unless it needs numbers (at most) or a reference rule (a new kind of match or order).

# Any case; and PostgreSQL's web search syntax (SQLite: plain words, "-" and quotes kept).
WORDS = [
    "program",
    "0",
    "therapy",
    "Oakland PROGRAM",
    "therapy or oakland",
    "therapy -oakland",
    '"program 0"',
]
NEAR = [OAKLAND, "95814", "89501", "10001"]
RADII = ["5", "25", "100"]
# At and between the numbers the catalogue holds (an "at most" equal to a number keeps it).
LIMITS = {
    "max_cost_per_session": ["0", "40", "100", "150.50", "400"],
    "max_days_per_week": ["2", "3", "5"],
    "max_hours_per_week": ["6", "7.5", "10", "15"],
    "max_weeks": ["6", "8", "12"],
}


def sample_values(parameter) -> list[str]:
    """A few values of one parameter worth searching."""
    if parameter.match == declared.WORDS:
        return WORDS
    if parameter.match == declared.DISTANCE:
        return NEAR
    if parameter.choices:
        return parameter.values
    if parameter.match == declared.AT_MOST:
        values = LIMITS[parameter.name]
    elif parameter.bounds:
        values = RADII
    else:
        return ["1"]  # a yes/no steer
    least, most = parameter.bounds
    assert all(least <= Decimal(value) <= most for value in values), parameter.name
    return values


assert set(declared.BY_NAME["sort"].values) == set(declared.SORTS)


def values_of(parameter) -> st.SearchStrategy:
    one = st.sampled_from(sample_values(parameter))
    return st.lists(one, min_size=1, max_size=3, unique=True) if parameter.repeatable else one


def some_of(names: list[str], **sizes) -> st.SearchStrategy:
    """Searches with a few of these parameters, each with some of its values."""
    return st.lists(st.sampled_from(names), unique=True, **sizes).flatmap(
        lambda chosen: st.fixed_dictionaries(
            {name: values_of(declared.BY_NAME[name]) for name in chosen}
        )
    )


def combined(*parts: dict) -> dict:
    return {name: value for part in parts for name, value in part.items()}


# A few of any parameters; and, as often as not, near a ZIP code and in some order.
searches = st.builds(
    combined,
    some_of(list(declared.BY_NAME), max_size=4),
    some_of(["near"], max_size=1),
    some_of(["sort"], max_size=1),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(search=searches)
def test_any_search_agrees_with_the_reference(reference, search):
    agrees_with_reference(reference, search)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(search=searches)
def test_pages_taken_from_the_copys_own_order_agree_with_the_reference(
    reference, search, monkeypatch
):
    """A search with many matches in a static order takes its page from the copy's order
    (engine.STATIC_ORDER_FROM, tens of thousands): here every search does."""
    monkeypatch.setattr(engine, "STATIC_ORDER_FROM", -1)
    agrees_with_reference(reference, search)


def test_every_declared_value_agrees_with_the_reference(reference):
    """Each sample value of every parameter on its own and near a ZIP code (sorted by name);
    and each parameter that steers another with it."""
    for parameter in declared.PARAMETERS:
        for value in sample_values(parameter):
            one = [value] if parameter.repeatable else value
            agrees_with_reference(reference, {parameter.name: one})
            agrees_with_reference(reference, {"near": OAKLAND, "sort": "name", parameter.name: one})
    # The parameters that match nothing themselves, with what they steer.
    for near in NEAR:
        for radius in RADII:
            agrees_with_reference(reference, {"near": near, "radius": radius})
    for parameter in declared.PARAMETERS:  # each with its steer for unknown facts
        if parameter.unknown:
            for value in sample_values(parameter):
                one = [value] if parameter.repeatable else value
                agrees_with_reference(
                    reference, {parameter.name: one, parameter.unknown.steer: "1"}
                )
    for sort in declared.SORTS:
        agrees_with_reference(reference, {"sort": sort, "near": OAKLAND, "q": "program"})


def test_the_reference_sees_every_kind_of_difference(reference):
    """The catalogue gives each rule something to tell apart."""
    programs = reference.programs
    assert len(programs) == 42
    assert len({p.name for p in programs}) < len(programs)  # ties go by id
    assert {p.format for p in programs} == {"in_person", "telehealth", "both"}
    assert any(p.site.latitude is None for p in programs)
    for parameter in declared.FACETS:
        for value in parameter.values:
            count = sum(reference.holds(p, parameter, value, {}) for p in programs)
            assert 0 < count < len(programs), f"{parameter.name}={value}"
    for parameter in declared.PARAMETERS:
        if parameter.match == declared.AT_MOST:
            numbers = [getattr(p, parameter.source.name) for p in programs]
            assert None in numbers and len(set(numbers)) > 2, parameter.name
    assert 0 < len(reference.words("program")) < len(programs)
    assert any(len(set(reference.words(text).values())) > 1 for text in WORDS)  # ranks differ


# --- The copy is never older than the catalogue. ----------------------------------------


def test_a_program_added_changed_or_removed_shows_at_once(client):
    make_program(name="First", site=make_site_at_zip(OAKLAND))
    assert names(f"near={OAKLAND}") == ["First"]
    copy = engine.current()
    assert engine.current() is copy  # nothing changed: the same copy

    second = make_program(name="Second", site=make_site_at_zip(OAKLAND))
    assert names(f"near={OAKLAND}") == ["First", "Second"]
    assert engine.current() is not copy

    Program.objects.filter(pk=second.pk).update(level_of_care="php")  # a bulk update
    assert names(f"near={OAKLAND}&level=php") == ["Second"]

    with connection.cursor() as cursor:  # raw SQL, past the application
        cursor.execute("UPDATE programs_program SET status = 'archived' WHERE id = %s", [second.pk])
    assert names(f"near={OAKLAND}") == ["First"]

    Program.objects.filter(name="First").delete()
    assert names(f"near={OAKLAND}") == []
    body = client.get(f"/api/programs/?near={OAKLAND}").json()
    assert body["count"] == 0


def test_every_write_changes_the_token_and_a_rolled_back_one_restores_it():
    program = make_program(name="Kept")
    before = token()
    assert before
    program.name = "Renamed"
    program.save()
    renamed = token()
    assert renamed not in (None, before)
    assert names("") == ["Renamed"]

    with pytest.raises(RuntimeError), transaction.atomic():
        make_program(name="Rolled back")
        assert token() != renamed
        assert names("") == ["Renamed", "Rolled back"]
        raise RuntimeError
    # The token went back with the write, so it names the catalogue it names again.
    assert token() == renamed
    assert names("") == ["Renamed"]


def test_without_a_token_the_copy_is_read_afresh_each_time():
    make_program(name="Here")
    CatalogueVersion.objects.all().delete()  # as a test database's flush leaves it
    assert names("") == ["Here"]
    make_program(name="Also here")
    CatalogueVersion.objects.all().delete()  # no token again: the copy cannot tell
    assert names("") == ["Also here", "Here"]
    Program.objects.update(name="Still here")
    assert token() is not None  # the write put a token back
    assert names("") == ["Still here", "Still here"]


def test_a_site_moved_in_bulk_shows_in_the_next_search():
    site = make_site_at_zip(OAKLAND)
    make_program(name="Moving", site=site)  # in person: found only within the radius
    assert names(f"near={OAKLAND}") == ["Moving"]
    assert names("near=10001") == []
    before = token()

    new_york = places.place_of_zip("10001")
    Site.objects.filter(pk=site.pk).update(latitude=new_york.latitude, longitude=new_york.longitude)
    assert token() != before
    assert names("near=10001") == ["Moving"]
    assert names(f"near={OAKLAND}") == []


def test_a_payment_kind_added_through_the_relation_shows_in_the_next_search():
    program = make_program(name="Paying")
    make_program(name="Other")
    assert names("payment=medicaid") == []
    before = token()

    program.payment_kinds.add(PaymentKind.objects.get(slug="medicaid"))  # no service called
    assert token() != before
    assert names("payment=medicaid") == ["Paying"]
    medicaid = program_search(params=QueryDict("")).facets["payment"]
    assert [f.count for f in medicaid if f.value == "medicaid"] == [1]

    added = token()
    program.payment_kinds.clear()
    assert token() != added
    assert names("payment=medicaid") == []


def test_programs_added_with_ignore_conflicts_show_in_the_next_search():
    """Django writes these with INSERT OR IGNORE on SQLite (as it adds many-to-many rows):
    the trigger still changes the token."""
    existing = make_program(name="Existing")
    before = token()
    Program.objects.bulk_create(
        [
            Program(
                name="Bulk",
                provider=existing.provider,
                site=existing.site,
                status="published",
                level_of_care="iop",
            )
        ],
        ignore_conflicts=True,
    )
    assert token() != before
    assert names("") == ["Bulk", "Existing"]


def test_distances_are_great_circle_miles():
    """The reference's miles are the usual ones (a sanity check of places.miles_between)."""
    oakland, new_york = places.place_of_zip(OAKLAND), places.place_of_zip("10001")
    miles = places.miles_between(
        (oakland.latitude, oakland.longitude), (new_york.latitude, new_york.longitude)
    )
    assert math.isclose(miles, 2570, rel_tol=0.02)
