"""A visitor reports wrong information on a program page; a curator gets a report to check."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from corrections import limits
from corrections.models import CorrectionReport
from programs.models import Program
from tests.factories import make_program

pytestmark = pytest.mark.django_db

VALID = {
    "problem": "schedule",
    "details": "The evening group now meets Monday to Thursday.",
    "contact_email": "",
}


@pytest.fixture
def program():
    return make_program(name="Harbor Evening IOP", tracks=[{}])


def report_url(program):
    return reverse("corrections:report", args=[program.pk])


def test_program_page_offers_the_report_form(client, program):
    page = client.get(reverse("programs:detail", args=[program.pk])).content.decode()
    assert "Report incorrect information" in page
    assert f'action="{report_url(program)}#report"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    for problem in CorrectionReport.Problem:
        # "No longer in SAMHSA's directory" is the import's to file, never a visitor's.
        offered = problem != CorrectionReport.Problem.NOT_LISTED
        assert (f'value="{problem.value}"' in page) == offered


def test_a_visitor_cannot_file_the_imports_report(client, program):
    response = client.post(report_url(program), {**VALID, "problem": "not_listed"})
    assert response.status_code == 400  # the form again, with its error
    assert not CorrectionReport.objects.exists()


def test_a_valid_report_is_saved_and_thanked(client, program):
    response = client.post(report_url(program), {**VALID, "contact_email": "sam@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:detail", args=[program.pk])
    report = CorrectionReport.objects.get()
    assert report.program == program
    assert report.problem == CorrectionReport.Problem.SCHEDULE
    assert report.details == VALID["details"]
    assert report.contact_email == "sam@example.org"
    assert report.status == CorrectionReport.Status.NEW
    assert report.resolved_by is None
    page = client.get(response["Location"]).content.decode()
    assert "Thank you. A curator will check this listing" in page


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"problem": ""}, "problem", "Choose what is wrong."),
        ({"problem": "pizza"}, "problem", "Select a valid choice."),
        ({"details": ""}, "details", "Tell us what is wrong, in a few words."),
        ({"details": "   "}, "details", "Tell us what is wrong, in a few words."),
        ({"details": "x" * 2001}, "details", "Please keep it under 2000 characters."),
        ({"contact_email": "not-an-email"}, "contact_email", "Enter an email address like"),
    ],
)
def test_bad_answers_are_shown_at_their_field_and_nothing_is_saved(
    client, program, change, field, message
):
    response = client.post(report_url(program), {**VALID, **change})
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page
    assert message in page
    assert "Please check the highlighted answers below." in page
    assert '<details class="report no-print" id="report" open>' in page
    assert not CorrectionReport.objects.exists()


def test_the_typed_details_are_kept_after_an_error(client, program):
    response = client.post(report_url(program), {**VALID, "problem": ""})
    assert VALID["details"] in response.content.decode()


@pytest.mark.parametrize("status", [Program.Status.DRAFT, Program.Status.ARCHIVED])
def test_unpublished_programs_cannot_be_reported(client, status):
    hidden = make_program(status=status)
    assert client.post(report_url(hidden), VALID).status_code == 404
    assert not CorrectionReport.objects.exists()


def test_fetching_the_report_address_leads_back_to_the_program_page(client, program):
    response = client.get(report_url(program))
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:detail", args=[program.pk]) + "#report"
    assert not CorrectionReport.objects.exists()


def test_one_visitor_can_send_at_most_five_reports_an_hour(client, program):
    for _ in range(limits.PER_SESSION):
        assert client.post(report_url(program), VALID).status_code == 302
    response = client.post(report_url(program), VALID)
    assert response.status_code == 429
    assert 3590 < int(response["Retry-After"]) <= 3600  # when the first is an hour old
    assert "You have sent several reports in the last hour" in response.content.decode()
    assert CorrectionReport.objects.count() == limits.PER_SESSION


def test_another_visitor_is_not_held_back(client, program):
    for _ in range(limits.PER_SESSION):
        client.post(report_url(program), VALID)
    assert Client().post(report_url(program), VALID).status_code == 302


def test_the_limit_forgets_reports_older_than_an_hour(rf):
    request = rf.post("/")
    request.session = {}
    two_hours_ago = timezone.now() - timedelta(hours=2)
    for _ in range(limits.PER_SESSION):
        limits.note_submission(request, "report", now=two_hours_ago)
    assert limits.wait_before_submitting(request, "report") == 0
    for _ in range(limits.PER_SESSION):
        limits.note_submission(request, "report")
    assert limits.wait_before_submitting(request, "report") > 0
    assert len(request.session["report_submission_times"]) == limits.PER_SESSION
