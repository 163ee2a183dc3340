"""The demo listings in fixtures/demo_programs.json, which `make run` loads after migrating."""

from datetime import timedelta

import pytest
import zipcodes
from django.conf import settings
from django.core.management import call_command
from django.test import TestCase

from programs import levels, synthetic, vocabulary
from programs.models import Program, ScheduleTrack, Site
from programs.services import refresh_search_index, schedule_summary

# The fixture names vocabulary terms by primary key (the model has no natural keys), so
# it depends on migration 0002 numbering each table in this order. Append new terms at the
# end of programs/vocabulary.py; reordering them means rewriting the fixture's references.
FIXTURE_VOCABULARY_ORDER = {
    "PaymentKind": [
        "medicaid", "medicare", "private_insurance", "military", "state_financed",
        "ihs_tribal", "self_pay", "sliding_scale", "payment_assistance", "free",
    ],
    "Insurer": [
        "aetna", "anthem", "blue_shield", "cigna", "humana",
        "kaiser", "magellan", "optum", "tricare", "united",
    ],
    "Service": [
        "individual_counseling", "group_therapy", "family_therapy", "education",
        "drug_testing", "medication_management", "case_management", "cbt", "dbt",
        "trauma_informed", "relapse_prevention", "life_skills", "aftercare", "peer_support",
        "buprenorphine", "methadone", "naltrexone", "accepts_mat_clients",
    ],
    "Population": [
        "adults", "adolescents", "young_adults", "women", "men",
        "lgbtq", "veterans", "pregnant_postpartum", "seniors",
    ],
    "Language": [
        "english", "spanish", "asl", "chinese", "tagalog",
        "vietnamese", "korean", "russian", "farsi", "arabic",
    ],
    "Accreditation": ["joint_commission", "carf", "coa", "ncqa"],
}  # fmt: skip

# The one demo listing deliberately outside its level's band (2 days x 4 h = 8 h a week for
# an IOP), so curators can see the flag.
OUTSIDE_BAND = {"Lakeshore Bridge Weekend IOP"}


@pytest.mark.django_db
def test_vocabulary_rows_have_the_primary_keys_the_fixture_refers_to():
    for model_name, slugs in FIXTURE_VOCABULARY_ORDER.items():
        model = Program._meta.apps.get_model("programs", model_name)
        in_database = dict(model.objects.values_list("slug", "pk"))
        expected = {slug: position for position, slug in enumerate(slugs, start=1)}
        assert {slug: in_database.get(slug) for slug in slugs} == expected, model_name
        assert list(vocabulary.TABLES[model_name])[: len(slugs)] == slugs, model_name


class DemoData(TestCase):
    """Loaded once for the class: loaddata is slow (change history records every m2m set)."""

    fixtures = ["demo_programs"]

    def setUp(self):
        self.demo = Program.objects.filter(
            is_sample=True, source=Program.Source.MANUAL
        ).prefetch_related("tracks", "payment_kinds", "insurers", "services")

    def test_at_least_40_published_fictional_listings_in_at_least_5_states(self):
        assert self.demo.count() >= 40
        assert set(self.demo.values_list("status", flat=True)) == {Program.Status.PUBLISHED}
        assert len(set(self.demo.values_list("site__state", flat=True))) >= 5

    def test_every_level_payment_kind_time_of_day_and_format_is_covered(self):
        # The fictional samples show what IOP Finder is for: PHP, IOP and outpatient (care
        # above PHP comes only from SAMHSA's directories).
        assert set(self.demo.values_list("level_of_care", flat=True)) == set(levels.LEVEL_ORDER)
        assert set(self.demo.values_list("format", flat=True)) == set(vocabulary.FORMATS)
        assert set(self.demo.values_list("payment_kinds__slug", flat=True)) == set(
            vocabulary.PAYMENT_KINDS
        )
        for time in vocabulary.TIMES_OF_DAY:
            assert self.demo.filter(**{f"offers_{time}": True}).exists(), time

    def test_each_listing_has_one_or_two_tracks_and_a_summary_that_matches_them(self):
        for program in self.demo:
            tracks = list(program.tracks.all())
            assert 1 <= len(tracks) <= 2, program.name
            summary = schedule_summary(tracks)
            assert {field: getattr(program, field) for field in summary} == summary, program.name
        assert self.demo.filter(offers_morning=True, offers_evening=True).exists()

    def test_search_columns_already_hold_what_the_search_index_would_write(self):
        assert refresh_search_index(programs=self.demo) == 0

    def test_levels_stay_in_their_bands_except_the_deliberate_one(self):
        assert set(self.demo.outside_level_band().values_list("name", flat=True)) == OUTSIDE_BAND

    def test_costs_are_in_the_seed_ranges_or_free(self):
        for program in self.demo:
            if program.payment_kinds.filter(slug="free").exists():
                assert program.cost_per_session_max == 0 and program.total_cost_max == 0
                continue
            ranges = synthetic.COST_RANGES[program.level_of_care]
            low, high = ranges["per_session"]
            assert low <= program.cost_per_session_min <= program.cost_per_session_max <= high
            if program.total_cost_min is None:
                assert program.length_weeks_min is None, f"{program.name} has a set length"
            else:
                low, high = ranges["total"]
                assert low <= program.total_cost_min <= program.total_cost_max <= high, program.name

    def test_named_insurers_only_where_insurance_is_accepted(self):
        for program in self.demo:
            insurers = {insurer.slug for insurer in program.insurers.all()}
            payments = {kind.slug for kind in program.payment_kinds.all()}
            if insurers - {"tricare"}:
                assert "private_insurance" in payments, program.name
            if "tricare" in insurers:
                assert "military" in payments, program.name
        assert self.demo.filter(insurers__isnull=False).exists()

    def test_most_listings_are_recently_verified_and_a_few_are_stale(self):
        dates = list(self.demo.values_list("last_verified_on", flat=True))
        newest = max(dates)
        stale = [day for day in dates if newest - day > timedelta(days=settings.STALE_AFTER_DAYS)]
        assert 3 <= len(stale) <= len(dates) // 4

    def test_sites_sit_at_real_zip_code_centroids(self):
        sites = Site.objects.filter(programs__in=self.demo).distinct()
        assert sites.exists()
        places = {place["zip_code"]: place for place in zipcodes.list_all()}
        for site in sites:
            place = places[site.zip_code]
            assert (place["city"], place["state"]) == (site.city, site.state)
            assert abs(float(place["lat"]) - site.latitude) < 0.001
            assert abs(float(place["long"]) - site.longitude) < 0.001

    def test_every_row_passes_model_validation(self):
        for program in self.demo:
            program.full_clean()
            program.site.full_clean()
            program.provider.full_clean()
            for track in program.tracks.all():
                track.full_clean()

    def test_loading_again_changes_nothing(self):
        before = list(self.demo.order_by("pk").values())
        tracks_before = list(ScheduleTrack.objects.filter(program__in=self.demo).values())
        call_command("loaddata", "demo_programs", verbosity=0)
        assert list(self.demo.order_by("pk").values()) == before
        assert list(ScheduleTrack.objects.filter(program__in=self.demo).values()) == tracks_before
