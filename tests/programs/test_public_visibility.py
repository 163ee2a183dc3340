"""Only published programs ever reach the public; what they show about samples and unknowns."""

import pytest
from django.urls import reverse

from programs.models import Program
from programs.selectors import published_programs
from tests.factories import make_program

pytestmark = pytest.mark.django_db

HIDDEN = [Program.Status.DRAFT, Program.Status.ARCHIVED]


@pytest.fixture
def catalogue():
    return {
        "published": make_program(name="Harbor Evening IOP", tracks=[{}]),
        "draft": make_program(name="Unfinished Draft IOP", status=Program.Status.DRAFT),
        "archived": make_program(name="Closed Archived PHP", status=Program.Status.ARCHIVED),
    }


def test_selector_returns_only_published_programs(catalogue):
    assert list(published_programs()) == [catalogue["published"]]


def test_list_shows_published_programs_only(client, catalogue):
    response = client.get(reverse("programs:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Harbor Evening IOP" in page
    assert "Unfinished Draft IOP" not in page
    assert "Closed Archived PHP" not in page


@pytest.mark.parametrize("status", HIDDEN)
def test_hidden_program_page_is_not_found(client, status):
    program = make_program(name="Not For Patients", status=status)
    response = client.get(reverse("programs:detail", args=[program.pk]))
    assert response.status_code == 404
    assert "Not For Patients" not in response.content.decode()


def test_published_program_page_shows_it(client, catalogue):
    response = client.get(reverse("programs:detail", args=[catalogue["published"].pk]))
    assert response.status_code == 200
    assert "Harbor Evening IOP" in response.content.decode()


@pytest.mark.parametrize("status", HIDDEN)
def test_unpublishing_removes_a_program_from_public_pages(client, status):
    program = make_program(name="Soon Withdrawn IOP")
    assert "Soon Withdrawn IOP" in client.get(reverse("programs:list")).content.decode()
    program.status = status
    program.save()
    assert "Soon Withdrawn IOP" not in client.get(reverse("programs:list")).content.decode()
    assert client.get(reverse("programs:detail", args=[program.pk])).status_code == 404
    assert program not in published_programs()


def test_sample_listing_is_marked_on_list_and_page(client):
    sample = make_program(name="Sample Valley IOP", is_sample=True, tracks=[{}])
    real = make_program(name="Real Hills IOP", tracks=[{}])
    listing = client.get(reverse("programs:list")).content.decode()
    assert listing.count("Sample listing") == 1
    assert listing.index("Sample Valley IOP") < listing.index("Sample listing")
    assert (
        "Sample listing"
        in client.get(reverse("programs:detail", args=[sample.pk])).content.decode()
    )
    assert (
        "Sample listing"
        not in client.get(reverse("programs:detail", args=[real.pk])).content.decode()
    )


def test_imported_program_without_schedule_or_cost_says_not_yet_verified(client):
    imported = make_program(
        name="Imported Coast IOP", source=Program.Source.SAMHSA, external_key="ca-000-iop"
    )
    for url in [reverse("programs:list"), reverse("programs:detail", args=[imported.pk])]:
        page = client.get(url).content.decode()
        assert "Schedule not yet verified" in page
        assert "Cost not yet verified" in page
        assert "0 days/week" not in page
        assert "$0" not in page
