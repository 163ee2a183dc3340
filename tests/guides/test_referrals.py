"""The shortlist, referral statuses with their history, the caller list and the dashboard."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guides import services
from guides.models import Referral
from tests.factories import make_program
from tests.guides.conftest import make_caller, signed_in

pytestmark = pytest.mark.django_db


def shortlist(client, caller, program):
    return client.post(
        reverse("guides:shortlist_add", kwargs={"pk": caller.pk}), {"program": program.pk}
    )


def update(client, referral, **fields):
    data = {f"referral-{referral.pk}-{name}": value for name, value in fields.items()}
    url = reverse(
        "guides:referral_update", kwargs={"pk": referral.caller_id, "referral_pk": referral.pk}
    )
    return client.post(url, data)


def test_adding_a_program_to_the_shortlist_suggests_it_once(guide, caller):
    program = make_program(name="Evening IOP")
    client = signed_in(guide)
    shortlist(client, caller, program)
    shortlist(client, caller, program)
    referral = Referral.objects.get()
    assert (referral.caller, referral.program, referral.status) == (caller, program, "suggested")
    assert [(e.status, e.guide) for e in referral.events.all()] == [("suggested", guide)]


def test_a_draft_or_unknown_program_cannot_be_shortlisted(guide, caller):
    client = signed_in(guide)
    draft = make_program(status="draft")
    for value in [draft.pk, 999999, "not a number", ""]:
        response = client.post(
            reverse("guides:shortlist_add", kwargs={"pk": caller.pk}), {"program": value}
        )
        assert response.status_code == 302
    assert not Referral.objects.exists()


def test_each_status_change_is_an_event_with_time_guide_and_note(guide, other_guide, caller):
    referral, _ = services.add_to_shortlist(guide=guide, caller=caller, program=make_program())
    follow_up = timezone.localdate() + timedelta(days=2)

    update(
        signed_in(guide),
        referral,
        status="contacted",
        follow_up_on=follow_up.isoformat(),
        note="Left a voicemail",
    )
    update(
        signed_in(other_guide), referral, status="admitted", follow_up_on="", note="Starts Monday"
    )

    referral.refresh_from_db()
    assert referral.status == "admitted"
    assert referral.follow_up_on is None
    history = [(e.status, e.guide, e.note) for e in referral.events.all()]
    assert history == [
        ("suggested", guide, ""),
        ("contacted", guide, "Left a voicemail"),
        ("admitted", other_guide, "Starts Monday"),
    ]
    assert all(e.at is not None for e in referral.events.all())


def test_a_bad_status_is_a_message_and_changes_nothing(guide, caller):
    referral, _ = services.add_to_shortlist(guide=guide, caller=caller, program=make_program())
    response = update(signed_in(guide), referral, status="teleported", follow_up_on="tomorrow")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == "suggested" and referral.events.count() == 1


def test_caller_list_filters_mine_open_and_follow_up_due(guide, other_guide):
    today = timezone.localdate()
    mine_due = make_caller(guide=guide, alias="Mine with a follow-up due")
    mine_closed = make_caller(guide=guide, alias="Mine, admitted")
    theirs_open = make_caller(guide=other_guide, alias="Theirs, open")
    due, _ = services.add_to_shortlist(guide=guide, caller=mine_due, program=make_program())
    services.update_referral(
        guide=guide, referral=due, status="contacted", follow_up_on=today, note=""
    )
    closed, _ = services.add_to_shortlist(guide=guide, caller=mine_closed, program=make_program())
    services.update_referral(
        guide=guide, referral=closed, status="admitted", follow_up_on=today, note=""
    )
    services.add_to_shortlist(guide=other_guide, caller=theirs_open, program=make_program())

    def shown(**params):
        response = signed_in(guide).get(reverse("guides:callers"), params)
        page = response.content.decode()
        return {c.alias for c in (mine_due, mine_closed, theirs_open) if c.alias in page}

    assert shown() == {mine_due.alias, mine_closed.alias, theirs_open.alias}
    assert shown(mine="on") == {mine_due.alias, mine_closed.alias}
    assert shown(open_referrals="on") == {mine_due.alias, theirs_open.alias}
    assert shown(follow_up_due="on") == {mine_due.alias}
    assert shown(mine="on", open_referrals="on") == {mine_due.alias}


def test_dashboard_shows_follow_ups_due_apart_from_those_coming_up(guide):
    today = timezone.localdate()
    for alias, when in [("Overdue", -3), ("Today", 0), ("Next week", 7), ("Next month", 30)]:
        caller = make_caller(guide=guide, alias=f"{alias} caller")
        referral, _ = services.add_to_shortlist(guide=guide, caller=caller, program=make_program())
        services.update_referral(
            guide=guide,
            referral=referral,
            status="referred",
            follow_up_on=today + timedelta(days=when),
            note="",
        )
    page = signed_in(guide).get(reverse("guides:dashboard")).content.decode()
    due = page.split("Your follow-ups due today or overdue")[1].split(
        "Your follow-ups in the next"
    )[0]
    ahead = page.split("Your follow-ups in the next 14 days")[1].split("Your recent callers")[0]
    assert "Overdue caller" in due and "overdue" in due
    assert "Today caller" in due
    assert "Next week caller" not in due and "Next week caller" in ahead
    assert "Today caller" not in ahead and "overdue" not in ahead
    assert "Next month caller" not in due + ahead


def test_a_returning_caller_is_found_by_alias_phone_or_record_number(guide, other_guide):
    rosalind = make_caller(guide=guide, alias="Rosalind", phone="510-555-0199")
    marie = make_caller(guide=other_guide, alias="Marie Curie", phone="(415) 555 0123")

    def found(text):
        response = signed_in(guide).post(reverse("guides:callers"), {"q": text})
        page = response.content.decode()
        return {c.alias for c in (rosalind, marie) if c.alias in page}

    assert found("rosalind") == {"Rosalind"}
    assert found("  MARIE   curie ") == {"Marie Curie"}
    # A phone number as caller ID, a person or a note writes it.
    assert found("5105550199") == {"Rosalind"}
    assert found("+1 510 555 0199") == {"Rosalind"}
    assert found("510.555.0199 ext. 12") == {"Rosalind"}
    assert found("415-555-0123") == {"Marie Curie"}
    assert found(f"#{marie.pk}") == {"Marie Curie"}
    assert found("nobody") == set()
    assert found("rosa") == set()  # whole aliases only: nothing searchable is stored
    assert found("9" * 30) == set()  # not a record number a database could hold
    assert found("") == {"Rosalind", "Marie Curie"}


def test_finding_a_caller_puts_nothing_in_the_address(guide):
    make_caller(guide=guide, alias="Rosalind", phone="510-555-0199")
    page = signed_in(guide).get(reverse("guides:callers"), {"q": "Rosalind"})
    assert 'method="post"' in page.content.decode()
    # A look-up left in an address (an old bookmark) is not run.
    assert signed_in(guide).get(reverse("guides:callers"), {"q": "nobody"}).context["callers"], (
        "the whole list, not the look-up"
    )
