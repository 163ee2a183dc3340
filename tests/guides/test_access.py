"""Every URL under /guides/, derived from the URL resolver, answered right for each role."""

import pytest
from django.urls import URLPattern, get_resolver, resolve, reverse

from guides import services
from tests.factories import make_program
from tests.guides.conftest import signed_in

pytestmark = pytest.mark.django_db

POST_ONLY = {
    "caller_update",
    "caller_screen",
    "caller_danger",
    "shortlist_add",
    "referral_update",
    "report_back",
    "send_list",
}


def guide_urls(*, caller, referral) -> list[str]:
    """Every pattern in the guides namespace, with real ids filled in: new URLs are covered."""
    urls = []
    for pattern in get_resolver().url_patterns:
        if getattr(pattern, "namespace", None) != "guides":
            continue
        for entry in pattern.url_patterns:
            assert isinstance(entry, URLPattern), "nested includes need walking too"
            ids = {"pk": caller.pk, "referral_pk": referral.pk}
            kwargs = {name: ids[name] for name in entry.pattern.converters}
            urls.append(reverse(f"guides:{entry.name}", kwargs=kwargs))
    return urls


@pytest.fixture
def urls(caller, guide):
    referral, _ = services.add_to_shortlist(guide=guide, caller=caller, program=make_program())
    found = guide_urls(caller=caller, referral=referral)
    assert {resolve(url).url_name for url in found} >= {"dashboard", "call", "caller_erase"}
    return found


def test_anonymous_visitors_are_sent_to_sign_in(urls):
    client = signed_in(None)
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, url
            assert response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("role", ["staff_without_role", "curator"])
def test_signed_in_without_the_guides_role_get_a_calm_403(request, urls, role):
    client = signed_in(request.getfixturevalue(role))
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 403, url
            page = response.content.decode()
            assert "This part is for recovery guides" in page
            assert "Guide dashboard" not in page  # no links to pages they cannot open
            assert "Rosalind" not in page and "510-555-0199" not in page


@pytest.mark.parametrize("role", ["guide", "other_guide", "curator_guide"])
def test_guides_open_every_page_and_nothing_is_cached(request, urls, role):
    client = signed_in(request.getfixturevalue(role))
    for url in urls:
        response = client.get(url)
        if resolve(url).url_name in POST_ONLY:
            assert response.status_code == 405, url
        else:
            assert response.status_code == 200, url
            assert "no-store" in response["Cache-Control"], url


def test_a_superuser_is_not_a_guide_until_given_the_role(urls):
    from django.contrib.auth.models import Group, User

    admin = User.objects.create_superuser("root", "root@example.org", None)
    client = signed_in(admin)
    for url in urls:
        assert client.get(url).status_code == 403, url
    admin.groups.add(Group.objects.get(name="guides"))
    assert signed_in(admin).get(reverse("guides:dashboard")).status_code == 200


def test_a_missing_caller_is_a_404_not_a_leak(guide):
    client = signed_in(guide)
    assert client.get(reverse("guides:call", kwargs={"pk": 999999})).status_code == 404
    assert client.get(reverse("guides:caller_export", kwargs={"pk": 999999})).status_code == 404


def test_a_referral_is_only_reachable_through_its_own_caller(guide, caller):
    from tests.guides.conftest import make_caller

    other = make_caller(guide=guide, alias="Someone else")
    referral, _ = services.add_to_shortlist(guide=guide, caller=other, program=make_program())
    url = reverse("guides:referral_update", kwargs={"pk": caller.pk, "referral_pk": referral.pk})
    response = signed_in(guide).post(url, {f"referral-{referral.pk}-status": "admitted"})
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == "suggested"
