"""The search columns copied onto programs stay in step with their related rows."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.http import QueryDict

from programs import search, services
from programs.models import Program
from programs.selectors import program_search
from tests.factories import make_program, make_provider, make_site

pytestmark = pytest.mark.django_db


def test_refresh_search_text_copies_provider_place_services_and_terms():
    program = make_program(
        site=make_site(provider=make_provider(name="Sunrise Health"), city="Fresno"),
        payments=["medicaid", "self_pay"],
    )
    program.services.add(*program.services.model.objects.filter(slug__in=["dbt", "cbt"]))
    services.refresh_search_text(program=program)
    program.refresh_from_db()
    assert program.search_provider == "Sunrise Health"
    assert program.search_place == "Fresno CA 94612"
    assert "Dialectical behavior therapy (DBT)" in program.search_services
    assert program.payment_mask == search.mask_of("payment", ["medicaid", "self_pay"])
    assert program.service_mask == search.mask_of("service", ["dbt", "cbt"])
    assert program.insurer_mask == 0


def test_the_command_repairs_programs_written_without_the_service():
    program = make_program(payments=["medicaid"])
    Program.objects.filter(pk=program.pk).update(
        search_provider="", search_place="", payment_mask=0
    )
    assert program_search(params=QueryDict("payment=medicaid")).facets["payment"][0].count == 0
    out = StringIO()
    call_command("refresh_search_index", stdout=out)
    assert out.getvalue() == "Search text refreshed for 1 program(s).\n"
    program.refresh_from_db()
    assert program.search_provider == program.provider.name
    assert program.payment_mask == search.mask_of("payment", ["medicaid"])
    assert services.refresh_search_index() == 0  # nothing left to change
    medicaid = program_search(params=QueryDict("payment=medicaid")).facets["payment"][0]
    assert (medicaid.value, medicaid.count) == ("medicaid", 1)


def test_bits_follow_the_vocabulary_order():
    assert search.TERM_BITS["payment"]["medicaid"] == 1
    assert search.TERM_BITS["payment"]["medicare"] == 2
    assert search.mask_of("payment", ["medicaid", "medicare", "unknown"]) == 3
