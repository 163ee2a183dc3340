"""The key store (guides/keystore.py): a caller's key and look-ups, destroyed for good."""

import stat

import pytest

from guides import keystore, services
from guides.models import Caller
from guides.sealing import CallerErased, Sealed
from tests.guides.conftest import make_caller

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "written",
    ["707-555-0142", "+1 707 555 0142", "(707) 555.0142", "17075550142", "707-555-0142 x 12"],
)
def test_a_phone_number_is_the_same_however_it_is_written(written):
    assert keystore.phone_digits(written) == "7075550142"


def test_a_destroyed_key_is_overwritten_in_the_store_file(caller_key_store):
    key_id = keystore.make_key(phone="707-555-0142", alias="Zanzibar")
    key = keystore.keys_of([key_id])[key_id]
    assert key in caller_key_store.read_bytes()
    assert stat.S_IMODE(caller_key_store.stat().st_mode) == 0o600

    assert keystore.destroy([key_id]) == 1

    assert key not in caller_key_store.read_bytes()
    assert keystore.find("707-555-0142") == []
    assert keystore.destroy([key_id]) == 0


def test_a_changed_phone_finds_the_caller_and_the_old_one_does_not(
    guide, django_capture_on_commit_callbacks
):
    caller = make_caller(guide=guide, alias="Rosalind", phone="510-555-0199")
    with django_capture_on_commit_callbacks(execute=True):
        services.update_caller(
            guide=guide, caller=caller, details={"phone": "415-555-0123"}, changed=["phone"]
        )
    assert keystore.find("4155550123") == [caller.key_id]
    assert keystore.find("5105550199") == []
    assert keystore.find("rosalind") == [caller.key_id]


def test_the_database_column_holds_a_token_and_the_model_the_value(guide):
    caller = make_caller(guide=guide, alias="Rosalind")
    stored = Caller.objects.values_list("alias", flat=True).get(pk=caller.pk)
    assert isinstance(stored, Sealed) and "Rosalind" not in stored
    assert Caller.objects.get(pk=caller.pk).alias == "Rosalind"
    keystore.destroy([caller.key_id])
    with pytest.raises(CallerErased):
        _ = Caller.objects.get(pk=caller.pk).alias


def test_a_sealed_value_cannot_be_looked_up(guide):
    make_caller(guide=guide, alias="Rosalind")
    with pytest.raises(ValueError, match="sealed"):
        Caller.objects.filter(alias="Rosalind").exists()
