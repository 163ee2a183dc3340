"""A guide who calls a program reports what it said in one step, from the call page: its
availability changes on the listing at once, schedule and cost changes go to the curators,
and nothing about the caller goes anywhere."""

import html
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone

from corrections.models import CorrectionReport
from guides import services
from guides.models import AuditEntry
from programs.models import Program
from tests.factories import make_program
from tests.guides.conftest import signed_in

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def item(response, anchor: str) -> str:
    """One match or referral of the call page, as HTML."""
    page = response.content.decode()
    start = page.index(f'id="{anchor}"')
    ends = [page.find(end, start) for end in ('<li class="match"', "<article", "</section>")]
    return page[start : min(end for end in ends if end > 0)]


def next_march_3() -> date:
    today = timezone.localdate()
    this_year = date(today.year, 3, 3)
    return this_year if this_year > today else date(today.year + 1, 3, 3)


@pytest.fixture
def program():
    return make_program(
        name="Lakeside Evening IOP",
        payments=["medicaid"],
        tracks=[{}],
        accepting_new_clients=True,
        availability_as_of=timezone.localdate() - timedelta(days=10),
        availability_source="program",
    )


def report(client, caller, program, anchor=None, **said):
    anchor = anchor or f"match-{program.pk}"
    data = {"program": program.pk, "anchor": anchor}
    data.update({f"{anchor}-{name}": value for name, value in said.items()})
    return client.post(reverse("guides:report_back", kwargs={"pk": caller.pk}), data)


FULL_UNTIL_MARCH = {
    "accepting": "no",
    "wait_days": "20",
    "schedule_changes": "Now runs a Saturday group",
}


def test_a_guides_report_shows_on_the_public_page_at_once(client, guide, caller, program):
    response = report(
        signed_in(guide), caller, program, next_intake=next_march_3(), **FULL_UNTIL_MARCH
    )

    call_page = reverse("guides:call", kwargs={"pk": caller.pk})
    assert response.status_code == 302
    assert response["Location"] == f"{call_page}?reported=match-{program.pk}#match-{program.pk}"
    text = page_text(client.get(reverse("programs:detail", args=[program.pk])))
    assert (
        "New clients Not accepting new clients right now — confirmed today by a recovery "
        "guide's call" in text
    )
    assert f"Next intake {formats.date_format(next_march_3())} " in text
    assert "Wait time About 20 days" in text
    program.refresh_from_db()
    assert program.availability_source == "guide"
    latest = program.history.latest()
    assert latest.history_user == guide
    assert latest.accepting_new_clients is False


def test_schedule_and_cost_changes_wait_for_a_curator_with_nothing_about_the_caller(
    guide, caller, program
):
    audited = AuditEntry.objects.count()

    report(
        signed_in(guide),
        caller,
        program,
        next_intake=next_march_3(),
        cost_changes="$60 a session now",
        **FULL_UNTIL_MARCH,
    )

    reports = {r.problem: r for r in CorrectionReport.objects.all()}
    assert set(reports) == {"schedule", "cost"}
    schedule = reports["schedule"]
    assert schedule.program == program and schedule.status == "new"
    assert schedule.details == "From a recovery guide's call: Now runs a Saturday group"
    assert reports["cost"].details == "From a recovery guide's call: $60 a session now"
    program.refresh_from_db()
    assert program.tracks.count() == 1 and program.cost_per_session_min is None  # not yet
    # Nothing of the caller in the reports or the listing's history.
    caller_words = [caller.alias, caller.phone, caller.notes, caller.zip_code, f"#{caller.pk}"]
    kept = [r.details for r in reports.values()] + [r.contact_email for r in reports.values()]
    latest = program.history.latest()
    kept += [str(latest.history_change_reason), str(latest.history_user)]
    assert not [word for word in caller_words if any(word in text for text in kept)]
    assert AuditEntry.objects.count() == audited  # about a program: no caller audit entry


def test_only_what_was_said_changes(guide, caller, program):
    before = program.history.count()

    response = report(signed_in(guide), caller, program, cost_changes="Free for veterans now")

    assert response.status_code == 302
    program.refresh_from_db()
    assert program.accepting_new_clients is True  # they did not say: left as it was
    assert program.availability_source == "program"
    assert program.history.count() == before
    assert [r.problem for r in CorrectionReport.objects.all()] == ["cost"]


def test_the_call_page_shows_the_result_where_the_guide_reported_it(guide, caller, program):
    client = signed_in(guide)
    response = report(client, caller, program, next_intake=next_march_3(), **FULL_UNTIL_MARCH)

    match = item(client.get(response["Location"]), f"match-{program.pk}")

    assert "Saved." in match and 'role="status"' in match
    assert "Not accepting new clients right now — confirmed today by a recovery guide" in match
    viewed = AuditEntry.objects.filter(caller_id=caller.pk, action="view", actor=guide)
    assert viewed.count() == 1  # opening the call page is still audited


def test_from_a_referral_it_returns_to_the_referral(guide, caller, program):
    referral, _ = services.add_to_shortlist(guide=guide, caller=caller, program=program)
    client = signed_in(guide)
    anchor = f"referral-{referral.pk}"

    response = report(client, caller, program, anchor=anchor, accepting="yes", wait_days="0")

    assert response["Location"].endswith(f"?reported={anchor}#{anchor}")
    referred = item(client.get(response["Location"]), anchor)
    assert "Saved." in referred
    assert "Accepting new clients — confirmed today" in referred and "No wait" in referred
    program.refresh_from_db()
    assert (program.accepting_new_clients, program.wait_time_days) == (True, 0)


def test_the_form_warns_against_writing_about_the_caller(guide, caller, program):
    page = signed_in(guide).get(reverse("guides:call", kwargs={"pk": caller.pk}))
    text = page_text(page)
    assert "What did the program say? : Lakeside Evening IOP" in text
    assert text.count("Do not write anything about the caller") == 2  # schedule and cost


@pytest.mark.parametrize("role", ["curator", "staff_without_role"])
def test_only_guides_can_report(request, role, caller, program):
    response = report(signed_in(request.getfixturevalue(role)), caller, program, accepting="no")
    assert response.status_code == 403
    program.refresh_from_db()
    assert program.accepting_new_clients is True
    assert not CorrectionReport.objects.exists()


def test_a_visitor_is_sent_to_sign_in(caller, program):
    response = report(signed_in(None), caller, program, accepting="no")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Program.objects.get().accepting_new_clients is True


@pytest.mark.parametrize(
    ("said", "message"),
    [
        (
            {"accepting": "no", "next_intake": "2020-01-01"},
            "The next intake cannot be in the past.",
        ),
        ({"accepting": "no", "wait_days": "-3"}, "Enter the wait as a whole number of days."),
        ({"accepting": "no", "wait_days": "soon"}, "Enter the wait as a whole number of days."),
        ({"accepting": "maybe"}, "Select a valid choice."),
        (
            {"wait_days": "20", "schedule_changes": "Saturday group"},
            "Say whether they are taking new clients, with the next intake or the wait.",
        ),
        ({}, "Nothing to save: say whether they take new clients, or what changed."),
    ],
)
def test_bad_input_says_what_is_wrong_and_writes_nothing(guide, caller, program, said, message):
    before = program.history.count()

    response = report(signed_in(guide), caller, program, **said)

    assert response.status_code == 400
    text = page_text(response)
    assert message in text
    assert "Please check the answers marked below." in text
    assert "<details open>" in item(response, f"match-{program.pk}")
    program.refresh_from_db()
    assert program.accepting_new_clients is True and program.history.count() == before
    assert not CorrectionReport.objects.exists()


def test_a_program_no_longer_listed_is_refused(guide, caller, program):
    Program.objects.filter(pk=program.pk).update(status=Program.Status.ARCHIVED)
    client = signed_in(guide)

    response = report(client, caller, program, accepting="no")

    assert response.status_code == 302
    assert "That program is no longer listed" in page_text(client.get(response["Location"]))
    assert not CorrectionReport.objects.exists()


def test_an_unknown_caller_record_is_not_found(guide, program):
    client = signed_in(guide)
    url = reverse("guides:report_back", kwargs={"pk": 999999})
    response = client.post(url, {"program": program.pk, f"match-{program.pk}-accepting": "no"})
    assert response.status_code == 404
    assert Program.objects.get().accepting_new_clients is True
