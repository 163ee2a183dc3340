"""Staff sign-in: strong passwords, lock-out after repeated failures, idle expiry, sign-out.

Lock-outs are per account and address, so a stranger cannot lock a guide out, and per address
across accounts, so a password spray is stopped (guides/lockout.py).
"""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, override_settings
from django.urls import reverse

from guides.roles import is_guide
from tests.guides.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # These tests post dozens of passwords; the lock-out rules do not depend on the hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


STRANGER = "203.0.113.5"
GUIDES_OFFICE = "198.51.100.7"


def sign_in(client, username, password, *, from_address="127.0.0.1", **headers):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=from_address,
        **headers,
    )


def assert_locked_out(response):
    assert response.status_code == 429
    page = response.content.decode()
    assert "this account is locked for now" in page
    assert "Try again in 30 minutes" in page


def test_a_guide_signs_in_to_the_dashboard_and_the_session_ends_after_30_idle_minutes():
    make_user("gina", "guides", password=PASSWORD)
    client = Client()
    response = sign_in(client, "gina", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("guides:dashboard")
    assert client.session.get_expiry_age() == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # each request restarts the idle clock
    assert client.get(reverse("guides:dashboard")).status_code == 200


def test_the_sign_in_page_states_the_lock_out_as_configured():
    page = Client().get(reverse("login")).content.decode()
    assert "After 5 failed attempts an account is locked for 30 minutes." in page


def test_sign_out_is_a_post_and_ends_the_session():
    make_user("gina", "guides", password=PASSWORD)
    client = Client()
    sign_in(client, "gina", PASSWORD)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("guides:dashboard")).status_code == 302


def test_repeated_failures_lock_the_account_from_that_address_with_a_clear_message():
    make_user("gina", "guides", password=PASSWORD)
    client = Client()
    for _ in range(settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_ADDRESS - 1):
        response = sign_in(client, "gina", "wrong password", from_address=STRANGER)
        assert response.status_code == 200
        assert "correct username and password" in response.content.decode()
    assert_locked_out(sign_in(client, "gina", "wrong password", from_address=STRANGER))
    # Even the right password, for now, from that address.
    assert_locked_out(sign_in(client, "gina", PASSWORD, from_address=STRANGER))
    assert "_auth_user_id" not in client.session


def test_a_strangers_failures_do_not_stop_the_guide_signing_in_from_elsewhere():
    make_user("gina", "guides", password=PASSWORD)
    for _ in range(settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        sign_in(Client(), "gina", "wrong password", from_address=STRANGER)
    assert_locked_out(sign_in(Client(), "gina", PASSWORD, from_address=STRANGER))

    client = Client()
    response = sign_in(client, "gina", PASSWORD, from_address=GUIDES_OFFICE)
    assert response.status_code == 302
    assert response["Location"] == reverse("guides:dashboard")
    assert client.get(reverse("guides:dashboard")).status_code == 200


def test_a_colleagues_failures_do_not_lock_another_account():
    make_user("gina", "guides", password=PASSWORD)
    make_user("omar", "guides", password=PASSWORD)
    client = Client()
    for _ in range(settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        sign_in(client, "omar", "wrong password", from_address=GUIDES_OFFICE)
    assert sign_in(client, "gina", PASSWORD, from_address=GUIDES_OFFICE).status_code == 302


def spray(count, *, from_address):
    """One wrong password for each of `count` different usernames."""
    return [
        sign_in(Client(), f"guess{n}", "Summer2026!", from_address=from_address)
        for n in range(count)
    ]


@override_settings(SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE=1000)  # a spray, not a flood
def test_a_password_spray_locks_the_address_out_of_every_account():
    make_user("gina", "guides", password=PASSWORD)
    *before, last = spray(settings.SIGN_IN_FAILURES_PER_ADDRESS, from_address=STRANGER)
    assert all(response.status_code == 200 for response in before)
    assert_locked_out(last)

    # A right password from that address is refused too, for an account never tried from it...
    client = Client()
    assert_locked_out(sign_in(client, "gina", PASSWORD, from_address=STRANGER))
    assert "_auth_user_id" not in client.session
    # ...while the guide signs in from anywhere else.
    assert sign_in(Client(), "gina", PASSWORD, from_address=GUIDES_OFFICE).status_code == 302


def test_an_address_below_the_spray_limit_still_signs_in():
    make_user("gina", "guides", password=PASSWORD)
    spray(settings.SIGN_IN_FAILURES_PER_ADDRESS - 1, from_address=GUIDES_OFFICE)
    assert sign_in(Client(), "gina", PASSWORD, from_address=GUIDES_OFFICE).status_code == 302


@override_settings(SIGN_IN_ATTEMPTS_PER_ADDRESS_PER_MINUTE=1000)  # a spray, not a flood
def test_signing_in_to_one_account_does_not_reset_the_addresss_spray_count():
    make_user("gina", "guides", password=PASSWORD)
    spray(settings.SIGN_IN_FAILURES_PER_ADDRESS - 1, from_address=STRANGER)
    assert sign_in(Client(), "gina", PASSWORD, from_address=STRANGER).status_code == 302
    assert_locked_out(sign_in(Client(), "omar", "wrong password", from_address=STRANGER))


def test_a_forwarded_for_header_is_ignored_unless_a_proxy_is_trusted():
    make_user("gina", "guides", password=PASSWORD)
    for n in range(settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        # A client cannot pose as a new address with each request.
        forged = {"HTTP_X_FORWARDED_FOR": f"192.0.2.{n}"}
        sign_in(Client(), "gina", "wrong password", from_address=STRANGER, **forged)
    assert_locked_out(sign_in(Client(), "gina", PASSWORD, from_address=STRANGER))


def test_behind_a_trusted_proxy_the_address_is_the_one_the_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    make_user("gina", "guides", password=PASSWORD)
    for n in range(settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        # The client may write anything on the left; the proxy appends what it saw.
        forwarded = {"HTTP_X_FORWARDED_FOR": f"192.0.2.{n}, {STRANGER}"}
        sign_in(Client(), "gina", "wrong password", from_address=proxy, **forwarded)
    from_stranger = {"HTTP_X_FORWARDED_FOR": STRANGER}
    assert_locked_out(sign_in(Client(), "gina", PASSWORD, from_address=proxy, **from_stranger))

    from_office = {"HTTP_X_FORWARDED_FOR": GUIDES_OFFICE}
    response = sign_in(Client(), "gina", PASSWORD, from_address=proxy, **from_office)
    assert response.status_code == 302


def test_weak_passwords_are_refused():
    user = make_user("rosalindfranklin", "guides")
    for weak in ["short1", "password12345", "123456789012", "rosalindfranklin"]:
        with pytest.raises(ValidationError):
            validate_password(weak, user)


def test_create_guide_makes_a_guide_from_a_password_in_the_environment(monkeypatch):
    monkeypatch.setenv("NEW_GUIDE_PASSWORD", PASSWORD)
    call_command("create_guide", "gina", password_from_env="NEW_GUIDE_PASSWORD")
    from django.contrib.auth.models import User

    user = User.objects.get(username="gina")
    assert is_guide(user)
    assert user.check_password(PASSWORD)
    assert not user.is_staff


def test_create_guide_refuses_a_weak_password(monkeypatch):
    monkeypatch.setenv("NEW_GUIDE_PASSWORD", "password")
    with pytest.raises(CommandError):
        call_command("create_guide", "gina", password_from_env="NEW_GUIDE_PASSWORD")
    from django.contrib.auth.models import User

    assert not User.objects.filter(username="gina").exists()


def test_create_guide_can_make_a_curator_who_never_sees_callers(monkeypatch):
    from django.contrib.auth.models import User

    monkeypatch.setenv("NEW_GUIDE_PASSWORD", PASSWORD)
    call_command("create_guide", "cora", password_from_env="NEW_GUIDE_PASSWORD", curator_only=True)
    user = User.objects.get(username="cora")
    assert user.is_staff and not is_guide(user)
    assert set(user.groups.values_list("name", flat=True)) == {"curators"}
    with pytest.raises(CommandError):
        call_command(
            "create_guide",
            "both",
            password_from_env="NEW_GUIDE_PASSWORD",
            curator=True,
            curator_only=True,
        )


def test_after_30_idle_minutes_the_next_request_goes_to_sign_in():
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    make_user("gina", "guides", password=PASSWORD)
    client = Client()
    sign_in(client, "gina", PASSWORD)
    assert client.get(reverse("guides:dashboard")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    # Each request pushed the end 30 minutes ahead of now.
    left = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)

    # 31 minutes without a request: as if the clock moved on.
    session.expire_date = timezone.now() - timedelta(minutes=1)
    session.save()
    response = client.get(reverse("guides:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
