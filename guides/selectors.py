"""Reads for the guides' workspace.

Callers are a shared team queue: any guide may open any caller record (a caller who rings
back reaches whoever is on shift), and every opening is audited. "Mine" is a filter.
"""

from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from guides.models import Caller, Referral, ReferralEvent


def _open_referrals():
    return Referral.objects.filter(caller=OuterRef("pk"), status__in=Referral.OPEN_STATUSES)


def callers_for_list(
    *, guide, mine: bool, open_referrals: bool, follow_up_due: bool, today: date, text: str = ""
) -> QuerySet[Caller]:
    """The team's callers, most recently changed first. `text` finds a returning caller by
    alias, phone (digits in any layout) or record number."""
    callers = Caller.objects.select_related("created_by").annotate(
        has_open_referrals=Exists(_open_referrals()),
        follow_up_due=Exists(_open_referrals().filter(follow_up_on__lte=today)),
    )
    text = text.strip()
    if text:
        found = Q(alias__icontains=text) | Q(phone__icontains=text)
        digits = "".join(character for character in text if character.isdigit())
        if len(digits) >= 4:
            # "5105550199" finds "510-555-0199": any separators between the digits.
            found |= Q(phone__iregex=r"\D*".join(digits))
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
    return callers


def follow_ups_due(*, today: date, guide=None, until: date | None = None) -> QuerySet[Referral]:
    """Open referrals to follow up by `until` (default: today, so due or overdue), oldest
    first. With a guide: those on their callers or their referrals."""
    referrals = Referral.objects.filter(
        caller__isnull=False,
        status__in=Referral.OPEN_STATUSES,
        follow_up_on__lte=until or today,
    ).select_related("caller", "program")
    if guide is not None:
        referrals = referrals.filter(Q(caller__created_by=guide) | Q(created_by=guide))
    return referrals.order_by("follow_up_on", "id")


def caller_for_call(*, pk: int) -> Caller:
    """One caller with what the call page shows; raises Caller.DoesNotExist."""
    return (
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


def referral_of_caller(*, caller_pk: int, pk: int) -> Referral:
    return Referral.objects.select_related("caller").get(pk=pk, caller_id=caller_pk)
