"""Reads for the guides' workspace.

Callers are a shared team queue: any guide may open any caller record (a caller who rings
back reaches whoever is on shift), and every opening is audited. "Mine" is a filter.

Caller details are sealed with each caller's key (guides/sealing.py): lists read the keys of
all their callers at once (with_keys), and leave out a caller whose key is destroyed.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from guides import keystore
from guides.models import Caller, Referral, ReferralEvent
from guides.sealing import CallerErased


def with_keys(callers: list[Caller]) -> list[Caller]:
    """The callers whose key still exists, each holding it (one read of the key store)."""
    keys = keystore.keys_of(caller.key_id for caller in callers)
    for caller in callers:
        if caller.key_id in keys:
            caller.__dict__["_sealing_key"] = keys[caller.key_id]
    return [caller for caller in callers if caller.key_id in keys]


def _open_referrals():
    return Referral.objects.filter(caller=OuterRef("pk"), status__in=Referral.OPEN_STATUSES)


def callers_for_list(
    *,
    guide,
    mine: bool,
    open_referrals: bool,
    follow_up_due: bool,
    today: date,
    text: str = "",
    limit: int,
) -> list[Caller]:
    """The team's callers, most recently changed first, at most `limit`. `text` finds a
    returning caller by their whole alias (any capitals), phone (written any way: +1, dots,
    spaces, an extension) or record number."""
    callers = Caller.objects.select_related("created_by").annotate(
        has_open_referrals=Exists(_open_referrals()),
        follow_up_due=Exists(_open_referrals().filter(follow_up_on__lte=today)),
    )
    text = text.strip()
    if text:
        found = Q(key_id__in=keystore.find(text))
        number = text.lstrip("#")
        if number.isdigit() and len(number) <= 18:  # a record number fits a bigint
            found |= Q(pk=int(number))
        callers = callers.filter(found)
    if mine:
        callers = callers.filter(created_by=guide)
    if open_referrals:
        callers = callers.filter(has_open_referrals=True)
    if follow_up_due:
        callers = callers.filter(follow_up_due=True)
    return with_keys(list(callers[:limit]))


def follow_ups_due(*, today: date, guide=None, until: date | None = None) -> list[Referral]:
    """Open referrals to follow up by `until` (default: today, so due or overdue), oldest
    first. With a guide: those on their callers or their referrals."""
    referrals = list(_follow_ups(today=today, guide=guide, until=until))
    callers = {caller.pk for caller in with_keys([referral.caller for referral in referrals])}
    return [referral for referral in referrals if referral.caller_id in callers]


def follow_ups_due_count(*, today: date) -> int:
    """How many follow-ups the whole team has due."""
    return _follow_ups(today=today).count()


def _follow_ups(*, today: date, guide=None, until: date | None = None) -> QuerySet[Referral]:
    referrals = Referral.objects.filter(
        caller__isnull=False,
        status__in=Referral.OPEN_STATUSES,
        follow_up_on__lte=until or today,
    ).select_related("caller", "program")
    if guide is not None:
        referrals = referrals.filter(Q(caller__created_by=guide) | Q(created_by=guide))
    return referrals.order_by("follow_up_on", "id")


def caller_for_call(*, pk: int) -> Caller:
    """One caller with what the call page shows; raises Caller.DoesNotExist, also when their
    key is destroyed (an erasure not yet finished)."""
    caller = (
        Caller.objects.select_related("insurer", "population", "language", "created_by")
        .prefetch_related(
            "payment_kinds",
            Prefetch(
                "referrals",
                queryset=Referral.objects.select_related("program__provider", "program__site")
                .prefetch_related(
                    Prefetch("events", queryset=ReferralEvent.objects.select_related("guide"))
                )
                .order_by("created_at", "id"),
            ),
        )
        .get(pk=pk)
    )
    try:
        caller.sealing_key()
    except CallerErased as erased:
        raise Caller.DoesNotExist from erased
    return caller


def caller_exists(*, pk: int) -> bool:
    """Whether there is such a caller record (nothing of it is read)."""
    return Caller.objects.filter(pk=pk).exists()


def referral_of_caller(*, caller_pk: int, pk: int) -> Referral:
    return Referral.objects.select_related("caller").get(pk=pk, caller_id=caller_pk)
