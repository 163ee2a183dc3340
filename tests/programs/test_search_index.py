"""The search text copied onto programs stays in step with their related rows."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.http import QueryDict

from programs import services
from programs.models import Program
from programs.selectors import program_search
from tests.factories import make_program, make_provider, make_site

pytestmark = pytest.mark.django_db


def test_refresh_search_text_copies_provider_place_and_services():
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


def test_the_command_repairs_programs_written_without_the_service():
    program = make_program(payments=["medicaid"])
    Program.objects.filter(pk=program.pk).update(search_provider="", search_place="")
    words = program.provider.name.split()[0]
    assert program_search(params=QueryDict(f"q={words}")).count == 0
    out = StringIO()
    call_command("refresh_search_index", stdout=out)
    assert out.getvalue() == "Search text refreshed for 1 program(s).\n"
    program.refresh_from_db()
    assert program.search_provider == program.provider.name
    assert services.refresh_search_index() == 0  # nothing left to change
    assert program_search(params=QueryDict(f"q={words}")).count == 1
