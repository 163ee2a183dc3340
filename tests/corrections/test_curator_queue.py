"""The curators' one queue (/admin/queue/): what to check first, most-opened listings first."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from corrections import services
from corrections.models import CorrectionReport, ListingUpdate
from programs.models import PageViews
from tests.corrections.test_curator_access import curator_client  # noqa: F401
from tests.factories import make_program

pytestmark = pytest.mark.django_db


def test_opening_a_program_page_counts_a_view_and_nothing_else(client):
    program = make_program(name="Harbor Evening IOP")
    for _ in range(3):
        assert client.get(reverse("programs:detail", args=[program.pk])).status_code == 200
    assert list(PageViews.objects.values_list("program", "day", "views")) == [
        (program.pk, timezone.localdate(), 3)
    ]
    assert [field.name for field in PageViews._meta.fields] == ["id", "program", "day", "views"]


def test_the_queue_puts_what_helps_patients_most_first(curator_client, client):  # noqa: F811
    today = timezone.localdate()
    popular = make_program(name="Popular Never Verified")
    quiet = make_program(name="Quiet Never Verified")
    old = make_program(name="Checked Long Ago", last_verified_on=today - timedelta(days=400))
    fresh = make_program(name="Checked Last Week", last_verified_on=today - timedelta(days=7))
    make_program(
        name="Was Full Long Ago",
        last_verified_on=today,
        accepting_new_clients=False,
        availability_as_of=today - timedelta(days=45),
    )
    for _ in range(5):
        client.get(reverse("programs:detail", args=[popular.pk]))
    services.submit_correction(program=quiet, problem="cost", details="Now $300 a session.")
    CorrectionReport.objects.create(
        program=old, problem=CorrectionReport.Problem.NOT_LISTED, details="Not in the 2023 file."
    )
    ListingUpdate.objects.create(
        program=fresh,
        sender_name="Ana",
        sender_role="intake coordinator",
        sender_email="ana@example.org",
        changes={"phone": "510-555-0100"},
        token_hash="0" * 64,
        status=ListingUpdate.Status.NEW,
    )

    page = curator_client.get(reverse("curator_queue"))

    assert page.status_code == 200
    parts = {part.key: part for part in page.context["parts"]}
    assert [part.key for part in page.context["parts"]] == [
        "never_verified",
        "stale",
        "not_listed",
        "reports",
        "updates",
        "availability",
    ]
    never = [item.label.split(" · ")[0] for item in parts["never_verified"].items]
    assert never[:2] == ["Popular Never Verified", "Quiet Never Verified"]
    assert parts["never_verified"].count == 2
    assert "5 views" in parts["never_verified"].items[0].note
    assert [i.label.split(" · ")[0] for i in parts["stale"].items] == ["Checked Long Ago"]
    assert parts["not_listed"].count == 1 and parts["reports"].count == 1
    assert parts["updates"].count == 1 and parts["updates"].items[0].label == "Checked Last Week"
    assert [i.label.split(" · ")[0] for i in parts["availability"].items] == ["Was Full Long Ago"]
    html = page.content.decode()
    assert reverse("admin:programs_program_change", args=[popular.pk]) in html
    # Each link opens for the curator.
    for part in parts.values():
        for item in part.items:
            assert curator_client.get(item.url).status_code == 200, item.url
    assert reverse("curator_queue") in curator_client.get(reverse("admin:index")).content.decode()


def test_the_queue_is_for_curators_only(client):
    response = Client().get(reverse("curator_queue"))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
