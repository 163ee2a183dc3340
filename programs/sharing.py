"""Getting to a program and passing it on, through plain links to the person's own apps:
maps for directions, messages and email for sharing. No page loads anything from another
site; a request leaves only when the person taps one of these links."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.utils.translation import gettext as _

from programs import display

# Google's Maps URLs are the one documented cross-platform directions link: they open the
# Google Maps app on Android, and on iPhones that have it, and Google Maps in the browser
# everywhere else (https://developers.google.com/maps/documentation/urls). A `geo:` URI opens
# a maps app on Android only and does nothing on an iPhone or a computer; an Apple Maps link
# (https://maps.apple.com/?daddr=...) opens the Maps app on Apple devices only.
DIRECTIONS = "https://www.google.com/maps/dir/?api=1&destination={}"


def place_line(site) -> str:
    """'1200 Broadway, Oakland, CA 94612'; 'Oakland, CA 94612' when the street address is
    not published."""
    town = f"{site.city}, {site.state} {site.zip_code}"
    return f"{site.address}, {town}" if site.address else town


def directions_url(program) -> str:
    """Directions to the program's site, '' for a telehealth-only program. Without a
    published street address they lead to its city and ZIP code: approximate, and nothing
    more precise than the listing shows."""
    if program.format == "telehealth":
        return ""
    return DIRECTIONS.format(quote(place_line(program.site), safe=""))


@dataclass(frozen=True)
class Message:
    """What a person sends: the text, then the link to the page."""

    subject: str  # the email's subject, and the share sheet's title
    text: str  # without the link: the share sheet takes it apart
    url: str

    @property
    def body(self) -> str:
        return f"{self.text}\n{self.url}"

    @property
    def sms_href(self) -> str:
        # RFC 5724 puts the body in a query after the recipients (sms:?body=), which Android
        # reads; iOS reads it after an "&" (sms:&body=). "sms:?&body=" works on both: each
        # skips the empty parameter. No recipient: the person picks one in their app.
        return "sms:?&body=" + quote(self.body, safe="")

    @property
    def email_href(self) -> str:
        # RFC 6068: percent-encoded (spaces as %20, not "+"), line breaks as %0D%0A.
        fields = {"subject": self.subject, "body": self.body.replace("\n", "\r\n")}
        return "mailto:?" + urlencode(fields, quote_via=quote)


def _contact_lines(program) -> list[str]:
    phone = display.intake_phone(program)
    return [program.name] + (
        [_("Phone: %(phone)s") % {"phone": phone.shown}] if phone.shown else []
    )


def program_message(program, *, url: str) -> Message:
    """A program's name, phone, address (or city) and page, to send to someone."""
    lines = [*_contact_lines(program), place_line(program.site)]
    return Message(subject=program.name, text="\n".join(lines), url=url)


def shortlist_message(pages, *, url: str) -> Message:
    """Each program's name, phone and page, then the link to the whole list.

    pages: (program, the absolute URL of its page) pairs, in the list's order.
    """
    blocks = ["\n".join([*_contact_lines(program), page]) for program, page in pages]
    text = "\n\n".join(
        [_("Treatment programs from IOP Finder:"), *blocks, _("All of them on one page:")]
    )
    return Message(subject=_("Treatment programs to look at"), text=text, url=url)
