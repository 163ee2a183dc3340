"""A curator made the way the README says (`create_guide NAME --curator-only`) opens every page
of their work in the admin: the roles come from the curators group (guides/roles.py), not from
permissions granted to the user one by one."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from corrections import services
from guides.roles import CURATORS, GROUP_PERMISSIONS
from tests.factories import make_program

pytestmark = pytest.mark.django_db

PASSWORD = "a long and careful passphrase 42"


@pytest.fixture
def curator_client(monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setenv("NEW_CURATOR_PASSWORD", PASSWORD)
    call_command(
        "create_guide", "cora", "--curator-only", "--password-from-env", "NEW_CURATOR_PASSWORD"
    )
    client = Client()
    # As the admin's sign-in form posts it, "next" included.
    response = client.post(
        reverse("admin:login"),
        {"username": "cora", "password": PASSWORD, "next": reverse("admin:index")},
        follow=True,
    )
    assert response.status_code == 200
    assert response.wsgi_request.user.username == "cora"
    return client


@pytest.fixture
def report():
    program = make_program(name="Harbor Evening IOP", tracks=[{}])
    return services.submit_correction(
        program=program, problem="cost", details="It is $300 a session now."
    )


def test_the_curators_group_holds_exactly_the_declared_permissions():
    group = Group.objects.get(name=CURATORS)
    held = {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }
    assert held == set(GROUP_PERMISSIONS[CURATORS])
    assert {
        "corrections.view_correctionreport",
        "corrections.change_correctionreport",
    } <= held


def test_a_curator_only_account_opens_every_curator_page(curator_client, report):
    program = report.program
    pages = [
        reverse("admin:index"),
        reverse("admin:programs_program_changelist"),
        reverse("admin:programs_program_change", args=[program.pk]),
        reverse("admin:programs_program_history", args=[program.pk]),
        reverse("admin:corrections_correctionreport_changelist"),
        reverse("admin:corrections_correctionreport_change", args=[report.pk]),
        reverse("admin:corrections_listingupdate_changelist"),
        reverse("admin:guides_auditentry_changelist"),
    ]
    for page in pages:
        assert curator_client.get(page).status_code == 200, page


def test_a_curator_only_account_resolves_a_report(curator_client, report):
    response = curator_client.post(
        reverse("admin:corrections_correctionreport_changelist"),
        {"action": "mark_resolved", "_selected_action": [report.pk]},
        follow=True,
    )
    assert "1 report resolved." in [str(m) for m in response.context["messages"]]
    report.refresh_from_db()
    assert report.status == "resolved"
    assert report.resolved_by.username == "cora"


def test_a_curator_only_account_sees_the_open_reports_on_the_program(curator_client, report):
    page = curator_client.get(
        reverse("admin:programs_program_change", args=[report.program_id])
    ).content.decode()
    assert "It is $300 a session now." in page
    assert reverse("admin:corrections_correctionreport_change", args=[report.pk]) in page


def test_signing_in_takes_a_curator_only_account_to_the_admin_and_a_guide_to_the_dashboard(
    client,
):
    from django.contrib.auth.models import User

    from guides.roles import CURATORS, GUIDES
    from tests.guides.conftest import make_user

    password = "a long and careful passphrase 42"
    curator = make_user("cora", CURATORS, password=password)
    curator.is_staff = True
    curator.save()
    make_user("gina", GUIDES, password=password)
    for username, landing in [("cora", "/admin/"), ("gina", "/guides/")]:
        signing_in = client.post(
            "/accounts/login/", {"username": username, "password": password}, follow=True
        )
        assert signing_in.redirect_chain[-1][0] == landing, username
        assert signing_in.status_code == 200
        client.post("/accounts/logout/")
    assert User.objects.count() == 2
