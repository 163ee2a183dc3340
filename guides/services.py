"""Writes for the guides' workspace. Every change to a caller record is audited here."""

import time

from django.db import transaction
from django.utils import timezone

from corrections import services as correction_services
from corrections.models import CorrectionReport
from guides import keystore
from guides.consent import CURRENT_CONSENT_VERSION
from guides.models import AuditEntry, Caller, Referral, ReferralEvent
from programs import services as program_services
from programs.models import AvailabilitySource

# A key made for a caller record that was never saved (the save failed) is destroyed after
# this long; a save in progress takes far less.
UNUSED_KEY_SECONDS = 24 * 3600

# The caller's own answers to the intake form; set by create_caller / update_caller.
NEEDS_FIELDS = [
    "alias",
    "phone",
    "zip_code",
    "radius_miles",
    "insurer",
    "times_of_day",
    "hours_per_week_max",
    "focus",
    "population",
    "language",
    "telehealth_ok",
    "notes",
]


class ConsentMissing(Exception):
    """Nothing about a caller may be stored before they agree to it."""


class DangerNotHandled(Exception):
    """A caller in danger now is helped first: no screening is saved with that answer."""


def audit(*, actor, action: str, caller_id: int, fields=()) -> AuditEntry:
    """Append who did what to which caller record. Field names only, never values."""
    return AuditEntry.objects.create(
        actor=actor, action=action, caller_id=caller_id, fields=sorted(fields)
    )


def audit_listed(*, actor, callers) -> None:
    """One entry per caller record shown in a list (alias, ZIP, follow-ups): one query."""
    AuditEntry.objects.bulk_create(
        AuditEntry(actor=actor, action=AuditEntry.Action.LIST, caller_id=caller_id)
        for caller_id in sorted({caller.pk for caller in callers})
    )


@transaction.atomic
def create_caller(*, guide, consent_given: bool, details: dict, payment_kinds=()) -> Caller:
    """Store a new caller record; refuses (stores nothing) without the caller's consent."""
    if not consent_given:
        raise ConsentMissing
    now = timezone.now()
    key_id = keystore.make_key(phone=details.get("phone", ""), alias=details.get("alias", ""))
    caller = Caller.objects.create(
        key_id=key_id,
        **{field: details[field] for field in NEEDS_FIELDS if field in details},
        consent_given_at=now,
        consent_version=CURRENT_CONSENT_VERSION,
        consent_recorded_by=guide,
        created_by=guide,
    )
    caller.payment_kinds.set(payment_kinds)
    given = [field for field in NEEDS_FIELDS if details.get(field) not in (None, "", [])]
    audit(
        actor=guide,
        action=AuditEntry.Action.CREATE,
        caller_id=caller.pk,
        fields=[*given, "consent", *(["payment_kinds"] if payment_kinds else [])],
    )
    return caller


@transaction.atomic
def update_caller(*, guide, caller: Caller, details: dict, changed: list[str], payment_kinds=None):
    """Save the caller's changed needs and log which fields changed."""
    if not changed:
        return caller
    for field in NEEDS_FIELDS:
        if field in details:
            setattr(caller, field, details[field])
    caller.save()
    if payment_kinds is not None:
        caller.payment_kinds.set(payment_kinds)
    if {"alias", "phone"} & set(changed):
        key_id, phone, alias = caller.key_id, caller.phone, caller.alias
        transaction.on_commit(lambda: keystore.set_lookups(key_id, phone=phone, alias=alias))
    audit(actor=guide, action=AuditEntry.Action.UPDATE, caller_id=caller.pk, fields=changed)
    return caller


@transaction.atomic
def record_screening(*, guide, caller: Caller, answers: dict, result: dict) -> Caller:
    """Keep the self-screen's answers and result with the (consented) caller record. Refused
    for a caller in danger now: that is handled first (record_danger_handled), never saved
    as a level of care."""
    if answers.get("danger_now") == "yes":
        raise DangerNotHandled
    caller.screening_answers = answers
    caller.screening_result = result
    caller.screened_at = timezone.now()
    caller.save(update_fields=["screening_answers", "screening_result", "screened_at"])
    audit(
        actor=guide,
        action=AuditEntry.Action.SCREEN,
        caller_id=caller.pk,
        fields=["screening_answers", "screening_result"],
    )
    return caller


def record_danger_handled(*, guide, caller: Caller, handled: str) -> AuditEntry:
    """How the guide dealt with a caller in danger now (one of DangerHandledForm.HOW): an
    audit entry naming that choice. Nothing the caller said is kept."""
    return audit(
        actor=guide, action=AuditEntry.Action.DANGER, caller_id=caller.pk, fields=[handled]
    )


@transaction.atomic
def add_to_shortlist(*, guide, caller: Caller, program) -> tuple[Referral, bool]:
    """Suggest a program to the caller; adding it twice keeps the first referral."""
    referral, created = Referral.objects.get_or_create(
        caller=caller, program=program, defaults={"created_by": guide}
    )
    if created:
        ReferralEvent.objects.create(referral=referral, status=referral.status, guide=guide)
        audit(
            actor=guide, action=AuditEntry.Action.SHORTLIST, caller_id=caller.pk, fields=["program"]
        )
    return referral, created


@transaction.atomic
def update_referral(*, guide, referral: Referral, status: str, follow_up_on, note: str):
    """Record a step of a referral: new status and/or follow-up date, with an optional note."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    changed = []
    if status != referral.status:
        changed.append("status")
    if follow_up_on != referral.follow_up_on:
        changed.append("follow_up_on")
    if note:
        changed.append("note")
    if not changed:
        return referral
    referral.status = status
    referral.follow_up_on = follow_up_on
    if note:
        referral.note = note
    referral.save()
    ReferralEvent.objects.create(referral=referral, status=status, guide=guide, note=note)
    audit(
        actor=guide,
        action=AuditEntry.Action.REFERRAL,
        caller_id=referral.caller_id,
        fields=changed,
    )
    return referral


FROM_A_GUIDES_CALL = "From a recovery guide's call:"


@transaction.atomic
def report_back(
    *, guide, program, accepting, next_intake, wait_days, schedule_changes, cost_changes
) -> list[CorrectionReport]:
    """What a program told a guide on the phone. Whether it takes new clients (accepting
    None: not said) goes on the listing at once, as of today from a guide's call, with the
    guide in its change history; what changed in its schedule or cost goes to the curators'
    queue, who check it before the listing changes. It concerns the program: nothing about
    the caller is kept, so no caller audit entry either."""
    if accepting is not None:
        program_services.record_availability(
            program=program,
            accepting=accepting,
            next_intake=next_intake,
            wait_days=wait_days,
            source=AvailabilitySource.GUIDE,
            by=guide,
        )
    changes = [
        (CorrectionReport.Problem.SCHEDULE, schedule_changes),
        (CorrectionReport.Problem.COST, cost_changes),
    ]
    return [
        correction_services.submit_correction(
            program=program, problem=problem, details=f"{FROM_A_GUIDES_CALL} {words}"
        )
        for problem, words in changes
        if words
    ]


def export_caller(*, guide, caller: Caller) -> dict:
    """Everything stored about the caller, for a copy they asked for (audited)."""
    referrals = caller.referrals.select_related("program__provider").prefetch_related("events")
    data = {
        "caller": {
            "id": caller.pk,
            "first_name_or_alias": caller.alias,
            "phone": caller.phone,
            "zip_code": caller.zip_code,
            "radius_miles": caller.radius_miles,
            "payment_kinds": list(caller.payment_kinds.values_list("slug", flat=True)),
            "insurer": caller.insurer.slug if caller.insurer else None,
            "times_of_day": caller.times_of_day,
            "hours_per_week_max": caller.hours_per_week_max,
            "focus": caller.focus,
            "population": caller.population.slug if caller.population else None,
            "language": caller.language.slug if caller.language else None,
            "telehealth_ok": caller.telehealth_ok,
            "notes": caller.notes,
            "created_at": caller.created_at.isoformat(),
            "updated_at": caller.updated_at.isoformat(),
        },
        "consent": {
            "given_at": caller.consent_given_at.isoformat(),
            "wording_version": caller.consent_version,
            "given": "verbally, to a recovery guide",
        },
        "screening": {
            "answers": caller.screening_answers,
            "result": caller.screening_result,
            "at": caller.screened_at.isoformat() if caller.screened_at else None,
        },
        "referrals": [
            {
                "program": referral.program.name,
                "provider": referral.program.provider.name,
                "status": referral.status,
                "follow_up_on": referral.follow_up_on.isoformat()
                if referral.follow_up_on
                else None,
                "note": referral.note,
                "history": [
                    {"at": event.at.isoformat(), "status": event.status, "note": event.note}
                    for event in referral.events.all()
                ],
            }
            for referral in referrals
        ],
    }
    audit(actor=guide, action=AuditEntry.Action.EXPORT, caller_id=caller.pk)
    return data


def erase_caller(*, guide, caller: Caller) -> None:
    """Erase the caller: destroy their key first, so every copy of their details (table
    files, WAL, backups) is unreadable from that moment; then delete their record in one
    transaction.

    Referrals stay as anonymous rows (no caller, no notes) so counts per program remain;
    the audit log keeps the record number and field names, which hold no personal values.
    Should the deletion fail, the record is already unreadable and finish_erasures()
    deletes it.
    """
    keystore.destroy([caller.key_id])
    with transaction.atomic():
        _delete_records(Caller.objects.filter(pk=caller.pk))
        audit(actor=guide, action=AuditEntry.Action.ERASE, caller_id=caller.pk)


def _delete_records(callers) -> int:
    referrals = Referral.objects.filter(caller__in=callers)
    ReferralEvent.objects.filter(referral__in=referrals).update(note="")
    referrals.update(caller=None, note="", follow_up_on=None)
    Caller.payment_kinds.through.objects.filter(caller__in=callers).delete()
    _all, per_model = callers.delete()
    return per_model.get(Caller._meta.label, 0)


@transaction.atomic
def finish_erasures(*, unused_key_grace_seconds: int | None = None) -> dict[str, int]:
    """Make the database and the key store agree, after a restore or a failed erasure.

    A caller record whose key is gone was erased (perhaps after the backup just restored):
    its rows are deleted. A key no record uses, older than a day, belongs to an erased
    caller (after a key store restore) or to a record never saved: it is destroyed.
    """
    keys = keystore.key_ids()
    records = dict(Caller.objects.values_list("pk", "key_id"))
    keyless = [pk for pk, key_id in records.items() if key_id not in keys]
    in_use = set(records.values())
    erased = _delete_records(Caller.objects.filter(pk__in=keyless)) if keyless else 0
    grace = UNUSED_KEY_SECONDS if unused_key_grace_seconds is None else unused_key_grace_seconds
    unused = keystore.key_ids(made_before=time.time() - grace) - in_use
    return {"records_deleted": erased, "keys_destroyed": keystore.destroy(unused)}
