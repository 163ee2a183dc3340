"""Passing a program or a shortlist on by text message or email, and directions to it: what
the person sends, and the links that open their own apps with it (programs/sharing.py)."""

from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from programs import questions, sharing
from tests.factories import make_program, make_provider, make_site

pytestmark = pytest.mark.django_db

PAGE = "https://iopfinder.example/programs/7/"


def harbor(**fields):
    fields.setdefault("site", make_site(address="1200 Broadway", city="Oakland", zip_code="94612"))
    return make_program(name="Harbor Evening IOP", phone="(510) 555-0134", **fields)


def sms_body(href: str) -> str:
    prefix = "sms:?&body="
    assert href.startswith(prefix)
    encoded = href.removeprefix(prefix)
    assert not set(encoded) & set(" \n&?#"), "the body must be percent-encoded"
    return unquote(encoded)


def email_fields(href: str) -> dict[str, str]:
    parts = urlsplit(href)
    assert (parts.scheme, parts.path) == ("mailto", "")
    assert "+" not in parts.query, "spaces are %20 in a mailto: link (RFC 6068), not +"
    return {name: values[0] for name, values in parse_qs(parts.query).items()}


def test_a_program_is_sent_with_its_name_phone_address_and_page():
    message = sharing.program_message(harbor(), url=PAGE)
    assert message.subject == "Harbor Evening IOP"
    assert message.text == (
        "Harbor Evening IOP\nPhone: (510) 555-0134\n1200 Broadway, Oakland, CA 94612"
    )
    assert message.body == message.text + "\n" + PAGE


def test_the_text_message_link_carries_the_whole_message():
    message = sharing.program_message(harbor(), url=PAGE)
    assert sms_body(message.sms_href) == message.body


def test_the_email_link_carries_subject_and_body_with_crlf_line_breaks():
    message = sharing.program_message(harbor(), url=PAGE)
    fields = email_fields(message.email_href)
    assert fields["subject"] == "Harbor Evening IOP"
    assert fields["body"] == message.body.replace("\n", "\r\n")
    assert "%0D%0A" in message.email_href


def test_characters_that_mean_something_in_a_link_are_encoded():
    site = make_site(address="12 Oak & Elm #3", city="Oakland", zip_code="94612")
    program = make_program(name="Rise + Shine?", site=site, phone="510-555-0100")
    message = sharing.program_message(program, url=PAGE)
    assert sms_body(message.sms_href).startswith("Rise + Shine?\n")
    assert email_fields(message.email_href)["subject"] == "Rise + Shine?"
    assert "12 Oak & Elm #3, Oakland" in email_fields(message.email_href)["body"]


def test_without_a_street_address_the_city_is_sent():
    program = make_program(name="Quiet IOP", site=make_site(city="Fresno", zip_code="93721"))
    assert sharing.program_message(program, url=PAGE).text.endswith("\nFresno, CA 93721")


def test_a_program_without_a_phone_is_sent_without_that_line():
    program = make_program(name="Quiet IOP", phone="")
    assert "Phone" not in sharing.program_message(program, url=PAGE).text


def test_the_provider_phone_is_sent_when_the_program_has_none():
    provider = make_provider(phone="415-555-0199")
    program = make_program(name="Bay IOP", phone="", site=make_site(provider=provider))
    assert "Phone: 415-555-0199" in sharing.program_message(program, url=PAGE).text


def test_a_shortlist_is_sent_as_each_program_then_the_whole_list():
    first = harbor()
    second = make_program(name="Bay Day Program", phone="415-555-0111")
    pages = [(first, "https://x.example/programs/1/"), (second, "https://x.example/programs/2/")]
    list_url = "https://x.example/shortlist/?ids=1,2"
    message = sharing.shortlist_message(pages, url=list_url)
    assert message.subject == "Treatment programs to look at"
    assert message.body == (
        "Treatment programs from IOP Finder:\n\n"
        "Harbor Evening IOP\nPhone: (510) 555-0134\nhttps://x.example/programs/1/\n\n"
        "Bay Day Program\nPhone: 415-555-0111\nhttps://x.example/programs/2/\n\n"
        "All of them on one page:\n" + list_url
    )
    assert sms_body(message.sms_href) == message.body
    assert email_fields(message.email_href)["body"] == message.body.replace("\n", "\r\n")


def test_directions_go_to_the_street_address():
    url = sharing.directions_url(harbor())
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.google.com", "/maps/dir/")
    assert parse_qs(parts.query) == {
        "api": ["1"],
        "destination": ["1200 Broadway, Oakland, CA 94612"],
    }


def test_without_a_street_address_directions_go_to_the_zip_code_area():
    program = make_program(site=make_site(city="Fresno", zip_code="93721", latitude=36.7))
    destination = parse_qs(urlsplit(sharing.directions_url(program)).query)["destination"]
    assert destination == ["Fresno, CA 93721"]


def test_telehealth_only_programs_have_no_directions():
    assert sharing.directions_url(make_program(format="telehealth")) == ""
    assert sharing.directions_url(make_program(format="both")) != ""


# The questions to ask when calling (programs/questions.py): plain data with its source.


def test_the_questions_name_their_source():
    assert questions.SOURCE["title"] == "NIAAA Alcohol Treatment Navigator"
    assert questions.SOURCE["url"] == "https://alcoholtreatment.niaaa.nih.gov/"
    assert questions.SOURCE["page"].startswith(questions.SOURCE["url"])


def test_there_are_ten_questions_each_with_a_topic_and_a_question_mark():
    assert len(questions.QUESTIONS) == 10
    for entry in questions.QUESTIONS:
        assert set(entry) == {"topic", "question"}
        assert entry["topic"] and entry["question"].endswith("?")


@pytest.mark.parametrize(
    "words",
    [
        "new clients",
        "insurance",
        "licensed",
        "assessment",
        "plan",
        "research",
        "medication",
        "family",
        "again",
        "progress",
    ],
)
def test_the_questions_cover_what_the_navigator_asks_about(words):
    assert any(words in entry["question"] for entry in questions.QUESTIONS)
