"""After the call the guide sends the caller their list, by email or as text to copy into a
text message, each time with the caller's agreement; the audit log records the channel,
never the address or the list."""

import html
import json

import pytest
from django.core import mail
from django.urls import reverse

from guides import services
from guides.models import AuditEntry, Referral
from tests.factories import make_program, make_provider, make_site
from tests.guides.conftest import make_caller, signed_in

pytestmark = pytest.mark.django_db

ADDRESS = "rosalind@example.org"


@pytest.fixture
def programs(caller, guide):
    """Two programs on the caller's shortlist (one with only its provider's phone), one
    declined, and one on another caller's shortlist."""
    lakeside = make_program(
        name="Lakeside Evening IOP",
        phone="510-555-0142 x12",
        site=make_site(address="12 Harbor Way", city="Oakland"),
    )
    uptown = make_program(
        name="Uptown Day PHP",
        level_of_care="php",
        site=make_site(provider=make_provider(phone="415-555-0100"), city="Berkeley"),
    )
    declined = make_program(name="Hillside Declined IOP")
    elsewhere = make_program(name="Somebody Else's IOP")
    for program in (lakeside, uptown, declined):
        services.add_to_shortlist(guide=guide, caller=caller, program=program)
    referral = Referral.objects.get(caller=caller, program=declined)
    services.update_referral(
        guide=guide, referral=referral, status="declined", follow_up_on=None, note=""
    )
    other = make_caller(guide=guide, alias="Someone else")
    services.add_to_shortlist(guide=guide, caller=other, program=elsewhere)
    return {"lakeside": lakeside, "uptown": uptown}


def send(client, caller, channel, **fields):
    data = {"channel": channel}
    data.update({f"send-{channel}-{name}": value for name, value in fields.items()})
    return client.post(reverse("guides:send_list", kwargs={"pk": caller.pk}), data)


def expected_lines(programs) -> list[str]:
    lakeside, uptown = programs["lakeside"], programs["uptown"]
    return [
        "Lakeside Evening IOP (Intensive outpatient (IOP))",
        "Phone: 510-555-0142 x12",
        "12 Harbor Way, Oakland, CA",
        f"http://testserver/programs/{lakeside.pk}/",
        "Uptown Day PHP (Partial hospitalization (PHP))",
        "Phone: 415-555-0100",
        "Berkeley, CA",
        f"http://testserver/programs/{uptown.pk}/",
        "988 Suicide & Crisis Lifeline: Call or text 988",
        "SAMHSA National Helpline: Call 1-800-662-4357",
        "Emergency: Call 911",
    ]


def copy_text(response) -> str:
    page = response.content.decode()
    start = page.index(">", page.index('<textarea id="send-list-text"')) + 1
    return html.unescape(page[start : page.index("</textarea>", start)])


def test_the_list_is_emailed_with_each_program_and_the_crisis_lines(guide, caller, programs):
    response = send(signed_in(guide), caller, "email", email=ADDRESS, consent="on")

    assert response.status_code == 302
    assert response["Location"].endswith(f"/callers/{caller.pk}/?sent=email#send-list")
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [ADDRESS]
    assert sent.subject == "Your programs from IOP Finder"
    lines = [line.strip() for line in sent.body.splitlines()]
    for line in expected_lines(programs):
        assert line in lines


def test_only_the_callers_own_open_referrals_are_listed(guide, caller, programs):
    send(signed_in(guide), caller, "email", email=ADDRESS, consent="on")

    body = mail.outbox[0].body
    assert "Lakeside Evening IOP" in body
    assert "Hillside Declined IOP" not in body
    assert "Somebody Else's IOP" not in body


def test_the_copy_text_on_the_call_page_has_the_same_lines(guide, caller, programs):
    client = signed_in(guide)
    text = copy_text(client.get(reverse("guides:call", kwargs={"pk": caller.pk})))
    send(client, caller, "email", email=ADDRESS, consent="on")

    lines = [line.strip() for line in text.splitlines()]
    for line in expected_lines(programs):
        assert line in lines
    assert "Somebody Else's IOP" not in text
    assert text == mail.outbox[0].body


@pytest.mark.parametrize("channel", ["email", "text"])
def test_nothing_is_sent_without_the_callers_agreement(guide, caller, programs, channel):
    response = send(signed_in(guide), caller, channel, email=ADDRESS)

    assert response.status_code == 400
    medium = "email" if channel == "email" else "text message"
    assert f"Tick that the caller agreed to receive their list by {medium}." in (
        response.content.decode()
    )
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.SEND).exists()


@pytest.mark.parametrize("address", ["rosalind@", "not an address", ""])
def test_a_bad_email_address_is_refused(guide, caller, programs, address):
    response = send(signed_in(guide), caller, "email", email=address, consent="on")

    assert response.status_code == 400
    page = response.content.decode()
    assert (
        "Enter the caller&#x27;s email address." in page
        if not address
        else "Enter a valid email address, like name@example.com." in page
    )
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.SEND).exists()


@pytest.mark.parametrize("channel", ["email", "text"])
def test_the_audit_records_the_channel_never_the_address_or_the_list(
    guide, caller, programs, channel
):
    response = send(signed_in(guide), caller, channel, email=ADDRESS, consent="on")

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditEntry.Action.SEND)
    assert (entry.actor, entry.caller_id, entry.fields) == (guide, caller.pk, [channel])
    stored = json.dumps(list(AuditEntry.objects.values()), default=str)
    for secret in (ADDRESS, "Lakeside Evening IOP", "510-555-0142", "Harbor Way"):
        assert secret not in stored


def test_texting_the_list_sends_no_email_and_the_page_says_it_was_recorded(guide, caller, programs):
    client = signed_in(guide)
    response = send(client, caller, "text", consent="on")

    assert response["Location"].endswith(f"/callers/{caller.pk}/?sent=text#send-list")
    assert mail.outbox == []
    page = client.get(response["Location"]).content.decode()
    assert "The list was sent by text message." in page


def test_the_page_says_the_email_went_without_showing_the_address(guide, caller, programs):
    client = signed_in(guide)
    response = send(client, caller, "email", email=ADDRESS, consent="on")

    page = client.get(response["Location"]).content.decode()
    assert "The list went to the email address they gave." in page
    assert ADDRESS not in page


def test_someone_who_is_not_a_guide_cannot_send(curator, caller, programs):
    response = send(signed_in(curator), caller, "email", email=ADDRESS, consent="on")

    assert response.status_code == 403
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.SEND).exists()


def test_an_unknown_channel_is_refused(guide, caller, programs):
    response = send(signed_in(guide), caller, "pigeon", consent="on")

    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.SEND).exists()


def test_an_email_that_cannot_go_out_is_reported_and_not_audited(guide, caller, programs, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9

    response = send(signed_in(guide), caller, "email", email=ADDRESS, consent="on")

    assert response.status_code == 400
    assert "The email could not be sent." in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.SEND).exists()
