"""Curators see reports in the admin, filter them by status, open the program and resolve them."""

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from corrections import services
from corrections.models import CorrectionReport
from tests.factories import make_program

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:corrections_correctionreport_changelist")


@pytest.fixture
def curator():
    user = User.objects.create_user("dana", "dana@example.org", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="corrections",
            codename__in=["view_correctionreport", "change_correctionreport"],
        )
    )
    return user


@pytest.fixture
def reports():
    harbor = make_program(name="Harbor Evening IOP")
    bay = make_program(name="Bay Morning PHP")
    return {
        "new": services.submit_correction(
            program=harbor, problem="cost", details="It is $300 a session now."
        ),
        "resolved": CorrectionReport.objects.create(
            program=bay, problem="contact", details="New phone number.", status="resolved"
        ),
    }


def test_staff_curator_sees_reports_with_a_link_to_the_program(client, curator, reports):
    client.force_login(curator)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Harbor Evening IOP" in page
    assert "It is $300 a session now." in page
    program_url = reverse("admin:programs_program_change", args=[reports["new"].program_id])
    assert f'href="{program_url}"' in page


def test_curator_filters_reports_by_status(client, curator, reports):
    client.force_login(curator)
    page = client.get(CHANGELIST, {"status__exact": "new"}).content.decode()
    assert "Harbor Evening IOP" in page
    assert "Bay Morning PHP" not in page


def test_report_page_links_to_the_public_program_page(client, curator, reports):
    client.force_login(curator)
    url = reverse("admin:corrections_correctionreport_change", args=[reports["new"].pk])
    page = client.get(url).content.decode()
    assert reverse("programs:detail", args=[reports["new"].program_id]) in page


def test_curator_resolves_reports_with_the_admin_action(client, curator, reports):
    client.force_login(curator)
    response = client.post(
        CHANGELIST,
        {"action": "mark_resolved", "_selected_action": [reports["new"].pk]},
        follow=True,
    )
    assert "1 report resolved." in response.content.decode()
    report = CorrectionReport.objects.get(pk=reports["new"].pk)
    assert report.status == CorrectionReport.Status.RESOLVED
    assert report.resolved_by == curator
    assert report.resolved_at is not None


def test_resolving_keeps_who_resolved_it_first(curator, reports):
    other = User.objects.create_user("lee", is_staff=True)
    services.resolve_corrections(reports=CorrectionReport.objects.all(), user=curator)
    services.resolve_corrections(reports=CorrectionReport.objects.all(), user=other)
    assert CorrectionReport.objects.get(pk=reports["new"].pk).resolved_by == curator


def test_reopening_clears_the_resolution(curator, reports):
    services.resolve_corrections(reports=CorrectionReport.objects.all(), user=curator)
    assert services.reopen_corrections(reports=CorrectionReport.objects.all()) == 2
    assert not CorrectionReport.objects.filter(status="resolved").exists()
    assert not CorrectionReport.objects.exclude(resolved_by=None).exists()


def test_visitors_and_staff_without_permission_see_no_reports(client, reports):
    assert client.get(CHANGELIST).status_code == 302
    client.force_login(User.objects.create_user("sam", is_staff=True))
    assert client.get(CHANGELIST).status_code == 403
