"""Every kind of page runs under the Content-Security-Policy and Permissions-Policy headers
without the browser refusing anything: no inline script or style left behind, in our pages,
the guides' pages or the Django admin. Chromium reports each refusal on the console."""

import re
import secrets

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_screening import choose, next_step
from tests.factories import make_program
from tests.guides.conftest import PASSWORD, make_caller, make_user

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

REFUSALS = re.compile(r"Content Security Policy|Permissions-Policy|Permissions policy", re.I)


@pytest.fixture
def refusals(page):
    """What the browser refused (or could not read) under the headers, page by page."""
    seen = []
    page.on(
        "console",
        lambda message: REFUSALS.search(message.text) and seen.append((page.url, message.text)),
    )
    page.on("pageerror", lambda error: seen.append((page.url, str(error))))
    return seen


def visit(page, path):
    response = page.goto(path)
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    assert "camera=()" in response.headers["permissions-policy"]
    page.wait_for_load_state("load")


def test_public_pages_run_without_a_refusal(page, refusals):
    program = make_program(name="Evening IOP", tracks=[{}], payments=["medicaid"])
    for path in [
        "/",
        "/programs/",
        "/programs/?near=94612&level=iop&sort=distance",
        f"/programs/{program.pk}/",
        f"/programs/{program.pk}/report/",
        f"/programs/{program.pk}/update/",
        "/about/data/",
        "/programs/999999/",
    ]:
        visit(page, path)
    page.goto(f"/programs/{program.pk}/")
    page.get_by_role("button", name="Add to shortlist").first.click()
    visit(page, "/shortlist/")
    expect(page.get_by_role("button", name="Print")).to_be_visible()  # static/js/print.js ran
    visit(page, f"/compare/?ids={program.pk}")
    assert refusals == []


def test_the_self_screen_runs_without_a_refusal(page, refusals):
    visit(page, "/screening/")
    choose(page, "Right now, are you thinking about ending your life", "No")
    next_step(page)
    progress = page.locator("progress.screen-progress-bar")
    assert (progress.get_attribute("value"), progress.get_attribute("max")) == ("2", "7")
    choose(page, "When you stop or cut down", "Nothing much, or I do not use alcohol or drugs")
    choose(page, "Do you have a serious health", "No")
    next_step(page)
    choose(page, "What do you want help with?", "Both")
    choose(page, "How much is this getting in the way", "Quite a lot")
    next_step(page)
    choose(page, "In the last 3 months", "None")
    next_step(page)
    choose(page, "How much does your home help", "A lot")
    choose(page, "Do you have work, school", "Yes")
    next_step(page)
    choose(page, "How many hours a week", "9 to 19 hours")
    choose(page, "How would you go to a program?", "Online")
    next_step(page)
    page.get_by_role("button", name="See my result").click()
    expect(page.get_by_role("heading", name="Your result")).to_be_visible()
    expect(page.get_by_role("button", name="Print this result")).to_be_visible()
    assert refusals == []


def test_a_guides_call_page_runs_without_a_refusal(page, refusals):
    guide = make_user("gina", "guides", password=PASSWORD)
    caller = make_caller(guide=guide)
    make_program(name="Lakeside Evening IOP", payments=["medicaid"])
    visit(page, "/accounts/login/")
    page.get_by_label("Username").fill("gina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.get_by_role("heading", name="Guide dashboard").wait_for()
    for path in ["/guides/", "/guides/callers/", "/guides/callers/new/"]:
        visit(page, path)
    visit(page, f"/guides/callers/{caller.pk}/")
    expect(page.get_by_role("heading", name="Rosalind")).to_be_visible()
    assert refusals == []


def test_the_admin_runs_without_a_refusal(page, refusals):
    page.set_viewport_size({"width": 1366, "height": 900})
    program = make_program(name="Evening IOP", tracks=[{}], payments=["medicaid"])
    password = secrets.token_urlsafe(24)
    curator = User.objects.create_superuser("curator.ada", "ada@example.org", password)
    visit(page, "/admin/login/")
    page.get_by_label("Username").fill("curator.ada")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    pages = ["/admin/", "/admin/queue/", f"/admin/auth/user/{curator.pk}/change/"]
    for model in admin.site._registry:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages += [reverse(f"{name}_changelist"), reverse(f"{name}_add")]
    pages += [
        f"/admin/programs/program/{program.pk}/change/",
        f"/admin/programs/program/{program.pk}/history/",
    ]
    for path in pages:
        visit(page, path)
    page.goto(f"/admin/programs/program/{program.pk}/change/")
    page.get_by_text("Add another Schedule track").click()  # the admin's scripts
    page.get_by_text("Today", exact=True).first.click()
    assert refusals == []
