"""Schedules a person can plan around: a track's weekdays and clock times, entered by curators
in the admin, shown on the program page and compare in each language, given by the API, and
deciding which times of day the search finds the program for."""

import html
import re
from datetime import time

import pytest
from django.contrib.auth.models import Permission, User
from django.http import QueryDict
from django.urls import reverse

from programs import meeting_times, services
from programs.models import ScheduleTrack
from programs.selectors import program_search
from tests.factories import make_program
from tests.programs.test_admin import CURATOR_PERMISSIONS, change_url, form_data

pytestmark = pytest.mark.django_db

MON_WED_THU_EVENINGS = {
    "name": "Evening track",
    "weekdays": ["mon", "wed", "thu"],
    "starts_at": time(18, 0),
    "ends_at": time(21, 0),
    "time_of_day": "",
}


@pytest.fixture
def curator_client(client):
    user = User.objects.create_user("dana", "dana@example.org", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="programs", codename__in=CURATOR_PERMISSIONS
        )
    )
    client.force_login(user)
    return client


def readable(markup: str) -> str:
    """Text as a person reads it: entities decoded, no-break spaces and word joiners (which
    keep '6 p.m.–9 p.m.' on one line) read as plain spaces and nothing."""
    return html.unescape(markup).replace("\N{NO-BREAK SPACE}", " ").replace("\N{WORD JOINER}", "")


def text_of(response) -> str:
    """The page as a person reads it: tags dropped, whitespace collapsed."""
    text = readable(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", text)


def names(query: str) -> set[str]:
    result = program_search(params=QueryDict(query))
    assert result.is_valid, result.errors
    return {program.name for program in result.paginate(1, 1000)}


def summary_of(**track) -> dict:
    """The program's schedule summary for one track of 3 days x 3 hours."""
    hours = {"days_per_week_min": 3, "days_per_week_max": 3}
    hours |= {"hours_per_day_min": 3, "hours_per_day_max": 3}
    return services.schedule_summary([ScheduleTrack(**hours, **track)])


class TestTimeOfDay:
    @pytest.mark.parametrize(
        "starts_at, expected",
        [
            (time(6, 30), "morning"),
            (time(11, 59), "morning"),
            (time(12, 0), "afternoon"),
            (time(16, 59), "afternoon"),
            (time(17, 0), "evening"),
            (time(19, 30), "evening"),
        ],
    )
    def test_a_track_counts_by_the_time_it_starts(self, starts_at, expected):
        assert meeting_times.time_of_day_starting(starts_at) == expected

    def test_clock_times_decide_over_the_time_of_day_chosen(self):
        summary = summary_of(
            time_of_day="morning", weekdays=["mon"], starts_at=time(18), ends_at=time(21)
        )
        assert summary["offers_evening"]
        assert not summary["offers_morning"]

    @pytest.mark.parametrize(
        "weekdays, weekend_ticked, expected",
        [
            (["sat"], False, True),
            (["fri", "sun"], False, True),
            (["mon", "tue"], True, False),
            ([], True, True),
            ([], False, False),
        ],
    )
    def test_weekdays_decide_the_weekend_when_given(self, weekdays, weekend_ticked, expected):
        summary = summary_of(time_of_day="evening", weekdays=weekdays, weekend=weekend_ticked)
        assert summary["offers_weekend"] is expected

    def test_without_clock_times_the_chosen_time_of_day_counts(self):
        summary = summary_of(time_of_day="afternoon", weekend=True)
        assert summary["offers_afternoon"] and summary["offers_weekend"]
        assert not summary["offers_morning"] and not summary["offers_evening"]

    def test_the_search_finds_programs_by_their_clock_times(self):
        make_program(name="Evening by the clock", tracks=[MON_WED_THU_EVENINGS])
        make_program(
            name="Morning by the clock",
            # Chosen as evening once, but it starts at 9:00: the clock decides.
            tracks=[
                {
                    "time_of_day": "evening",
                    "weekdays": ["sat"],
                    "starts_at": time(9),
                    "ends_at": time(12),
                    "days_per_week_max": 1,
                    "days_per_week_min": 1,
                }
            ],
        )
        assert names("time_of_day=evening") == {"Evening by the clock"}
        assert names("time_of_day=morning") == {"Morning by the clock"}
        assert names("time_of_day=weekend") == {"Morning by the clock"}
        assert names("time_of_day=afternoon") == set()


class TestAdmin:
    def test_a_curator_enters_weekdays_and_times(self, curator_client):
        program = make_program(name="Harbor IOP")
        data = form_data(curator_client.get(change_url(program)))
        data.update(
            {
                "tracks-0-name": "Evening track",
                # In any order: kept in week order.
                "tracks-0-weekdays": ["thu", "mon", "wed"],
                "tracks-0-starts_at": "18:00",
                "tracks-0-ends_at": "21:00",
                "tracks-0-days_per_week_min": "3",
                "tracks-0-days_per_week_max": "3",
                "tracks-0-hours_per_day_min": "3",
                "tracks-0-hours_per_day_max": "3",
            }
        )
        response = curator_client.post(change_url(program), data)
        assert response.status_code == 302, response.context["errors"]
        track = program.tracks.get()
        assert track.weekdays == ["mon", "wed", "thu"]
        assert (track.starts_at, track.ends_at) == (time(18), time(21))
        assert track.time_of_day == ""
        program.refresh_from_db()
        assert program.offers_evening
        assert not (program.offers_morning or program.offers_afternoon or program.offers_weekend)

    def test_the_form_shows_a_box_per_weekday_and_time_pickers(self, curator_client):
        program = make_program(tracks=[MON_WED_THU_EVENINGS])
        page = curator_client.get(change_url(program)).content.decode()
        checked = re.findall(
            r'<input type="checkbox" name="tracks-0-weekdays" value="(\w+)"[^>]*checked', page
        )
        assert checked == ["mon", "wed", "thu"]
        for day in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]:
            assert re.search(rf'name="tracks-0-weekdays" value="\w+"[^>]*>\s*{day}</label>', page)
        assert re.search(r'<input type="time" name="tracks-0-starts_at" value="18:00"', page)
        assert re.search(r'<input type="time" name="tracks-0-ends_at" value="21:00"', page)

    @pytest.mark.parametrize(
        "changes, field, message",
        [
            (
                {"weekdays": ["mon"], "starts_at": "21:00", "ends_at": "18:00"},
                "ends_at",
                "The end time must be after the start time.",
            ),
            (
                {"weekdays": ["mon"], "starts_at": "18:00", "ends_at": "18:00"},
                "ends_at",
                "The end time must be after the start time.",
            ),
            (
                {"starts_at": "18:00", "ends_at": "21:00"},
                "weekdays",
                "Tick at least one weekday when you give the times.",
            ),
            (
                {"weekdays": ["mon"], "starts_at": "18:00"},
                "ends_at",
                "Give both the start and the end time, or neither.",
            ),
            (
                {"weekdays": ["mon"], "ends_at": "21:00"},
                "starts_at",
                "Give both the start and the end time, or neither.",
            ),
            (
                {"time_of_day": ""},
                "time_of_day",
                "Choose a time of day, or give the start and end times.",
            ),
            (
                {"weekdays": ["mon", "wed"], "days_per_week_min": "2", "days_per_week_max": "3"},
                "days_per_week_max",
                "It meets on 2 weekdays, so days per week can be at most 2.",
            ),
        ],
    )
    def test_a_track_that_cannot_be_right_is_refused_with_a_clear_message(
        self, curator_client, changes, field, message
    ):
        program = make_program(
            tracks=[{"days_per_week_min": 1, "days_per_week_max": 1}], name="Steady IOP"
        )
        data = form_data(curator_client.get(change_url(program)))
        data.update({f"tracks-0-{name}": value for name, value in changes.items()})
        response = curator_client.post(change_url(program), data)
        assert response.status_code == 200
        formset = response.context["inline_admin_formsets"][0].formset
        assert formset.errors[0] == {field: [message]}
        assert message in response.content.decode()
        track = program.tracks.get()
        assert (track.weekdays, track.starts_at, track.ends_at) == ([], None, None)


def a_program_with_clock_times(**fields):
    return make_program(
        name="Harbor Evening IOP",
        tracks=[
            MON_WED_THU_EVENINGS,
            {
                "name": "Day track",
                "time_of_day": "",
                "weekdays": ["mon", "tue", "wed", "thu", "fri"],
                "starts_at": time(9),
                "ends_at": time(12),
                "days_per_week_min": 5,
                "days_per_week_max": 5,
            },
            {"name": "Older track", "time_of_day": "afternoon", "weekend": True},
        ],
        **fields,
    )


class TestPages:
    def test_the_program_page_says_the_days_and_times_in_english(self, client):
        program = a_program_with_clock_times()
        text = text_of(client.get(reverse("programs:detail", args=[program.pk])))
        assert "Evening track Mon, Wed, Thu · 6 p.m.–9 p.m. 3 " in text
        assert "Day track Mon–Fri · 9 a.m.–noon 5 " in text
        assert "Older track Afternoon, weekends 3 " in text
        assert "Times of day Mornings, afternoons, evenings, weekends" in text

    def test_clock_times_are_kept_on_one_line(self, client):
        program = a_program_with_clock_times()
        page = client.get(reverse("programs:detail", args=[program.pk])).content.decode()
        nbsp, join = "\N{NO-BREAK SPACE}", "\N{WORD JOINER}"
        assert f"Mon, Wed, Thu{nbsp}· 6{nbsp}p.m.{join}–{join}9{nbsp}p.m." in page

    def test_the_program_page_says_the_days_and_times_in_spanish(self, client):
        program = a_program_with_clock_times()
        response = client.get(
            reverse("programs:detail", args=[program.pk]), HTTP_ACCEPT_LANGUAGE="es"
        )
        text = text_of(response)
        assert "lun, mié, jue · 18:00–21:00" in text
        assert "lun–vie · 09:00–12:00" in text
        assert "6 p.m." not in text

    def test_compare_lists_each_tracks_days_and_times(self, client):
        first = a_program_with_clock_times()
        second = make_program(name="Bay IOP")
        ids = f"{first.pk},{second.pk}"
        page = client.get(reverse("programs:compare"), {"ids": ids}).content.decode()
        row = re.search(r'<th scope="row">Days and times</th>(.*?)</tr>', page, re.S).group(1)
        cells = re.findall(r"<td>(.*?)</td>", row, re.S)
        assert [readable(re.sub(r"<[^>]+>", "|", cell)) for cell in cells] == [
            "||Evening track: Mon, Wed, Thu · 6 p.m.–9 p.m.||Day track: Mon–Fri · 9 a.m.–noon|"
            "|Older track: Afternoon, weekends||",
            "Not yet verified",
        ]
        spanish = client.get(reverse("programs:compare"), {"ids": ids}, HTTP_ACCEPT_LANGUAGE="es")
        assert "Evening track: lun, mié, jue · 18:00–21:00" in readable(spanish.content.decode())


class TestApi:
    def test_each_track_gives_its_weekdays_and_clock_times(self, client):
        program = a_program_with_clock_times()
        tracks = client.get(f"/api/programs/{program.pk}/").json()["tracks"]
        by_name = {track["name"]: track for track in tracks}
        evening = by_name["Evening track"]
        assert evening["weekdays"] == ["mon", "wed", "thu"]
        assert (evening["starts_at"], evening["ends_at"]) == ("18:00", "21:00")
        assert (evening["time_of_day"], evening["weekend"]) == ("evening", False)
        assert evening["days_per_week"] == {"min": 3.0, "max": 3.0}
        older = by_name["Older track"]
        assert (older["weekdays"], older["starts_at"], older["ends_at"]) == ([], None, None)
        assert (older["time_of_day"], older["weekend"]) == ("afternoon", True)

    def test_the_schema_documents_the_track_fields(self, client):
        schema = client.get("/api/schema/").json()
        program = schema["components"]["schemas"]["Program"]["allOf"][1]["properties"]
        track = program["tracks"]["items"]["properties"]
        assert track["weekdays"]["items"]["enum"] == list(meeting_times.WEEKDAYS)
        assert track["starts_at"]["example"] == "18:00"
        assert "ends_at" in track
        assert "evening from 17:00" in track["time_of_day"]["description"]
