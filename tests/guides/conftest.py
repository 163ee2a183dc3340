"""Ready-made staff accounts and caller records for the guides' tests."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from guides import services
from guides.roles import CURATORS, GUIDES
from programs.models import PaymentKind

PASSWORD = "a long and careful passphrase 42"


def make_user(username: str, *groups: str, password: str | None = None) -> User:
    # No password unless a test signs in through the form: hashing is slow on purpose.
    user = User.objects.create_user(username=username, password=password)
    user.groups.add(*Group.objects.filter(name__in=groups))
    return user


def signed_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def make_caller(*, guide, payments=("medicaid",), **details):
    details.setdefault("alias", "Rosalind")
    details.setdefault("phone", "510-555-0199")
    details.setdefault("zip_code", "94612")
    details.setdefault("radius_miles", 25)
    details.setdefault("notes", "Prefers evenings; sister drives her")
    return services.create_caller(
        guide=guide,
        consent_given=True,
        details=details,
        payment_kinds=PaymentKind.objects.filter(slug__in=payments),
    )


@pytest.fixture
def guide(db):
    return make_user("gina", GUIDES)


@pytest.fixture
def other_guide(db):
    return make_user("omar", GUIDES)


@pytest.fixture
def curator(db):
    return make_user("cora", CURATORS)


@pytest.fixture
def curator_guide(db):
    return make_user("cal", CURATORS, GUIDES)


@pytest.fixture
def staff_without_role(db):
    return make_user("nobody")


@pytest.fixture
def caller(guide):
    return make_caller(guide=guide)
