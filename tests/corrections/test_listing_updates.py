"""A program's staff update its own listing: the form (no account), a one-time link by email,
and a curator who accepts or rejects each change; accepted changes reach the listing together."""

import re
import smtplib
from datetime import time, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from corrections import limits, update_selectors, update_services, updates
from corrections.models import ListingUpdate
from guides.roles import CURATORS
from programs import services as program_services
from programs.models import PaymentKind, Program, Provider, VerificationSource
from tests.factories import make_program, make_site

pytestmark = pytest.mark.django_db

SENDER = {
    "sender_name": "Jo Rivera",
    "sender_role": "Intake coordinator",
    "sender_email": "jo@harborhealth.org",
}


class FormValues(HTMLParser):
    """The values a browser would post from the page's form: inputs, ticked boxes, chosen
    options and text areas, as rendered."""

    def __init__(self):
        super().__init__()
        self.values, self._select, self._textarea = {}, None, None

    def _add(self, name, value):
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if attrs.get("type") in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self._add(name, attrs.get("value", "on"))
            else:
                self._add(name, attrs.get("value") or "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value", ""))
        elif tag == "textarea":
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][-1] += data.strip()


def form_url(program):
    return reverse("listing_updates:form", args=[program.pk])


def prefilled(client, program) -> dict:
    response = client.get(form_url(program))
    assert response.status_code == 200
    parser = FormValues()
    parser.feed(response.content.decode())
    return parser.values


def pks(slugs):
    return [
        str(pk) for pk in PaymentKind.objects.filter(slug__in=slugs).values_list("pk", flat=True)
    ]


@pytest.fixture
def program():
    site = make_site(provider=Provider.objects.create(name="Harbor Health"))
    return make_program(
        name="Harbor Evening IOP",
        site=site,
        website="https://www.harborhealth.org/iop",
        phone="510-555-0134",
        tracks=[
            {
                "name": "Evening",
                "weekdays": ["mon", "wed", "thu"],
                "starts_at": time(18),
                "ends_at": time(21),
            }
        ],
        cost_per_session_min=Decimal("150"),
        cost_per_session_max=Decimal("250"),
        payments=["medicaid"],
        last_verified_on=timezone.localdate() - timedelta(days=90),
    )


@pytest.fixture
def curator():
    user = User.objects.create_user("cora", "cora@iopfinder.example", is_staff=True)
    user.groups.add(Group.objects.get(name=CURATORS))
    return user


def submit(client, program, **changes):
    data = {**prefilled(client, program), **SENDER, **changes}
    return client.post(form_url(program), data)


def link_in(message) -> str:
    return re.search(r"https?://\S+/programs/updates/confirm/\S+/", message.body).group(0)


def confirmed_update(client, program, **changes) -> ListingUpdate:
    response = submit(client, program, **changes)
    assert response.status_code == 302
    client.post(link_in(mail.outbox[-1]))
    update = ListingUpdate.objects.latest("id")
    assert update.status == ListingUpdate.Status.NEW
    return update


# --- The form -----------------------------------------------------------------------------


def test_the_program_page_links_to_the_update_form(client, program):
    page = client.get(reverse("programs:detail", args=[program.pk])).content.decode()
    assert f'href="{form_url(program)}"' in page
    assert "Is this your program? Update this listing" in page


def test_the_form_shows_what_the_listing_says_now(client, program):
    values = prefilled(client, program)
    assert values["cost_per_session_min"] == ["150.00"]
    assert values["cost_per_session_max"] == ["250.00"]
    assert values["phone"] == ["510-555-0134"]
    assert values["website"] == ["https://www.harborhealth.org/iop"]
    assert values["payment_kinds"] == pks(["medicaid"])
    assert values["track-TOTAL_FORMS"] == ["2"]  # the program's one track and a blank one
    assert values["track-0-weekdays"] == ["mon", "wed", "thu"]
    assert values["track-0-starts_at"] == ["18:00"]
    assert values["track-0-ends_at"] == ["21:00"]
    assert values["track-1-name"] == [""]
    # No account, no password.
    assert not any("password" in name for name in values)


def test_an_unpublished_program_has_no_update_form(client, program):
    program.status = Program.Status.ARCHIVED
    program.save()
    assert client.get(form_url(program)).status_code == 404


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"cost_per_session_min": "300", "cost_per_session_max": "200"},
            "The upper amount must be at least the lower amount.",
        ),
        ({"track-0-ends_at": "17:00"}, "The end time must be after the start time."),
        ({"track-0-weekdays": []}, "Tick the days this track meets."),
        ({"sender_email": "jo at harbor"}, "Enter an email address like name@example.com."),
        ({"sender_name": ""}, "This field is required."),
        ({"website": "not a web address"}, "Enter a web address like https://example.org."),
        ({"wait_time_days": "-3"}, "Ensure this value is greater than or equal to 0."),
    ],
)
def test_a_bad_value_gets_a_clear_message_and_nothing_is_stored(client, program, changes, message):
    response = submit(client, program, phone="510-555-0199", **changes)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Please check" in page
    assert not ListingUpdate.objects.exists()
    assert mail.outbox == []
    # What was typed is shown again, to fix.
    assert 'value="510-555-0199"' in page


def test_sending_the_listing_unchanged_is_refused(client, program):
    response = submit(client, program)
    assert response.status_code == 400
    assert "Nothing here differs from the listing yet." in response.content.decode()
    assert not ListingUpdate.objects.exists()


# --- The one-time link --------------------------------------------------------------------


def test_a_valid_update_is_kept_unconfirmed_and_emails_a_one_time_link(client, program):
    response = submit(client, program, phone="510-555-0199", cost_notes="Sliding scale")
    assert response.status_code == 302
    assert response["Location"] == reverse("listing_updates:sent", args=[program.pk])
    assert "Check your email" in client.get(response["Location"]).content.decode()
    update = ListingUpdate.objects.get()
    assert update.status == ListingUpdate.Status.UNCONFIRMED
    assert update.changes == {"cost_notes": "Sliding scale", "phone": "510-555-0199"}
    assert (update.sender_name, update.sender_role) == ("Jo Rivera", "Intake coordinator")
    [message] = mail.outbox
    assert message.to == ["jo@harborhealth.org"]
    assert "Harbor Evening IOP" in message.subject
    link = link_in(message)
    token = link.rstrip("/").rpartition("/")[2]
    # Only the token's hash is kept.
    assert update.token_hash == update_selectors.token_hash(token) != token
    assert token not in str(ListingUpdate.objects.values().get())
    # Nothing changed on the listing yet.
    program.refresh_from_db()
    assert program.phone == "510-555-0134"


def test_the_link_confirms_once(client, program, curator):
    submit(client, program, phone="510-555-0199")
    link = link_in(mail.outbox[0])
    page = client.get(link)
    assert page.status_code == 200
    assert "Confirm and send to our curators" in page.content.decode()
    assert "Phone" in page.content.decode()
    # Opening the link (a mail scanner does) confirms nothing: the button does.
    assert ListingUpdate.objects.get().status == ListingUpdate.Status.UNCONFIRMED

    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:detail", args=[program.pk])
    update = ListingUpdate.objects.get()
    assert update.status == ListingUpdate.Status.NEW
    first_confirmation = update.confirmed_at
    assert first_confirmation is not None

    for again in (client.get(link), client.post(link)):
        assert again.status_code == 410
        assert "This link has already been used" in again.content.decode()
    update.refresh_from_db()
    assert update.confirmed_at == first_confirmation


def test_an_expired_link_is_refused(client, program, settings):
    submit(client, program, phone="510-555-0199")
    link = link_in(mail.outbox[0])
    sent = timezone.now() - timedelta(hours=settings.LISTING_UPDATE_LINK_HOURS, minutes=1)
    ListingUpdate.objects.update(created_at=sent)
    for attempt in (client.get(link), client.post(link)):
        assert attempt.status_code == 410
        assert "This link has expired" in attempt.content.decode()
        assert form_url(program) in attempt.content.decode()
    assert ListingUpdate.objects.get().status == ListingUpdate.Status.UNCONFIRMED


def test_two_clicks_at_once_confirm_once(client, program, settings):
    submit(client, program, phone="510-555-0199")
    token = link_in(mail.outbox[0]).rstrip("/").rpartition("/")[2]
    first, second = (update_selectors.link(token=token) for _ in range(2))
    assert first.state == second.state == update_selectors.READY
    assert update_services.confirm_update(update=first.update) is True
    assert update_services.confirm_update(update=second.update) is False
    # Nor does a link that expires between the page and the click.
    submit(client, program, phone="510-555-0100")
    late = update_selectors.link(token=link_in(mail.outbox[1]).rstrip("/").rpartition("/")[2])
    sent = timezone.now() - timedelta(hours=settings.LISTING_UPDATE_LINK_HOURS, minutes=1)
    ListingUpdate.objects.filter(pk=late.update.pk).update(created_at=sent)
    assert update_services.confirm_update(update=late.update) is False


def test_a_link_that_is_not_ours_is_refused(client, program):
    response = client.get(reverse("listing_updates:confirm", args=["made-up-token"]))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


def test_only_confirmed_updates_reach_the_curators(client, program, curator):
    submit(client, program, phone="510-555-0199")
    submit(Client(), program, phone="510-555-0100", sender_email="sam@elsewhere.example")
    client.post(link_in(mail.outbox[0]))
    staff = Client()
    staff.force_login(curator)
    page = staff.get(reverse("admin:corrections_listingupdate_changelist")).content.decode()
    assert "Jo Rivera" in page
    assert "sam@elsewhere.example" not in page
    unconfirmed = ListingUpdate.objects.get(status=ListingUpdate.Status.UNCONFIRMED)
    url = reverse("admin:corrections_listingupdate_change", args=[unconfirmed.pk])
    assert staff.get(url).status_code == 302  # "does not exist", back to the list


def test_no_update_is_kept_when_the_email_cannot_be_sent(client, program, monkeypatch):
    def refuse(**kwargs):
        raise smtplib.SMTPServerDisconnected("no server")

    monkeypatch.setattr(update_services, "send_mail", refuse)
    response = submit(client, program, phone="510-555-0199")
    assert response.status_code == 503
    assert "We could not send the email just now" in response.content.decode()
    assert not ListingUpdate.objects.exists()


# --- Whose email ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "website", "provider_website", "matches"),
    [
        ("jo@harborhealth.org", "https://www.harborhealth.org/iop", "", True),
        ("jo@HarborHealth.org", "https://harborhealth.org", "", True),
        ("jo@harborhealth.org", "https://iop.harborhealth.org/", "", True),
        ("jo@mail.harborhealth.org", "harborhealth.org", "", True),
        ("jo@harborhealth.org", "", "https://www.harborhealth.org", True),
        ("jo@gmail.com", "https://www.harborhealth.org", "", False),
        ("jo@harborhealth.org.evil.example", "https://harborhealth.org", "", False),
        ("jo@notharborhealth.org", "https://harborhealth.org", "", False),
        ("jo@dhcs.ca.gov", "https://cdph.ca.gov", "", False),
        ("jo@harborhealth.org", "", "", False),
    ],
)
def test_email_matches_the_programs_website(email, website, provider_website, matches):
    provider = Provider(name="Harbor Health", website=provider_website)
    program = Program(name="Harbor Evening IOP", provider=provider, website=website)
    assert updates.email_matches_website(email, program) is matches


def test_the_curator_sees_whether_the_email_matches(client, program, curator):
    confirmed_update(client, program, phone="510-555-0199")
    other = confirmed_update(
        Client(), program, phone="510-555-0100", sender_email="jo.rivera@gmail.com"
    )
    matching = ListingUpdate.objects.get(sender_email="jo@harborhealth.org")
    assert matching.email_matches_website is True
    assert other.email_matches_website is False
    staff = Client()
    staff.force_login(curator)
    review = reverse("admin:corrections_listingupdate_change", args=[matching.pk])
    assert "The email matches the program's website." in staff.get(review).content.decode()
    review = reverse("admin:corrections_listingupdate_change", args=[other.pk])
    assert "The email does not match the program's website" in (staff.get(review).content.decode())


# --- The curator's review -----------------------------------------------------------------


def test_a_curator_accepts_two_changes_and_rejects_one(client, program, curator):
    sent_on = timezone.localdate()
    update = confirmed_update(
        client,
        program,
        **{
            "track-0-weekdays": ["mon", "wed"],
            "track-0-days_per_week_min": "2",
            "track-0-days_per_week_max": "2",
            "cost_per_session_min": "175",
            "cost_per_session_max": "300",
            "website": "https://harbor-recovery.example",
        },
    )
    assert set(update.changes) == {"tracks", "cost_per_session", "website"}
    staff = Client()
    staff.force_login(curator)
    review = reverse("admin:corrections_listingupdate_change", args=[update.pk])
    page = staff.get(review).content.decode()
    # Each change beside the listing's value, tracks in words.
    assert "Mon, Wed, Thu\N{NO-BREAK SPACE}· 6\N{NO-BREAK SPACE}p.m." in page
    assert "Mon, Wed\N{NO-BREAK SPACE}· 6\N{NO-BREAK SPACE}p.m." in page
    assert "$150-$250" in page and "$175-$300" in page
    assert "https://www.harborhealth.org/iop" in page and "https://harbor-recovery.example" in page

    # Every change needs an answer.
    incomplete = staff.post(review, {"tracks": "accepted", "cost_per_session": "accepted"})
    assert incomplete.status_code == 400
    assert "Accept or reject this change." in incomplete.content.decode()
    assert ListingUpdate.objects.get().status == ListingUpdate.Status.NEW

    response = staff.post(
        review,
        {"tracks": "accepted", "cost_per_session": "accepted", "website": "rejected"},
        follow=True,
    )
    assert "Decisions saved" in response.content.decode()

    program.refresh_from_db()
    assert (program.cost_per_session_min, program.cost_per_session_max) == (175, 300)
    [track] = program.tracks.all()
    assert track.weekdays == ["mon", "wed"]
    assert (track.starts_at, track.ends_at) == (time(18), time(21))
    assert program.days_per_week_max == 2  # the schedule summary follows the tracks
    # The rejected change kept the listing's value.
    assert program.website == "https://www.harborhealth.org/iop"
    assert program.last_verified_on == sent_on
    assert program.last_verified_source == VerificationSource.PROGRAM
    assert program.last_verified_by == curator

    update.refresh_from_db()
    assert update.status == ListingUpdate.Status.REVIEWED
    assert update.decisions == {
        "tracks": "accepted",
        "cost_per_session": "accepted",
        "website": "rejected",
    }
    assert update.reviewed_by == curator

    latest = program.history.first()
    assert latest.history_user == curator
    assert latest.history_change_reason == "Update from the program, accepted by cora"
    track_history = track.history.first()
    assert (track_history.history_type, track_history.history_user) == ("+", curator)

    public = client.get(reverse("programs:detail", args=[program.pk])).content.decode()
    assert "$175-$300" in public
    assert "Mon, Wed\N{NO-BREAK SPACE}·" in public
    date = formats.date_format(sent_on)
    assert f"{date}, by the program (checked by an IOP Finder curator)" in public
    assert "harbor-recovery.example" not in public

    # Reviewed once: the page shows the decisions, with no form.
    again = staff.get(review).content.decode()
    assert "Save the decisions" not in again
    assert "Rejected" in again


def test_the_review_is_applied_all_or_nothing(client, program, curator, monkeypatch):
    update = confirmed_update(
        client,
        program,
        **{
            "track-0-weekdays": ["mon", "wed"],
            "track-0-days_per_week_min": "2",
            "track-0-days_per_week_max": "2",
            "cost_per_session_min": "175",
            "phone": "1",
        },
    )
    history_before = program.history.count()

    def fail(**kwargs):
        raise RuntimeError("the database went away")

    # Fails after the tracks, the cost and the program row have been written.
    monkeypatch.setattr(program_services, "refresh_search_text", fail)
    with pytest.raises(RuntimeError):
        update_services.review_update(
            update=update, accepted={"tracks", "cost_per_session", "phone"}, curator=curator
        )

    program.refresh_from_db()
    assert program.cost_per_session_min == Decimal("150")
    assert program.phone == "510-555-0134"
    assert [track.weekdays for track in program.tracks.all()] == [["mon", "wed", "thu"]]
    assert program.last_verified_source == VerificationSource.CURATOR
    assert program.history.count() == history_before
    update.refresh_from_db()
    assert update.status == ListingUpdate.Status.NEW
    assert update.decisions == {}


def test_accepted_availability_is_the_programs_as_of_the_day_it_was_sent(client, program, curator):
    next_intake = timezone.localdate() + timedelta(days=10)
    update = confirmed_update(
        client,
        program,
        accepting_new_clients="True",
        next_intake_on=next_intake.isoformat(),
        wait_time_days="4",
    )
    sent_on = timezone.localdate(update.created_at)
    update_services.review_update(
        update=update, accepted={"accepting_new_clients", "next_intake_on"}, curator=curator
    )
    program.refresh_from_db()
    assert program.accepting_new_clients is True
    assert program.next_intake_on == next_intake
    assert program.wait_time_days is None  # rejected
    assert (program.availability_as_of, program.availability_source) == (sent_on, "program")


def test_rejecting_every_change_leaves_the_listing_unverified(client, program, curator):
    update = confirmed_update(client, program, phone="510-555-0199")
    update_services.review_update(update=update, accepted=set(), curator=curator)
    program.refresh_from_db()
    assert program.phone == "510-555-0134"
    assert program.last_verified_source == VerificationSource.CURATOR
    assert program.last_verified_on == timezone.localdate() - timedelta(days=90)
    assert ListingUpdate.objects.get().decisions == {"phone": "rejected"}


def test_an_update_is_reviewed_once(client, program, curator):
    update = confirmed_update(client, program, phone="510-555-0199")
    update_services.review_update(update=update, accepted={"phone"}, curator=curator)
    with pytest.raises(update_services.AlreadyReviewed):
        update_services.review_update(update=update, accepted=set(), curator=curator)
    assert ListingUpdate.objects.get().decisions == {"phone": "accepted"}


def test_a_curator_marking_it_verified_again_is_the_curators_verification(client, program, curator):
    update = confirmed_update(client, program, phone="510-555-0199")
    update_services.review_update(update=update, accepted={"phone"}, curator=curator)
    program_services.mark_verified(programs=Program.objects.filter(pk=program.pk), user=curator)
    page = client.get(reverse("programs:detail", args=[program.pk])).content.decode()
    assert "by an IOP Finder curator" in page
    assert "by the program" not in page


def test_a_curator_without_the_permission_cannot_review(client, program):
    update = confirmed_update(client, program, phone="510-555-0199")
    staff = Client()
    staff.force_login(User.objects.create_user("nobody", is_staff=True))
    review = reverse("admin:corrections_listingupdate_change", args=[update.pk])
    assert staff.post(review, {"phone": "accepted"}).status_code == 403
    assert ListingUpdate.objects.get().status == ListingUpdate.Status.NEW


# --- Limits ---------------------------------------------------------------------------------


def test_one_session_sends_only_a_few_updates_an_hour(client, program):
    for number in range(limits.PER_SESSION):
        assert (
            submit(
                client, program, phone=f"510-555-01{number:02}", sender_email=f"a{number}@x.org"
            ).status_code
            == 302
        )
    response = submit(client, program, phone="510-555-0199", sender_email="b@x.org")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "You have sent several updates in the last hour" in response.content.decode()
    assert ListingUpdate.objects.count() == limits.PER_SESSION


def test_one_address_is_sent_only_a_few_links_a_day(program):
    for _ in range(update_selectors.LINKS_PER_ADDRESS_PER_DAY):
        assert submit(Client(), program, phone="510-555-0199").status_code == 302
    response = submit(Client(), program, phone="510-555-0199")
    assert response.status_code == 400
    assert "We have sent several links to this address today" in response.content.decode()
    assert len(mail.outbox) == update_selectors.LINKS_PER_ADDRESS_PER_DAY
