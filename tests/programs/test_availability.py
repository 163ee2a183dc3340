"""Whether a program takes new clients, as of a day and from whom: written one way
(services.record_availability), shown with its age on the page, the cards and the API, and
unknown everywhere, the `accepting` filter included, once older than AVAILABILITY_STALE_DAYS."""

import html
import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.timesince import timesince

from guides import matching
from programs import engine, services
from programs.models import AvailabilitySource, Program
from programs.selectors import program_search
from tests.factories import make_program
from tests.programs.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def page_text(response) -> str:
    """The page as a person reads it: tags dropped, whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def program_page(client, program, **headers) -> str:
    return page_text(client.get(reverse("programs:detail", args=[program.pk]), **headers))


def names(query: str) -> set[str]:
    return {row.name for row in program_search(params=QueryDict(query)).paginate("1", 100)}


def confirmed(program, days_ago: int, **fields) -> Program:
    """Set the program's availability as confirmed `days_ago` by a guide's call."""
    fields = {"accepting": True, "next_intake": None, "wait_days": None, **fields}
    return services.record_availability(
        program=program,
        source=AvailabilitySource.GUIDE,
        as_of=TODAY - timedelta(days=days_ago),
        **fields,
    )


def stale_days() -> int:
    return settings.AVAILABILITY_STALE_DAYS + 1


# --- One way to write it, with its history. ------------------------------------------------


def test_record_availability_writes_every_field_at_once_with_who_in_the_history():
    curator = User.objects.create_user("cora")
    program = make_program(name="Harbor IOP")
    before = program.history.count()

    services.record_availability(
        program=program,
        accepting=False,
        next_intake=date(2027, 3, 3),
        wait_days=20,
        source=AvailabilitySource.CURATOR,
        by=curator,
    )

    program.refresh_from_db()
    assert program.accepting_new_clients is False
    assert program.next_intake_on == date(2027, 3, 3)
    assert program.wait_time_days == 20
    assert program.availability_as_of == TODAY
    assert program.availability_source == "curator"
    assert program.history.count() == before + 1
    latest = program.history.latest()
    assert latest.history_user == curator
    assert latest.accepting_new_clients is False and latest.availability_as_of == TODAY
    assert latest.history_change_reason == "Availability (source: curator)"


def test_an_unknown_source_is_refused_and_nothing_is_written():
    program = make_program()
    with pytest.raises(ValueError):
        services.record_availability(
            program=program, accepting=True, next_intake=None, wait_days=None, source="rumour"
        )
    program.refresh_from_db()
    assert program.accepting_new_clients is None and program.availability_as_of is None


def test_a_curators_change_in_the_admin_is_as_of_today_from_our_curators(client):
    curator = User.objects.create_superuser("ada", "ada@example.org", None)
    client.force_login(curator)
    program = make_program()
    data = form_data(client.get(change_url(program)))
    data.update({"accepting_new_clients": "false", "wait_time_days": "14"})

    assert client.post(change_url(program), data).status_code == 302

    program.refresh_from_db()
    assert program.accepting_new_clients is False and program.wait_time_days == 14
    assert program.availability_as_of == TODAY
    assert program.availability_source == AvailabilitySource.CURATOR
    assert program.history.latest().history_user == curator


def test_a_curator_may_say_when_and_from_whom_instead(client):
    client.force_login(User.objects.create_superuser("ada", "ada@example.org", None))
    program = make_program()
    data = form_data(client.get(change_url(program)))
    data.update(
        {
            "accepting_new_clients": "true",
            "availability_as_of": (TODAY - timedelta(days=2)).isoformat(),
            "availability_source": "program",
        }
    )

    assert client.post(change_url(program), data).status_code == 302

    program.refresh_from_db()
    assert program.availability_as_of == TODAY - timedelta(days=2)
    assert program.availability_source == AvailabilitySource.PROGRAM


# --- The program page. -------------------------------------------------------------------


def test_the_page_says_how_old_it_is_and_who_said_so(client):
    next_intake = TODAY + timedelta(days=10)
    program = confirmed(make_program(), 3, next_intake=next_intake, wait_days=7)

    text = program_page(client, program)

    assert (
        "New clients Accepting new clients — confirmed 3 days ago by a recovery guide's call"
        in text
    )
    assert f"Next intake {formats.date_format(next_intake)} " in text
    assert "Wait time About 7 days" in text


def test_confirmed_today_says_today(client):
    program = services.record_availability(
        program=make_program(),
        accepting=False,
        next_intake=None,
        wait_days=None,
        source=AvailabilitySource.PROGRAM,
    )
    text = program_page(client, program)
    assert "Not accepting new clients right now — confirmed today by the program" in text
    assert "Next intake" not in text


def test_in_spanish_the_page_says_its_age_and_next_intake_in_spanish(client):
    next_intake = TODAY + timedelta(days=10)
    program = confirmed(make_program(), 3, next_intake=next_intake)

    text = program_page(client, program, HTTP_ACCEPT_LANGUAGE="es")

    with translation.override("es"):
        written = formats.date_format(next_intake)
    with translation.override("en"):
        assert written != formats.date_format(next_intake)
    assert "Disponibilidad y confianza" in text
    assert "Acepta clientes nuevos — " in text
    assert "3 días" in text and "3 days" not in text  # Django's own Spanish (timesince)
    assert written in text


@pytest.mark.parametrize("days_ago", [settings.AVAILABILITY_STALE_DAYS + 1, 400])
def test_stale_availability_is_not_known(client, days_ago):
    program = confirmed(make_program(), days_ago, next_intake=TODAY, wait_days=7)

    text = program_page(client, program)

    assert "New clients Not known — call to ask" in text
    assert "Wait time Not known — call to ask" in text
    assert "Next intake" not in text and "confirmed" not in text


def test_on_its_last_fresh_day_it_is_still_shown(client):
    days = settings.AVAILABILITY_STALE_DAYS
    program = confirmed(make_program(), days)
    age = timesince(TODAY - timedelta(days=days), TODAY).replace("\xa0", " ")
    assert f"Accepting new clients — confirmed {age} ago" in program_page(client, program)


def test_a_listing_never_dated_is_not_known(client):
    program = make_program(accepting_new_clients=True, wait_time_days=3, availability_as_of=None)
    text = program_page(client, program)
    assert "New clients Not known — call to ask" in text
    assert "Wait time Not known — call to ask" in text


# --- Result cards, compare and the guides' reasons. ---------------------------------------


def test_result_cards_say_accepting_with_its_age_without_a_query_per_card(client):
    def queries(url):
        client.get(url)  # the search engine's copy is read again after a write: not counted
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    confirmed(make_program(name="Open IOP"), 3)
    one = queries("/programs/")
    for number in range(4):
        confirmed(make_program(name=f"Full IOP {number}"), 0, accepting=False)
    make_program(name="Stale IOP", accepting_new_clients=True, availability_as_of=date(2020, 1, 1))

    text = page_text(client.get("/programs/"))
    assert "Accepting new clients (confirmed 3 days ago)" in text
    assert text.count("Not accepting new clients (confirmed today)") == 4
    assert text.count("(confirmed") == 5  # the stale one says nothing
    assert queries("/programs/") == one


def test_compare_says_not_known_for_a_stale_accepting(client):
    fresh = confirmed(make_program(name="Fresh"), 1)
    stale = confirmed(make_program(name="Stale"), stale_days())
    text = page_text(client.get(f"/compare/?ids={fresh.pk},{stale.pk}"))
    assert "New clients Accepting Not known Last verified" in text


def test_the_guides_reasons_call_a_stale_accepting_unknown():
    confirmed(make_program(name="Fresh", payments=["medicaid"]), 1)
    confirmed(make_program(name="Stale", payments=["medicaid"]), stale_days())
    needs = matching.Needs(zip_code="94612", radius_miles=25, payments=("medicaid",))

    matches = {m.program.name: m for m in matching.best_matches(needs, today=TODAY)}

    assert "Accepting new clients" in [reason.text for reason in matches["Fresh"].fits]
    assert "Not known whether accepting new clients" in matches["Stale"].misses
    assert "Not accepting new clients now" not in matches["Stale"].misses


# --- The API. -------------------------------------------------------------------------------


def test_the_api_gives_availability_with_iso_dates(client):
    program = confirmed(make_program(), 3, accepting=False, next_intake=date(2027, 3, 3))

    [result] = client.get("/api/programs/").json()["results"]
    full = client.get(f"/api/programs/{program.pk}/").json()

    expected = {
        "accepting_new_clients": False,
        "next_intake": "2027-03-03",
        "wait_days": None,
        "as_of": (TODAY - timedelta(days=3)).isoformat(),
        "source": "guide",
    }
    assert result["availability"] == expected
    assert full["availability"] == expected
    assert result["accepting_new_clients"] is False


def test_the_api_never_claims_a_stale_accepting(client):
    program = confirmed(make_program(), stale_days(), wait_days=5)

    full = client.get(f"/api/programs/{program.pk}/").json()

    assert full["availability"] == dict.fromkeys(
        ["accepting_new_clients", "next_intake", "wait_days", "as_of", "source"]
    )
    assert full["accepting_new_clients"] is None
    assert full["wait_time_days"] is None


def test_the_schema_describes_availability(client):
    schema = client.get("/api/schema/").json()["components"]["schemas"]["ProgramSummary"]
    availability = schema["properties"]["availability"]
    assert set(availability["properties"]) == {
        "accepting_new_clients",
        "next_intake",
        "wait_days",
        "as_of",
        "source",
    }
    assert availability["properties"]["source"]["enum"] == ["program", "guide", "curator", None]
    assert "availability" in schema["required"]


# --- The search filter and the engine's copy. ------------------------------------------------


def test_the_accepting_filter_keeps_only_a_fresh_accepting():
    confirmed(make_program(name="Fresh"), 0)
    confirmed(make_program(name="Last fresh day"), settings.AVAILABILITY_STALE_DAYS)
    confirmed(make_program(name="Stale"), stale_days())
    confirmed(make_program(name="Full"), 0, accepting=False)
    make_program(name="Never dated", accepting_new_clients=True, availability_as_of=None)

    assert names("accepting=1") == {"Fresh", "Last fresh day"}
    result = program_search(params=QueryDict(""))
    counts = {facet.value: facet.count for facet in result.facets["accepting"]}
    assert counts == {"1": 2}


def test_the_copy_is_read_again_when_the_day_changes(monkeypatch):
    confirmed(make_program(name="Edge"), settings.AVAILABILITY_STALE_DAYS)
    copy = engine.current()
    assert copy.today == TODAY
    assert engine.current() is copy
    assert names("accepting=1") == {"Edge"}

    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY + timedelta(days=1))

    tomorrow = engine.current()
    assert tomorrow is not copy and tomorrow.today == TODAY + timedelta(days=1)
    assert tomorrow.token == copy.token  # nothing was written: only the day changed
    assert names("accepting=1") == set()
    assert Program.objects.get(name="Edge").accepting_now is None  # as its page says


# --- The synthetic catalogue still exercises the filter. --------------------------------------


def test_generated_programs_are_dated_so_accepting_finds_some_but_not_the_stale():
    call_command("generate_programs", "--count", "60", "--seed", "3", stdout=StringIO())

    said = Program.objects.exclude(accepting_new_clients=None)
    assert said.exists() and not said.filter(availability_as_of=None).exists()
    accepting = Program.objects.filter(accepting_new_clients=True)
    found = names("accepting=1")
    assert 0 < len(found) < accepting.count()
    assert found == {p.name for p in accepting if p.accepting_now}
