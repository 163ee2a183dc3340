"""Curator-written text (description, cost notes, intake notes) can carry its Spanish version:
entered in the admin beside the English, shown on Spanish pages, given by the API. Without
one, a Spanish page shows the English marked lang="en"."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from programs.models import Program
from tests.factories import make_program
from tests.programs.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db

ENGLISH = "Groups for adults balancing work and recovery."
SPANISH = "Grupos para adultos que combinan trabajo y recuperación."


def page(client, program, language="en") -> str:
    url = reverse("programs:detail", args=[program.pk])
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.mark.parametrize(
    "field, english, spanish",
    [
        ("description", ENGLISH, SPANISH),
        ("cost_notes", "Sliding fee scale by income.", "Tarifa según ingresos."),
        ("intake_notes", "Call Monday to Friday.", "Llame de lunes a viernes."),
    ],
)
class TestProgramPage:
    def test_a_spanish_page_shows_the_spanish_version(self, client, field, english, spanish):
        program = make_program(**{field: english, f"{field}_es": spanish})
        shown = page(client, program, "es")
        assert f"<p>{spanish}</p>" in shown
        assert english not in shown

    def test_an_english_page_shows_the_english(self, client, field, english, spanish):
        program = make_program(**{field: english, f"{field}_es": spanish})
        shown = page(client, program, "en")
        assert f"<p>{english}</p>" in shown
        assert spanish not in shown

    def test_without_a_spanish_version_the_english_is_marked_as_english(
        self, client, field, english, spanish
    ):
        program = make_program(**{field: english})
        assert f'<p lang="en">{english}</p>' in page(client, program, "es")
        assert f"<p>{english}</p>" in page(client, program, "en")


def test_how_to_start_is_shown_or_said_to_be_unknown(client):
    walk_in = make_program(intake_process="walk_in")
    assert "Walk in: no appointment needed" in page(client, walk_in)
    unknown = make_program()
    shown = page(client, unknown)
    assert re.search(r"How to start</h3>\s*<p>Not known — call to ask</p>", shown)


def test_the_api_gives_both_languages(client):
    program = make_program(
        description=ENGLISH,
        description_es=SPANISH,
        cost_notes="Sliding fee scale.",
        intake_process="phone_assessment",
        intake_notes="Call first.",
        intake_notes_es="Llame primero.",
    )
    body = client.get(f"/api/programs/{program.pk}/").json()
    assert (body["description"], body["description_es"]) == (ENGLISH, SPANISH)
    assert (body["cost_notes"], body["cost_notes_es"]) == ("Sliding fee scale.", "")
    assert body["intake_process"] == "phone_assessment"
    assert (body["intake_notes"], body["intake_notes_es"]) == ("Call first.", "Llame primero.")
    assert client.get(f"/api/programs/{make_program().pk}/").json()["intake_process"] is None
    schema = client.get("/api/schema/").json()
    documented = schema["components"]["schemas"]["Program"]["allOf"][1]["properties"]
    assert {"description_es", "cost_notes_es", "intake_process", "intake_notes_es"} <= set(
        documented
    )
    assert documented["intake_process"]["enum"] == [
        "walk_in",
        "phone_assessment",
        "referral",
        None,
    ]


def test_a_curator_enters_the_spanish_beside_the_english(client):
    client.force_login(User.objects.create_superuser("ada", "ada@example.org"))
    program = make_program(description=ENGLISH, cost_notes="Sliding fee scale.")
    form = client.get(change_url(program))
    shown = form.content.decode()
    # Each Spanish field sits in the same row as its English one.
    for field in ["description", "cost_notes", "intake_notes"]:
        row_start = shown.index(f'<div class="form-row field-{field} field-{field}_es">')
        row_end = shown.index('<div class="form-row', row_start + 1)
        assert f'name="{field}_es"' in shown[row_start:row_end]
    data = form_data(form)
    data.update(
        {
            "description_es": SPANISH,
            "cost_notes_es": "Tarifa según ingresos.",
            "intake_process": "referral",
        }
    )
    response = client.post(change_url(program), data)
    assert response.status_code == 302, response.context["errors"]
    program = Program.objects.get(pk=program.pk)
    assert (program.description, program.description_es) == (ENGLISH, SPANISH)
    assert program.cost_notes_es == "Tarifa según ingresos."
    assert program.intake_process == "referral"
