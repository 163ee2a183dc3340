"""About our data: live figures on where the published listings come from and how recently they
were checked, in plain words, in each language's way of writing numbers (programs/about.py)."""

import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programs import about
from programs.models import Program
from tests.factories import make_program

pytestmark = pytest.mark.django_db

URL = reverse("programs:about_data")
SAMHSA, MANUAL = Program.Source.SAMHSA, Program.Source.MANUAL


def days_ago(days):
    return timezone.localdate() - timedelta(days=days)


@pytest.fixture
def catalogue():
    """Six published listings (three from SAMHSA, two by curators, one sample) and two that
    are not published. Verified 10, 30, 100 and 200 days ago; two never."""
    listings = {
        "samhsa_fresh": make_program(source=SAMHSA, last_verified_on=days_ago(10)),
        "samhsa_older": make_program(source=SAMHSA, last_verified_on=days_ago(100)),
        "samhsa_never": make_program(source=SAMHSA),
        "curated_stale": make_program(source=MANUAL, last_verified_on=days_ago(200)),
        "curated_fresh": make_program(source=MANUAL, last_verified_on=days_ago(30)),
        "sample": make_program(source=MANUAL, is_sample=True),
        "draft": make_program(
            source=SAMHSA, status=Program.Status.DRAFT, last_verified_on=days_ago(1)
        ),
        "archived": make_program(
            source=MANUAL, status=Program.Status.ARCHIVED, last_verified_on=days_ago(2)
        ),
    }
    return listings


def text_of(response) -> str:
    """The page's words, tags dropped and spaces joined (no-break spaces kept)."""
    words = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(words))


def test_the_figures_count_published_listings_only(catalogue):
    figures = about.data_figures()
    assert figures.published == 6
    assert (figures.from_samhsa, figures.from_curators, figures.samples) == (3, 2, 1)
    assert figures.verified_recently == 3  # 10, 30 and 100 days ago; 200 is past 180
    assert figures.verified_recently_percent == 50
    assert figures.never_verified == 2
    assert figures.median_days_since_verified == 65  # (30 + 100) / 2
    assert figures.recent_days == 180
    assert figures.example_program == catalogue["samhsa_fresh"]


def test_generated_listings_count_as_samples():
    make_program(source=Program.Source.GENERATED, is_sample=True)
    make_program(source=Program.Source.GENERATED)
    figures = about.data_figures()
    assert (figures.from_samhsa, figures.from_curators, figures.samples) == (0, 0, 2)


def test_recent_follows_stale_after_days(settings, catalogue):
    settings.STALE_AFTER_DAYS = 60
    figures = about.data_figures()
    assert figures.recent_days == 60
    assert figures.verified_recently == 2


def test_an_empty_catalogue_says_nothing_was_verified(client):
    figures = about.data_figures()
    assert figures.published == 0
    assert figures.verified_recently_percent is None
    assert figures.median_days_since_verified is None
    page = text_of(client.get(URL, HTTP_ACCEPT_LANGUAGE="en"))
    assert "0 programs listed" in page
    assert "We have not verified any listing yet." in page


def test_the_page_in_english(client, catalogue):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = text_of(response)
    assert "About our data" in page
    assert "6 programs listed" in page
    assert "SAMHSA's national directories of treatment facilities 3" in page
    assert "Added by our curators 2" in page
    assert "Sample listings (made up, for demonstrations) 1" in page
    assert "50% of listings (3 of 6) were verified by us in the last 180 days." in page
    assert "2 listings have never been verified by us." in page
    assert "half were checked in the last 65 days (the median)" in page
    assert "Update this listing" in page
    report_link = reverse("programs:detail", args=[catalogue["samhsa_fresh"].pk]) + "#report"
    assert f'href="{report_link}"' in response.content.decode()
    # Every page keeps the crisis lines.
    assert "988" in page and "1-800-662-4357" in page


def test_numbers_are_written_the_way_each_language_writes_them(client, settings):
    settings.STALE_AFTER_DAYS = 1500
    for days in (1200, 1300):
        make_program(source=SAMHSA, last_verified_on=days_ago(days))
    english = text_of(client.get(URL, HTTP_ACCEPT_LANGUAGE="en"))
    assert "in the last 1,500 days" in english
    assert "half were checked in the last 1,250 days" in english
    spanish_response = client.get(URL, HTTP_ACCEPT_LANGUAGE="es")
    assert '<html lang="es">' in spanish_response.content.decode()
    spanish = text_of(spanish_response)
    # Spanish groups thousands with a no-break space (Django's es formats).
    assert "1\N{NO-BREAK SPACE}500 " in spanish
    assert "1\N{NO-BREAK SPACE}250 " in spanish
    assert "1,500" not in spanish and "1,250" not in spanish
    today = timezone.localdate()
    assert f"{today.day} de " in spanish and str(today.year) in spanish


def test_the_median_is_rounded_to_whole_days(client):
    make_program(last_verified_on=days_ago(10))
    make_program(last_verified_on=days_ago(13))
    assert about.data_figures().median_days_since_verified == 11.5
    page = text_of(client.get(URL, HTTP_ACCEPT_LANGUAGE="en"))
    assert "in the last 12 days (the median)" in page


def test_every_page_links_to_it(client):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="{URL}">About our data</a>' in page


def test_it_takes_a_handful_of_queries(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(URL, HTTP_ACCEPT_LANGUAGE="en")
