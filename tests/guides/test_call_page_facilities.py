"""The call page lists facilities, not programs: one entry per site with the levels of care
it offers, the caller's level marked; referrals show level, phone and address; the caller's
phone is a real phone number."""

import re

import pytest
from django.urls import reverse

from guides import keystore, selectors
from guides.forms import CallerForm
from guides.models import Referral
from tests.factories import make_program, make_site
from tests.guides.conftest import make_caller, signed_in

pytestmark = pytest.mark.django_db


def call_page(client, caller):
    return client.get(reverse("guides:call", kwargs={"pk": caller.pk})).content.decode()


def entries(page):
    """Each facility's entry in the matches, in the order shown."""
    return re.findall(r'<li class="match" id="match-\d+">.*?</ul>\s*</li>', page, re.DOTALL)


def one_site_three_levels(**site):
    site = make_site(**site)
    return {
        level: make_program(
            name="Harbor Recovery", site=site, level_of_care=level, payments=["medicaid"]
        )
        for level in ("outpatient", "iop", "php")
    }


def test_a_facility_with_three_levels_is_one_entry_listing_each_level(guide, caller):
    programs = one_site_three_levels()
    page = call_page(signed_in(guide), caller)
    [entry] = entries(page)
    for program in programs.values():
        assert f'id="level-{program.pk}"' in entry
        assert f'name="program" value="{program.pk}"' in entry
    assert "Standard outpatient" in entry and "Partial hospitalization (PHP)" in entry
    assert "Fits the caller" not in entry  # not screened: no level fits more than another


def test_the_level_that_fits_the_caller_is_marked(guide, caller):
    programs = one_site_three_levels()
    caller.screening_result = {"level": "iop", "reasons": [], "notes": []}
    caller.save()
    [entry] = entries(call_page(signed_in(guide), caller))
    marked = re.findall(r'<li class="facility-level fits-caller" id="level-(\d+)">', entry)
    assert marked == [str(programs["iop"].pk)]
    assert entry.count("Fits the caller") == 1
    assert f'id="level-{programs["php"].pk}"' in entry  # its other levels are still offered


def test_a_facility_without_the_callers_level_is_not_shown(guide, caller):
    make_program(name="Only PHP Here", level_of_care="php", payments=["medicaid"])
    caller.screening_result = {"level": "iop", "reasons": [], "notes": []}
    caller.save()
    assert "Only PHP Here" not in call_page(signed_in(guide), caller)


def test_facilities_rank_by_their_best_scoring_program(guide, caller):
    # Equal scores would put "Aardvark" first (by name): only Zephyr's accepting PHP,
    # its best program, puts it ahead.
    make_program(name="Aardvark Clinic", payments=["medicaid"])
    zephyr = make_site()
    make_program(name="Zephyr Clinic", site=zephyr, payments=["medicaid"])
    make_program(
        name="Zephyr Clinic",
        site=zephyr,
        level_of_care="php",
        payments=["medicaid"],
        accepting_new_clients=True,
    )
    shown = entries(call_page(signed_in(guide), caller))
    assert len(shown) == 2
    assert "Zephyr Clinic" in shown[0] and "Aardvark Clinic" in shown[1]
    assert "Accepting new clients" in shown[0]  # the best program's reasons


def test_a_guide_adds_one_levels_program_to_the_shortlist(guide, caller):
    programs = one_site_three_levels()
    client = signed_in(guide)
    response = client.post(
        reverse("guides:shortlist_add", kwargs={"pk": caller.pk}),
        {"program": programs["php"].pk},
    )
    assert response.status_code == 302
    assert [referral.program for referral in Referral.objects.all()] == [programs["php"]]
    [entry] = entries(call_page(client, caller))
    assert entry.count("On the shortlist") == 1
    assert f'name="program" value="{programs["php"].pk}"' not in entry.split("Levels of care")[1]


def test_referrals_show_level_phone_and_address(guide, caller):
    listed = make_program(
        name="Lakeside IOP",
        phone="510-555-0100 x12",
        site=make_site(address="1 Harbor Way"),
        payments=["medicaid"],
    )
    unlisted = make_program(name="Quiet PHP", level_of_care="php", site=make_site(address=""))
    client = signed_in(guide)
    for program in (listed, unlisted):
        client.post(
            reverse("guides:shortlist_add", kwargs={"pk": caller.pk}), {"program": program.pk}
        )
    page = call_page(client, caller)
    referrals = page.split('id="referrals"')[1]
    lakeside, quiet = re.findall(r'<article id="referral-\d+".*?</article>', referrals, re.DOTALL)
    assert 'href="tel:+1-510-555-0100;ext=12"' in lakeside
    assert "1 Harbor Way, Oakland, CA 94612" in lakeside
    assert "Intensive outpatient (IOP)" in lakeside
    assert "address not published" in quiet and "address not published" not in lakeside
    assert "Partial hospitalization (PHP)" in quiet


@pytest.mark.parametrize(
    "written",
    ["510-555-0199", "(510) 555-0199", "+1 510 555 0199", "510.555.0199 x12", "5105550199 ext. 12"],
)
def test_a_phone_written_as_people_write_it_is_accepted(written):
    form = CallerForm({"phone": written})
    form.is_valid()
    assert "phone" not in form.errors
    assert form.cleaned_data["phone"] == written


@pytest.mark.parametrize(
    "written",
    ["call me maybe", "555-0199", "123-456-7890", "510-555-0199 or 0200", "+44 20 7946 0958"],
)
def test_anything_but_a_phone_number_is_refused_with_an_example(written):
    form = CallerForm({"phone": written})
    assert not form.is_valid()
    assert form.errors["phone"] == ["Enter a phone number like 510-555-0199."]


def test_a_caller_is_found_by_their_number_as_caller_id_shows_it(guide):
    caller = make_caller(guide=guide, phone="(323) 555-0199")
    make_caller(guide=guide, alias="Other", phone="(323) 555-0198")
    assert keystore.find("+1 323 555 0199") == [caller.key_id]
    found = selectors.callers_for_list(
        guide=guide,
        mine=False,
        open_referrals=False,
        follow_up_due=False,
        today=caller.created_at.date(),
        text="+1 323 555 0199",
        limit=10,
    )
    assert found == [caller]
