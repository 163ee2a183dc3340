"""Sending a caller their list after the call: their shortlist and the crisis lines, by email
or as text the guide copies into a text message, each time with the caller's agreement.

The address is used for this one email and not kept; the audit log records the channel only,
never the address or the list.
"""

from urllib.parse import urljoin

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from guides import services
from guides.models import AuditEntry, Caller, Referral
from iopfinder.context_processors import CRISIS_LINES
from programs import display

EMAIL = "email"
TEXT = "text"
CHANNELS = [EMAIL, TEXT]


class ConsentMissing(Exception):
    """The caller has not agreed to receive their list by this channel."""


def list_items(caller: Caller, *, site_url: str) -> list[dict[str, str]]:
    """What the caller is sent about each program on their shortlist. A declined referral is
    left off: it is no longer a place to call."""
    return [
        {
            "name": program.name,
            "level": program.get_level_of_care_display(),
            "phone": display.intake_phone(program).shown,
            "place": ", ".join(
                part
                for part in (program.site.address, program.site.city, program.site.state)
                if part
            ),
            "link": urljoin(site_url, reverse("programs:detail", args=[program.pk])),
        }
        for program in (
            referral.program
            for referral in caller.referrals.all()
            if referral.status != Referral.Status.DECLINED
        )
    ]


def list_text(caller: Caller, *, site_url: str) -> str:
    """The list as plain text: the email's body and what the guide copies into a text."""
    return render_to_string(
        "emails/caller_list.txt",
        {"items": list_items(caller, site_url=site_url), "crisis_lines": CRISIS_LINES},
    ).strip()


@transaction.atomic
def send_list(
    *, guide, caller: Caller, channel: str, consent_given: bool, site_url: str, email: str = ""
) -> None:
    """Email the caller their list, or record that the guide texted it; audited with the
    channel only. Sends nothing without the caller's agreement to that channel."""
    if channel not in CHANNELS:
        raise ValueError(channel)
    if not consent_given:
        raise ConsentMissing
    # Audited first: an email that fails to go out rolls the entry back with it.
    services.audit(
        actor=guide, action=AuditEntry.Action.SEND, caller_id=caller.pk, fields=[channel]
    )
    if channel == EMAIL:
        subject = render_to_string("emails/caller_list_subject.txt")
        send_mail(
            subject=" ".join(subject.split()),
            message=list_text(caller, site_url=site_url),
            from_email=None,
            recipient_list=[email],
        )
