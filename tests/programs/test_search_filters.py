"""What each search parameter means, checked against hand-made programs."""

from decimal import Decimal

import pytest
from django.http import QueryDict

from programs.filters import ProgramFilterSet
from programs.models import Program
from programs.selectors import program_search
from tests.factories import add_terms, make_program, make_provider, make_site

pytestmark = pytest.mark.django_db


def names(query: str) -> set[str]:
    result = program_search(params=QueryDict(query))
    assert result.is_valid, result.errors
    return {program.name for program in result.paginate(1, 1000)}


def test_only_published_programs_are_found():
    make_program(name="Open")
    make_program(name="Draft", status=Program.Status.DRAFT)
    make_program(name="Archived", status=Program.Status.ARCHIVED)
    assert names("") == {"Open"}


def test_level_values_combine_with_or():
    make_program(name="Day", level_of_care="php")
    make_program(name="Intensive", level_of_care="iop")
    make_program(name="Weekly", level_of_care="outpatient")
    assert names("level=iop") == {"Intensive"}
    assert names("level=iop&level=php") == {"Intensive", "Day"}


def test_focus():
    make_program(name="Alcohol", focus="substance_use")
    make_program(name="Mood", focus="mental_health")
    make_program(name="Dual", focus="co_occurring")
    # A co-occurring program treats either need; asking for both finds only those.
    assert names("focus=mental_health") == {"Mood", "Dual"}
    assert names("focus=substance_use") == {"Alcohol", "Dual"}
    assert names("focus=co_occurring") == {"Dual"}


def test_payment_is_or_within_and_across_other_parameters():
    make_program(name="Medicaid IOP", level_of_care="iop", payments=["medicaid"])
    make_program(name="Sliding IOP", level_of_care="iop", payments=["sliding_scale"])
    make_program(name="Cash IOP", level_of_care="iop", payments=["self_pay"])
    make_program(name="Medicaid PHP", level_of_care="php", payments=["medicaid", "self_pay"])
    assert names("payment=medicaid&payment=sliding_scale") == {
        "Medicaid IOP",
        "Sliding IOP",
        "Medicaid PHP",
    }
    assert names("payment=medicaid&payment=sliding_scale&level=iop") == {
        "Medicaid IOP",
        "Sliding IOP",
    }


def test_a_program_with_several_matching_payments_is_listed_once():
    make_program(name="Both", payments=["medicaid", "sliding_scale"])
    result = program_search(params=QueryDict("payment=medicaid&payment=sliding_scale"))
    assert [p.name for p in result.paginate(1, 1000)] == ["Both"]
    assert result.count == 1


def test_insurer():
    add_terms(make_program(name="Aetna"), insurers=["aetna"])
    add_terms(make_program(name="Kaiser"), insurers=["kaiser"])
    make_program(name="None named")
    assert names("insurer=aetna&insurer=cigna") == {"Aetna"}


def test_service_requires_every_service_asked_for():
    add_terms(make_program(name="DBT only"), services=["dbt"])
    add_terms(make_program(name="DBT and family"), services=["dbt", "family_therapy"])
    add_terms(make_program(name="Family only"), services=["family_therapy"])
    assert names("service=dbt&service=family_therapy") == {"DBT and family"}
    assert names("service=dbt") == {"DBT only", "DBT and family"}


def test_population_and_language_are_or_within():
    add_terms(make_program(name="Teens"), populations=["adolescents"])
    add_terms(make_program(name="Veterans"), populations=["veterans"])
    add_terms(make_program(name="Women"), populations=["women"])
    assert names("population=adolescents&population=veterans") == {"Teens", "Veterans"}
    add_terms(make_program(name="Spanish"), languages=["spanish"])
    add_terms(make_program(name="Korean"), languages=["korean"])
    assert names("language=spanish&language=korean") == {"Spanish", "Korean"}
    assert names("language=spanish&population=veterans") == set()


def test_accreditation_is_or_within():
    add_terms(make_program(name="Joint"), accreditations=["joint_commission"])
    add_terms(make_program(name="Both"), accreditations=["carf", "ncqa"])
    make_program(name="None")
    assert names("accreditation=carf") == {"Both"}
    assert names("accreditation=joint_commission&accreditation=carf") == {"Joint", "Both"}
    assert names("accreditation=coa") == set()
    assert not program_search(params=QueryDict("accreditation=iso")).is_valid


def test_max_cost_keeps_known_costs_that_fit_and_unknown_only_when_asked():
    make_program(name="Cheap", cost_per_session_min=Decimal("150"))
    make_program(
        name="Range", cost_per_session_min=Decimal("200"), cost_per_session_max=Decimal("400")
    )
    make_program(name="Dear", cost_per_session_min=Decimal("350"))
    make_program(name="Unknown")
    assert names("max_cost_per_session=200") == {"Cheap", "Range"}
    assert names("max_cost_per_session=200&include_unknown_cost=1") == {
        "Cheap",
        "Range",
        "Unknown",
    }
    # Without a cost limit nothing is dropped for its cost.
    assert len(names("include_unknown_cost=0")) == 4


def test_time_of_day_is_or_within():
    make_program(name="Mornings", tracks=[{"time_of_day": "morning"}])
    make_program(name="Evenings", tracks=[{"time_of_day": "evening"}])
    make_program(name="Saturdays", tracks=[{"time_of_day": "afternoon", "weekend": True}])
    make_program(name="Not yet verified")
    assert names("time_of_day=evening") == {"Evenings"}
    assert names("time_of_day=evening&time_of_day=weekend") == {"Evenings", "Saturdays"}
    assert names("time_of_day=afternoon") == {"Saturdays"}


def test_schedule_bounds_compare_with_the_lightest_track_and_drop_unknown_schedules():
    make_program(
        name="Flexible",
        tracks=[
            {"days_per_week_min": 3, "days_per_week_max": 3, "length_weeks_min": 6},
            {
                "days_per_week_min": 5,
                "days_per_week_max": 5,
                "time_of_day": "morning",
                "length_weeks_min": 12,
            },
        ],
    )  # 9-15 h/week
    make_program(
        name="Five days",
        tracks=[
            {
                "days_per_week_min": 5,
                "days_per_week_max": 5,
                "hours_per_day_min": Decimal("4"),
                "hours_per_day_max": Decimal("4"),
                "length_weeks_min": 4,
            }
        ],
    )  # 20 h/week
    make_program(name="Not yet verified")
    assert names("max_days_per_week=3") == {"Flexible"}
    assert names("max_days_per_week=5") == {"Flexible", "Five days"}
    assert names("max_hours_per_week=9") == {"Flexible"}
    assert names("max_hours_per_week=19.5") == {"Flexible"}
    assert names("max_hours_per_week=20") == {"Flexible", "Five days"}
    assert names("max_weeks=5") == {"Five days"}
    assert names("max_weeks=6") == {"Flexible", "Five days"}


def test_format_counts_programs_offering_both():
    make_program(name="Clinic", format="in_person")
    make_program(name="Video", format="telehealth")
    make_program(name="Either", format="both")
    assert names("format=in_person") == {"Clinic", "Either"}
    assert names("format=telehealth") == {"Video", "Either"}


def test_accepting_keeps_only_programs_known_to_accept():
    make_program(name="Open", accepting_new_clients=True)
    make_program(name="Full", accepting_new_clients=False)
    make_program(name="Unknown")
    assert names("accepting=1") == {"Open"}
    assert names("accepting=0") == {"Open", "Full", "Unknown"}


def test_text_search_covers_name_provider_city_and_services():
    dbt = make_program(name="Harbor Evening Program", site=make_site(city="Fresno"))
    add_terms(dbt, services=["dbt"])
    other = make_program(
        name="Valley Recovery", site=make_site(provider=make_provider(name="Sunrise Health"))
    )
    add_terms(other, services=["group_therapy"])
    assert names("q=harbor") == {"Harbor Evening Program"}
    assert names("q=Sunrise") == {"Valley Recovery"}
    assert names("q=fresno") == {"Harbor Evening Program"}
    assert names("q=dialectical") == {"Harbor Evening Program"}
    assert names("q=group") == {"Valley Recovery"}
    # Every word must match.
    assert names("q=harbor+fresno") == {"Harbor Evening Program"}
    assert names("q=harbor+sunrise") == set()


def test_unknown_parameters_are_ignored():
    make_program(name="Any")
    assert names("colour=blue&level=iop") == {"Any"}


def test_the_filtersets_queryset_is_what_the_engine_finds():
    """ProgramFilterSet is the parameter layer; its .qs asks the engine, like every page."""
    make_program(name="Day", level_of_care="php")
    make_program(name="Intensive", level_of_care="iop")
    make_program(name="Draft", level_of_care="iop", status=Program.Status.DRAFT)
    filterset = ProgramFilterSet(QueryDict("level=iop"))
    assert {program.name for program in filterset.qs} == {"Intensive"}


def test_care_above_php_is_listed_but_found_only_when_asked_for(client):
    """SAMHSA's residential, hospital and detox listings: out of the default search, so that
    no one looking for an IOP is sent there; found, and counted, when asked for."""
    make_program(name="Day IOP", level_of_care="iop")
    make_program(name="Lakeside Residential", level_of_care="residential")
    make_program(name="County Detox", level_of_care="detox")
    assert [p["name"] for p in client.get("/api/programs/").json()["results"]] == ["Day IOP"]
    found = client.get("/api/programs/?level=residential&level=detox").json()["results"]
    assert [p["name"] for p in found] == ["County Detox", "Lakeside Residential"]
    both = client.get("/api/programs/?level=residential&level=iop").json()["results"]
    assert [p["name"] for p in both] == ["Day IOP", "Lakeside Residential"]
    facets = client.get("/programs/").context["result"].facets["level"]
    counts = {facet.value: facet.count for facet in facets}
    assert counts == {
        "php": 0,
        "iop": 1,
        "outpatient": 0,
        "residential": 1,
        "inpatient": 0,
        "detox": 1,
    }
