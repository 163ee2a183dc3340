"""Nothing about a caller is stored without their consent; with it, the consent is kept."""

import pytest
from django.urls import reverse

from guides import services
from guides.consent import CURRENT_CONSENT_VERSION
from guides.models import AuditEntry, Caller
from programs.models import PaymentKind
from tests.guides.conftest import signed_in

pytestmark = pytest.mark.django_db

DETAILS = {
    "alias": "Rosalind",
    "phone": "510-555-0199",
    "zip_code": "94612",
    "radius_miles": "25",
    "times_of_day": ["evening"],
    "hours_per_week_max": "12",
    "focus": "substance_use",
    "notes": "Sister drives her",
}


def test_without_consent_nothing_is_stored_and_the_guide_is_told_why(guide):
    medicaid = PaymentKind.objects.get(slug="medicaid")
    response = signed_in(guide).post(
        reverse("guides:caller_new"),
        {**DETAILS, "payment_kinds": [medicaid.pk], "consent_version": CURRENT_CONSENT_VERSION},
    )
    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert not Caller.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_service_refuses_too(guide):
    with pytest.raises(services.ConsentMissing):
        services.create_caller(guide=guide, consent_given=False, details={"alias": "Rosalind"})
    assert not Caller.objects.exists()


def test_with_consent_the_record_keeps_when_which_wording_and_who_recorded_it(guide):
    medicaid = PaymentKind.objects.get(slug="medicaid")
    response = signed_in(guide).post(
        reverse("guides:caller_new"),
        {
            **DETAILS,
            "payment_kinds": [medicaid.pk],
            "consent": "on",
            "consent_version": CURRENT_CONSENT_VERSION,
        },
    )
    caller = Caller.objects.get()
    # The call opens at its top, on its safety question, with the consent's message there.
    call_page = reverse("guides:call", kwargs={"pk": caller.pk})
    assert response["Location"] == f"{call_page}?done=created"
    assert caller.consent_given_at is not None
    assert caller.consent_version == CURRENT_CONSENT_VERSION
    assert caller.consent_recorded_by == guide
    assert caller.created_by == guide
    assert (caller.alias, caller.times_of_day, caller.hours_per_week_max) == (
        "Rosalind",
        ["evening"],
        12,
    )
    assert list(caller.payment_kinds.all()) == [medicaid]


def test_a_form_read_with_old_consent_wording_is_refused(guide):
    response = signed_in(guide).post(
        reverse("guides:caller_new"), {**DETAILS, "consent": "on", "consent_version": "1999-01"}
    )
    assert "The consent statement has changed" in response.content.decode()
    assert not Caller.objects.exists()


def test_an_unknown_zip_is_a_clear_message_not_an_error(guide):
    response = signed_in(guide).post(
        reverse("guides:caller_new"),
        {
            **DETAILS,
            "zip_code": "00000",
            "consent": "on",
            "consent_version": CURRENT_CONSENT_VERSION,
        },
    )
    assert response.status_code == 200
    assert "We do not know this ZIP code" in response.content.decode()
    assert not Caller.objects.exists()


def test_matches_without_saving_help_a_caller_who_does_not_agree(guide):
    from tests.factories import make_program

    make_program(name="Evening IOP", payments=["medicaid"], tracks=[{"time_of_day": "evening"}])
    make_program(name="Cash only IOP", payments=["self_pay"])
    medicaid = PaymentKind.objects.get(slug="medicaid")
    response = signed_in(guide).post(
        reverse("guides:caller_new"),
        {
            "action": "preview",
            "alias": "Rosalind",
            "phone": "510-555-0199",
            "zip_code": "94612",
            "radius_miles": 25,
            "payment_kinds": [medicaid.pk],
            "times_of_day": ["evening"],
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    matches = page.split("Matches (nothing saved)")[1]
    assert "Evening IOP" in matches and "Cash only IOP" not in matches
    assert "Add to shortlist" not in matches
    assert "Nothing was saved. Read the consent statement" not in page
    assert 'value="Rosalind"' in page  # the needs stay on the form, consent still unticked
    assert not Caller.objects.exists() and not AuditEntry.objects.exists()


def test_matches_without_saving_still_check_the_needs(guide):
    response = signed_in(guide).post(
        reverse("guides:caller_new"),
        {"action": "preview", "alias": "R", "zip_code": "99999", "radius_miles": 25},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "We do not know this ZIP code" in page
    assert "Nothing was saved. Read the consent statement" not in page
