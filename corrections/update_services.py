"""Writes for updates from programs: a sender submits one and confirms it by the email's
one-time link; a curator accepts or rejects each change, and the accepted ones reach the
listing together.

The link carries a random token; only its SHA-256 is stored (ListingUpdate.token_hash), so the
database alone cannot confirm an update. A link works once, for LISTING_UPDATE_LINK_HOURS.
"""

import secrets
from datetime import timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext

from corrections import update_selectors, updates
from corrections.models import ListingUpdate
from programs import services as program_services
from programs.models import AvailabilitySource, Program, VerificationSource

# simple-history keeps at most this many characters of a change's reason.
REASON_LENGTH = 100


class AlreadyReviewed(Exception):
    """Another curator reviewed this update first."""


@transaction.atomic
def submit_update(
    *,
    program: Program,
    sender_name: str,
    sender_role: str,
    sender_email: str,
    changes: dict,
    site_url: str,
) -> ListingUpdate:
    """Keep the proposed changes and email the sender a link to confirm them. Nothing is kept
    if the email cannot be sent. `site_url` is the site's address the link starts with."""
    token = secrets.token_urlsafe(32)
    update = ListingUpdate.objects.create(
        program=program,
        sender_name=sender_name,
        sender_role=sender_role,
        sender_email=sender_email,
        email_matches_website=updates.email_matches_website(sender_email, program),
        changes=changes,
        token_hash=update_selectors.token_hash(token),
    )
    context = {
        "program": program,
        "link": urljoin(site_url, reverse("listing_updates:confirm", args=[token])),
        "hours": settings.LISTING_UPDATE_LINK_HOURS,
    }
    subject = render_to_string("emails/listing_update_confirm_subject.txt", context)
    send_mail(
        subject=" ".join(subject.split()),
        message=render_to_string("emails/listing_update_confirm.txt", context),
        from_email=None,
        recipient_list=[sender_email],
    )
    return update


def confirm_update(*, update: ListingUpdate) -> bool:
    """Confirm an update by its link: True the first time, within the link's hours; False
    once used (even by a click a moment earlier) or expired."""
    now = timezone.now()
    oldest = now - timedelta(hours=settings.LISTING_UPDATE_LINK_HOURS)
    confirmed = ListingUpdate.objects.filter(
        pk=update.pk, status=ListingUpdate.Status.UNCONFIRMED, created_at__gte=oldest
    ).update(status=ListingUpdate.Status.NEW, confirmed_at=now)
    return confirmed == 1


@transaction.atomic
def review_update(*, update: ListingUpdate, accepted: set[str], curator) -> ListingUpdate:
    """Write the accepted changes to the listing, all of them or none, and record the decision
    on every change. The listing's history names the curator and the program as its source;
    any accepted change marks the listing verified by the program on the day it was sent."""
    update = ListingUpdate.objects.select_for_update().get(pk=update.pk)
    if update.status != ListingUpdate.Status.NEW:
        raise AlreadyReviewed
    accepted = accepted & update.changes.keys()
    if accepted:
        _apply(update, accepted, curator)
    update.decisions = {
        name: (
            ListingUpdate.Decision.ACCEPTED if name in accepted else ListingUpdate.Decision.REJECTED
        )
        for name in update.changes
    }
    update.status = ListingUpdate.Status.REVIEWED
    update.reviewed_by = curator
    update.reviewed_at = timezone.now()
    update.save()
    return update


def _apply(update: ListingUpdate, accepted: set[str], curator) -> None:
    program = Program.objects.select_for_update().get(pk=update.program_id)
    sent_on = timezone.localdate(update.created_at)
    if accepted & set(updates.AVAILABILITY):
        _record_availability(program, update, accepted, sent_on, curator)
    program._history_user = curator
    program._change_reason = Truncator(
        gettext("Update from the program, accepted by %(curator)s")
        % {"curator": curator.get_username()}
    ).chars(REASON_LENGTH)
    for name in sorted(accepted - set(updates.AVAILABILITY)):
        item, value = updates.BY_NAME[name], update.changes[name]
        if item.kind == "tracks":
            _replace_tracks(program, value)
        elif item.kind == "terms":
            terms = Program._meta.get_field(name).related_model.objects.filter(slug__in=value)
            getattr(program, name).set(terms)
        else:
            for field, field_value in updates.field_values(item, value).items():
                setattr(program, field, field_value)
    program.last_verified_on = sent_on
    program.last_verified_by = curator
    program.last_verified_source = VerificationSource.PROGRAM
    if "tracks" in accepted:
        program_services.refresh_schedule_summary(program=program)
    program.save()
    program_services.refresh_search_text(program=program)


def _record_availability(program, update, accepted, sent_on, curator) -> None:
    """Through programs.services.record_availability, as of the day the program sent it; the
    parts the curator rejected keep the listing's values."""

    def said(name, field):
        if name in accepted:
            return updates.field_values(updates.BY_NAME[name], update.changes[name])[field]
        return getattr(program, field)

    program_services.record_availability(
        program=program,
        accepting=said("accepting_new_clients", "accepting_new_clients"),
        next_intake=said("next_intake_on", "next_intake_on"),
        wait_days=said("wait_time_days", "wait_time_days"),
        source=AvailabilitySource.PROGRAM,
        as_of=sent_on,
        by=curator,
    )


def _replace_tracks(program: Program, wanted: list[dict]) -> None:
    """Keep the tracks the update keeps, delete the others and add the new ones, each change
    in the tracks' history with the program's curator and reason."""
    wanted = list(wanted)
    for track in program.tracks.all():
        value = updates.track_value(track)
        if value in wanted:
            wanted.remove(value)
        else:
            _with_history_of(program, track).delete()
    for value in wanted:
        _with_history_of(program, updates.track_of(value, program=program)).save()


def _with_history_of(program: Program, track):
    track._history_user = program._history_user
    track._change_reason = program._change_reason
    return track
