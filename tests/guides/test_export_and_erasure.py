"""A caller's data can be exported, and erased so that no personal detail remains anywhere."""

import json
import logging

import pytest
from django.db import connection
from django.urls import reverse

from guides import keystore, services
from guides.models import AuditEntry, Caller, Referral, ReferralEvent
from guides.sealing import CallerErased, open_sealed
from tests.factories import make_program
from tests.guides.conftest import make_caller, signed_in

pytestmark = pytest.mark.django_db

PERSONAL = [
    "Rosalind",
    "510-555-0199",
    "Sister drives her",
    "voicemail for Rosalind",
    "Rosalind starts",
]
SCREENING = {
    "danger_now": "no",
    "withdrawal": "none",
    "needs_24h_care": "no",
    "severity": "moderate",
    "recent_care": "none",
    "home_support": "strong",
    "commitments": "yes",
    "hours_available": "9_to_19",
    "attendance": "in_person",
    "focus": "substance_use",
}


@pytest.fixture
def full_record(guide, other_guide):
    """A caller with notes, a screening and referrals whose notes name them."""
    caller = make_caller(guide=guide, notes="Sister drives her")
    client = signed_in(guide)
    client.post(reverse("guides:caller_screen", kwargs={"pk": caller.pk}), SCREENING)
    first, second = make_program(name="Evening IOP"), make_program(name="Weekend IOP")
    for program in (first, second):
        referral, _ = services.add_to_shortlist(guide=guide, caller=caller, program=program)
    services.update_referral(
        guide=guide,
        referral=referral,
        status="contacted",
        follow_up_on=None,
        note="Left a voicemail for Rosalind",
    )
    services.update_referral(
        guide=other_guide,
        referral=referral,
        status="admitted",
        follow_up_on=None,
        note="Rosalind starts Monday",
    )
    client.get(reverse("guides:call", kwargs={"pk": caller.pk}))
    return caller


def every_text_in_the_database() -> str:
    """Every row of every table, as text: what a database dump would show."""
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            dump.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(dump)


def test_export_is_a_json_download_of_everything_held(guide, full_record):
    response = signed_in(guide).get(reverse("guides:caller_export", kwargs={"pk": full_record.pk}))
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == f'attachment; filename="caller-{full_record.pk}.json"'
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["caller"]["first_name_or_alias"] == "Rosalind"
    assert data["caller"]["phone"] == "510-555-0199"
    assert data["caller"]["payment_kinds"] == ["medicaid"]
    assert data["consent"]["wording_version"] == full_record.consent_version
    assert data["screening"]["result"]["level"] == "iop"
    assert data["screening"]["answers"]["severity"] == "moderate"
    notes = [event["note"] for r in data["referrals"] for event in r["history"]]
    assert "Rosalind starts Monday" in notes
    assert [r["status"] for r in data["referrals"]] == ["suggested", "admitted"]


def test_the_database_never_holds_a_personal_detail_in_plain(guide, full_record):
    page = signed_in(guide).get(reverse("guides:call", kwargs={"pk": full_record.pk}))
    assert "Rosalind" in page.content.decode(), "the guide reads the details"
    dump = every_text_in_the_database()
    assert not [value for value in PERSONAL if value in dump]
    caller = Caller.objects.get(pk=full_record.pk)
    assert caller.notes == "Sister drives her"
    assert keystore.keys_of([caller.key_id]), "the caller's key is in the key store"


def test_after_erasure_no_personal_detail_can_be_read_anywhere(
    guide, full_record, caplog, caller_key_store
):
    caplog.set_level(logging.DEBUG)
    key_id = full_record.key_id
    key = keystore.keys_of([key_id])[key_id]
    with connection.cursor() as cursor:
        cursor.execute("SELECT alias, notes FROM guides_caller WHERE id = %s", [full_record.pk])
        sealed_alias, sealed_notes = cursor.fetchone()
    assert open_sealed(key, sealed_alias) == "Rosalind", "the check must see the data first"

    response = signed_in(guide).post(reverse("guides:caller_erase", kwargs={"pk": full_record.pk}))

    assert response["Location"] == reverse("guides:callers")
    # An older copy of the row (a dead row, a WAL record, a backup) holds only ciphertext,
    # and its key is gone from the key store, overwritten in its file.
    assert keystore.keys_of([key_id]) == {}
    assert keystore.find("510-555-0199") == [] and keystore.find("Rosalind") == []
    assert key not in caller_key_store.read_bytes()
    dump = every_text_in_the_database()
    for value in PERSONAL:
        assert value not in dump
    assert not Caller.objects.exists()
    # Anonymous counts per program remain, with no link back and no notes.
    assert Referral.objects.count() == 2
    assert not Referral.objects.filter(caller__isnull=False).exists()
    assert set(Referral.objects.values_list("note", flat=True)) == {""}
    assert set(ReferralEvent.objects.values_list("note", flat=True)) == {""}
    assert AuditEntry.objects.filter(caller_id=full_record.pk, action="erase").exists()
    assert not any(value in record.getMessage() for record in caplog.records for value in PERSONAL)
    assert sealed_notes not in dump


def test_an_erasure_that_fails_half_way_is_unreadable_and_finished_later(
    guide, full_record, monkeypatch
):
    def fail(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "audit", fail)
    pk = full_record.pk
    with pytest.raises(RuntimeError):
        services.erase_caller(guide=guide, caller=full_record)
    # The key went first: the record is still there, and nobody can read it.
    assert Caller.objects.filter(pk=pk).exists()
    with pytest.raises(CallerErased):
        _ = Caller.objects.get(pk=pk).alias
    page = signed_in(guide).get(reverse("guides:call", kwargs={"pk": pk}))
    assert page.status_code == 404
    monkeypatch.undo()

    assert services.finish_erasures() == {"records_deleted": 1, "keys_destroyed": 0}
    assert not Caller.objects.filter(pk=pk).exists()
    assert not Referral.objects.filter(caller_id=pk).exists()
    assert set(ReferralEvent.objects.values_list("note", flat=True)) == {""}


def test_the_erase_page_asks_first_and_a_get_erases_nothing(guide, full_record):
    page = signed_in(guide).get(reverse("guides:caller_erase", kwargs={"pk": full_record.pk}))
    assert "Erase for good" in page.content.decode()
    assert Caller.objects.filter(pk=full_record.pk).exists()
