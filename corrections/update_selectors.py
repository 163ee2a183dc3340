"""Reads for updates from programs: the listing to update, a confirmation link, the review."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from corrections import updates
from corrections.models import ListingUpdate
from programs import selectors
from programs.models import Program, ScheduleTrack

# What a confirmation link is: not one of ours, waiting to be confirmed, used, or too old.
UNKNOWN, READY, USED, EXPIRED = "unknown", "ready", "used", "expired"
# One address is sent at most this many links a day, so the form cannot fill someone's inbox.
LINKS_PER_ADDRESS_PER_DAY = 3


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _with_updatable_facts(programs: QuerySet) -> QuerySet:
    return programs.select_related("provider", "site").prefetch_related(
        Prefetch("tracks", queryset=ScheduleTrack.objects.order_by("time_of_day", "id")),
        "payment_kinds",
        "insurers",
    )


def program_to_update(*, pk: int) -> Program:
    """A published program with what its update form shows; raises Program.DoesNotExist."""
    return _with_updatable_facts(selectors.published_programs()).get(pk=pk)


def program_for_review(*, pk: int) -> Program:
    """Any program: a curator reviews updates to listings unpublished since, too."""
    return _with_updatable_facts(Program.objects.all()).get(pk=pk)


def too_many_links_to(*, email: str) -> bool:
    since = timezone.now() - timedelta(days=1)
    sent = ListingUpdate.objects.filter(sender_email__iexact=email, created_at__gte=since)
    return sent.count() >= LINKS_PER_ADDRESS_PER_DAY


def link_expires_at(update: ListingUpdate):
    return update.created_at + timedelta(hours=settings.LISTING_UPDATE_LINK_HOURS)


@dataclass(frozen=True)
class Link:
    state: str
    update: ListingUpdate | None = None


def link(*, token: str) -> Link:
    update = (
        ListingUpdate.objects.select_related("program").filter(token_hash=token_hash(token)).first()
    )
    if update is None:
        return Link(UNKNOWN)
    if update.status != ListingUpdate.Status.UNCONFIRMED:
        return Link(USED, update)
    if timezone.now() > link_expires_at(update):
        return Link(EXPIRED, update)
    return Link(READY, update)


def updates_for_curators() -> QuerySet:
    """Only updates whose sender confirmed their email reach the curators."""
    return ListingUpdate.objects.exclude(status=ListingUpdate.Status.UNCONFIRMED).select_related(
        "program", "reviewed_by"
    )


def changed_items(update: ListingUpdate) -> list[updates.Item]:
    return [item for item in updates.ITEMS if item.name in update.changes]


@dataclass(frozen=True)
class Row:
    """One proposed change beside what the listing says now, and its decision once made."""

    item: updates.Item
    now: object  # text, or for the tracks a list of unsaved tracks
    proposed: object
    same_now: bool  # the listing already says it (changed by a curator since it was sent)
    decision: str


def review_rows(update: ListingUpdate) -> list[Row]:
    program = program_for_review(pk=update.program_id)
    live = updates.live_values(program)
    decisions = dict(ListingUpdate.Decision.choices)
    return [
        Row(
            item=item,
            now=updates.value_in_words(item, live[item.name]),
            proposed=updates.value_in_words(item, update.changes[item.name]),
            same_now=live[item.name] == update.changes[item.name],
            decision=str(decisions.get(update.decisions.get(item.name), "")),
        )
        for item in changed_items(update)
    ]
