"""Staff sign-in: strong passwords, lock-out after repeated failures, idle expiry, sign-out."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from guides.roles import is_guide
from tests.guides.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_guide_signs_in_to_the_dashboard_and_the_session_ends_after_30_idle_minutes():
    make_user("gina", "guides", password=PASSWORD)
    client = Client()
    response = sign_in(client, "gina", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("guides:dashboard")
    assert client.session.get_expiry_age() == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # each request restarts the idle clock
    assert client.get(reverse("guides:dashboard")).status_code == 200


def test_sign_out_is_a_post_and_ends_the_session():
    make_user("gina", "guides", password=PASSWORD)
    client = Client()
    sign_in(client, "gina", PASSWORD)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("guides:dashboard")).status_code == 302


def test_repeated_failures_lock_the_account_with_a_clear_message():
    make_user("gina", "guides", password=PASSWORD)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "gina", "wrong password")
        assert response.status_code == 200
        assert "correct username and password" in response.content.decode()
    response = sign_in(client, "gina", "wrong password")
    assert response.status_code == 429
    response = sign_in(client, "gina", PASSWORD)  # even the right password, for now
    assert response.status_code == 429
    page = response.content.decode()
    assert "this account is locked for now" in page
    assert "Try again in 30 minutes" in page
    assert "_auth_user_id" not in client.session


def test_a_colleagues_failures_do_not_lock_another_account():
    make_user("gina", "guides", password=PASSWORD)
    make_user("omar", "guides", password=PASSWORD)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "omar", "wrong password")
    assert sign_in(client, "gina", PASSWORD).status_code == 302


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
