"""Curators work in the admin: find, fix, verify and publish listings, and see who changed what."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone

from programs.models import Insurer, PaymentKind, Program
from programs.selectors import program_search
from tests.factories import make_program, make_provider, make_site

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:programs_program_changelist")
ADD = reverse("admin:programs_program_add")
# What a curator needs: the listings and their schedule tracks, plus looking up
# providers and sites in the listing form's search boxes.
CURATOR_PERMISSIONS = [
    "add_program",
    "change_program",
    "delete_program",
    "view_program",
    "add_scheduletrack",
    "change_scheduletrack",
    "delete_scheduletrack",
    "view_scheduletrack",
    "view_provider",
    "view_site",
]


def change_url(program):
    return reverse("admin:programs_program_change", args=[program.pk])


@pytest.fixture
def superuser():
    return User.objects.create_superuser("ada", "ada@example.org", "unused-in-force-login")


@pytest.fixture
def curator():
    user = User.objects.create_user("dana", "dana@example.org", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="programs", codename__in=CURATOR_PERMISSIONS
        )
    )
    return user


@pytest.fixture(params=["superuser", "curator"])
def admin_user(request):
    return request.getfixturevalue(request.param)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def form_data(response) -> dict:
    """The POST body the change form would send back unchanged, inlines included."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    for form in forms:
        for bound in form:
            value = bound.value()
            # A browser sends nothing for an empty choice list or an unticked box.
            if value in (None, []) or (value is False and bound.widget_type == "checkbox"):
                continue
            data[bound.html_name] = value
    return data


def result_names(response) -> set[str]:
    return {program.name for program in response.context["cl"].result_list}


class TestAccess:
    def test_anonymous_visitor_is_sent_to_login(self, client):
        response = client.get(CHANGELIST)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))

    def test_signed_in_non_staff_user_is_sent_to_login(self, client):
        client.force_login(User.objects.create_user("pat", "pat@example.org"))
        response = client.get(CHANGELIST)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))

    def test_staff_without_program_permissions_cannot_open_programs(self, client):
        client.force_login(User.objects.create_user("sam", is_staff=True))
        assert client.get(CHANGELIST).status_code == 403


class TestChangelist:
    @pytest.fixture
    def catalogue(self):
        today = timezone.localdate()
        oregon = make_site(city="Portland", state="OR", zip_code="97205")
        return {
            "Oakland Evening IOP": make_program(
                name="Oakland Evening IOP",
                tracks=[{"days_per_week_min": 3, "hours_per_day_min": 3, "hours_per_day_max": 4}],
                payments=["medicaid"],
                last_verified_on=today,
            ),
            "Portland Day PHP": make_program(
                name="Portland Day PHP",
                site=oregon,
                level_of_care="php",
                status=Program.Status.DRAFT,
                tracks=[{"days_per_week_min": 3, "days_per_week_max": 3}],  # 9 h: under PHP
                payments=["self_pay"],
                last_verified_on=today,
            ),
            "Imported Fresno Outpatient": make_program(
                name="Imported Fresno Outpatient",
                site=make_site(city="Fresno", zip_code="93721"),
                level_of_care="outpatient",
                source=Program.Source.SAMHSA,
                external_key="ca-4471-outpatient",
            ),
            "Sample Berkeley IOP": make_program(
                name="Sample Berkeley IOP",
                site=make_site(city="Berkeley", zip_code="94704"),
                is_sample=True,
                status=Program.Status.ARCHIVED,
                last_verified_on=today - timedelta(days=400),
            ),
        }

    @pytest.mark.parametrize(
        "query, expected",
        [
            (
                "",
                {
                    "Oakland Evening IOP",
                    "Portland Day PHP",
                    "Imported Fresno Outpatient",
                    "Sample Berkeley IOP",
                },
            ),
            ("level_of_care__exact=php", {"Portland Day PHP"}),
            ("level_of_care__exact=outpatient", {"Imported Fresno Outpatient"}),
            ("site__state=OR", {"Portland Day PHP"}),
            ("status__exact=draft", {"Portland Day PHP"}),
            ("status__exact=archived", {"Sample Berkeley IOP"}),
            ("payment_kinds__id__exact={medicaid}", {"Oakland Evening IOP"}),
            ("verification=stale", {"Imported Fresno Outpatient", "Sample Berkeley IOP"}),
            ("verification=current", {"Oakland Evening IOP", "Portland Day PHP"}),
            ("level_band=outside", {"Portland Day PHP"}),
            (
                "level_band=inside",
                {"Oakland Evening IOP", "Imported Fresno Outpatient", "Sample Berkeley IOP"},
            ),
            ("source__exact=samhsa", {"Imported Fresno Outpatient"}),
            ("is_sample__exact=1", {"Sample Berkeley IOP"}),
            ("q=berkeley", {"Sample Berkeley IOP"}),
            ("q=937", {"Imported Fresno Outpatient"}),
            ("q=ca-4471-outpatient", {"Imported Fresno Outpatient"}),
            ("q=evening+oakland", {"Oakland Evening IOP"}),
            ("level_of_care__exact=iop&status__exact=published", {"Oakland Evening IOP"}),
        ],
    )
    def test_filters_and_search_narrow_the_list(self, admin_client, catalogue, query, expected):
        medicaid = PaymentKind.objects.get(slug="medicaid").pk
        response = admin_client.get(f"{CHANGELIST}?{query.format(medicaid=medicaid)}")
        assert response.status_code == 200
        assert result_names(response) == expected

    def test_payment_filter_lists_every_payment_kind(self, admin_client, catalogue):
        page = admin_client.get(CHANGELIST).content.decode()
        for kind in PaymentKind.objects.all():
            assert f"payment_kinds__id__exact={kind.pk}" in page

    def test_search_by_provider_name(self, admin_client, catalogue):
        provider = catalogue["Oakland Evening IOP"].provider
        response = admin_client.get(CHANGELIST, {"q": provider.name})
        assert result_names(response) == {"Oakland Evening IOP"}

    def test_rows_show_level_place_hours_cost_and_markers(self, admin_client, catalogue):
        page = admin_client.get(CHANGELIST).content.decode()
        assert "Portland, OR" in page
        assert "9-12" in page  # Oakland: 3 days x 3-4 hours
        assert "Not yet verified" in page
        assert page.count('class="stale"') == 2
        assert page.count('class="outside-band"') == 1

    def test_query_count_does_not_grow_with_rows(self, admin_client, catalogue):
        def queries_for_changelist():
            with CaptureQueriesContext(connection) as queries:
                assert admin_client.get(CHANGELIST).status_code == 200
            return len(queries)

        few = queries_for_changelist()
        for number in range(25):
            make_program(name=f"Extra {number}", tracks=[{}], site=make_site(city=f"Town {number}"))
        assert queries_for_changelist() == few


class TestChangeForm:
    def test_band_warning_is_shown_on_the_form(self, admin_client):
        program = make_program(
            tracks=[
                {
                    "days_per_week_min": 6,
                    "days_per_week_max": 6,
                    "hours_per_day_min": 4,
                    "hours_per_day_max": 4,
                }
            ]
        )
        page = admin_client.get(change_url(program)).content.decode()
        assert (
            "Intensive outpatient (IOP) programs usually run 9-20 hours a week; "
            "this one runs 24. Check the schedule."
        ) in page

    def test_unknown_schedule_reads_not_yet_verified(self, admin_client):
        program = make_program(source=Program.Source.SAMHSA, external_key="ca-1-iop")
        page = admin_client.get(change_url(program)).content.decode()
        assert "Not yet verified: add the schedule tracks just below." in page
        assert "ca-1-iop" in page

    def test_saving_tracks_refreshes_the_schedule_summary(self, admin_client):
        program = make_program(name="Harbor IOP")
        assert not program.schedule_known
        data = form_data(admin_client.get(change_url(program)))
        data.update(
            {
                "tracks-0-name": "Evening track",
                "tracks-0-time_of_day": "evening",
                "tracks-0-days_per_week_min": "3",
                "tracks-0-days_per_week_max": "4",
                "tracks-0-hours_per_day_min": "3",
                "tracks-0-hours_per_day_max": "3.5",
                "tracks-0-length_weeks_min": "8",
                "tracks-0-length_weeks_max": "12",
            }
        )
        response = admin_client.post(change_url(program), data)
        assert response.status_code == 302, response.context["errors"]
        program.refresh_from_db()
        assert program.tracks.get().name == "Evening track"
        assert (program.hours_per_week_min, program.hours_per_week_max) == (9, 14)
        assert (program.length_weeks_min, program.length_weeks_max) == (8, 12)
        assert program.offers_evening and not program.offers_morning

    def test_flagged_schedule_is_saved_with_a_warning(self, admin_client):
        program = make_program(tracks=[{}])
        data = form_data(admin_client.get(change_url(program)))
        data.update({"tracks-0-days_per_week_min": "6", "tracks-0-days_per_week_max": "6"})
        data["tracks-0-hours_per_day_min"] = data["tracks-0-hours_per_day_max"] = "4"
        response = admin_client.post(change_url(program), data, follow=True)
        program.refresh_from_db()
        assert program.hours_per_week_max == 24
        assert program.outside_level_band
        messages = [str(m) for m in response.context["messages"]]
        assert any("this one runs 24. Check the schedule." in m for m in messages)

    def test_removing_every_track_makes_the_schedule_unknown_again(self, admin_client):
        program = make_program(tracks=[{}])
        data = form_data(admin_client.get(change_url(program)))
        data["tracks-0-DELETE"] = "on"
        assert admin_client.post(change_url(program), data).status_code == 302
        program.refresh_from_db()
        assert not program.schedule_known
        assert program.hours_per_week_min is None

    def test_adding_a_program_with_a_track(self, admin_client):
        site = make_site()
        data = form_data(admin_client.get(ADD))
        data.update(
            {
                "name": "New Dawn PHP",
                "provider": site.provider.pk,
                "site": site.pk,
                "level_of_care": "php",
                "focus": "mental_health",
                "format": "in_person",
                "payment_kinds": [PaymentKind.objects.get(slug="medicare").pk],
                "tracks-0-time_of_day": "morning",
                "tracks-0-days_per_week_min": "5",
                "tracks-0-days_per_week_max": "5",
                "tracks-0-hours_per_day_min": "5",
                "tracks-0-hours_per_day_max": "6",
            }
        )
        response = admin_client.post(ADD, data)
        assert response.status_code == 302, response.context["errors"]
        program = Program.objects.get(name="New Dawn PHP")
        assert program.status == Program.Status.DRAFT
        assert program.source == Program.Source.MANUAL
        assert (program.hours_per_week_min, program.hours_per_week_max) == (25, 30)
        assert [k.slug for k in program.payment_kinds.all()] == ["medicare"]

    def test_invalid_track_shows_a_clear_message_and_writes_nothing(self, admin_client):
        program = make_program(name="Steady IOP", tracks=[{}])
        data = form_data(admin_client.get(change_url(program)))
        data.update({"name": "Renamed IOP", "tracks-0-days_per_week_min": "5"})
        response = admin_client.post(change_url(program), data)
        assert response.status_code == 200
        assert "Days per week: &#x27;up to&#x27; must be at least &#x27;from&#x27;." in (
            response.content.decode()
        )
        program.refresh_from_db()
        assert program.name == "Steady IOP"
        assert program.tracks.get().days_per_week_min == 3

    def test_site_of_another_provider_is_refused(self, admin_client):
        program = make_program()
        data = form_data(admin_client.get(change_url(program)))
        data["site"] = make_site(provider=make_provider(name="Other Org")).pk
        response = admin_client.post(change_url(program), data)
        assert response.status_code == 200
        assert "Choose a site that belongs to this program&#x27;s provider." in (
            response.content.decode()
        )

    def test_negative_cost_is_refused(self, admin_client):
        program = make_program()
        data = form_data(admin_client.get(change_url(program)))
        data["cost_per_session_min"] = "-5"
        response = admin_client.post(change_url(program), data)
        assert response.status_code == 200
        assert "A cost cannot be negative." in response.content.decode()
        program.refresh_from_db()
        assert program.cost_per_session_min is None

    def test_website_without_a_scheme_is_read_as_https(self, admin_client):
        program = make_program()
        data = form_data(admin_client.get(change_url(program)))
        data["website"] = "harbor-recovery.example.org"
        assert admin_client.post(change_url(program), data).status_code == 302
        program.refresh_from_db()
        assert program.website == "https://harbor-recovery.example.org"

    def test_site_search_box_works_for_the_user(self, admin_client):
        site = make_site(city="Sacramento", zip_code="95814")
        response = admin_client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "programs",
                "model_name": "program",
                "field_name": "site",
                "term": "Sacra",
            },
        )
        assert response.status_code == 200
        assert [r["id"] for r in response.json()["results"]] == [str(site.pk)]


class TestBulkActions:
    def run_action(self, client, action, programs):
        return client.post(
            CHANGELIST,
            {"action": action, "_selected_action": [p.pk for p in programs]},
            follow=True,
        )

    def messages_of(self, response):
        return [str(m) for m in response.context["messages"]]

    def test_publish(self, admin_client):
        drafts = [make_program(status=Program.Status.DRAFT) for _ in range(2)]
        untouched = make_program(status=Program.Status.DRAFT)
        response = self.run_action(admin_client, "publish", drafts)
        assert "Published 2 programs." in self.messages_of(response)
        assert {p.status for p in Program.objects.filter(pk__in=[d.pk for d in drafts])} == {
            "published"
        }
        untouched.refresh_from_db()
        assert untouched.status == Program.Status.DRAFT

    def test_publish_says_how_many_already_were(self, admin_client):
        programs = [make_program(status=Program.Status.DRAFT), make_program()]
        response = self.run_action(admin_client, "publish", programs)
        assert self.messages_of(response) == [
            "Published 1 program.",
            "1 program already had that status.",
        ]

    def test_archive(self, admin_client):
        programs = [make_program(), make_program(status=Program.Status.DRAFT)]
        response = self.run_action(admin_client, "archive", programs)
        assert "Archived 2 programs." in self.messages_of(response)
        assert set(Program.objects.values_list("status", flat=True)) == {"archived"}

    def test_mark_verified_today_records_the_curator(self, admin_client, admin_user):
        programs = [
            make_program(),
            make_program(last_verified_on=timezone.localdate() - timedelta(days=365)),
        ]
        response = self.run_action(admin_client, "mark_verified_today", programs)
        assert "Marked 2 programs verified today." in self.messages_of(response)
        for program in programs:
            program.refresh_from_db()
            assert program.last_verified_on == timezone.localdate()
            assert program.last_verified_by == admin_user
            assert not program.is_stale

    def test_action_on_a_filtered_list(self, admin_client):
        medicaid = make_program(status=Program.Status.DRAFT, payments=["medicaid"])
        medicaid_kind = PaymentKind.objects.get(slug="medicaid")
        response = admin_client.post(
            f"{CHANGELIST}?payment_kinds__id__exact={medicaid_kind.pk}",
            {"action": "publish", "_selected_action": [medicaid.pk]},
            follow=True,
        )
        assert "Published 1 program." in self.messages_of(response)
        medicaid.refresh_from_db()
        assert medicaid.status == Program.Status.PUBLISHED

    def test_view_only_staff_cannot_run_actions(self, client):
        viewer = User.objects.create_user("vic", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_program"))
        client.force_login(viewer)
        draft = make_program(status=Program.Status.DRAFT)
        self.run_action(client, "publish", [draft])
        draft.refresh_from_db()
        assert draft.status == Program.Status.DRAFT


class TestHistory:
    def test_history_shows_who_changed_which_field_when(self, admin_client, admin_user):
        program = make_program(name="Old Name IOP", cost_per_session_min=Decimal("100"))
        data = form_data(admin_client.get(change_url(program)))
        data.update({"name": "New Name IOP", "cost_per_session_min": "120"})
        assert admin_client.post(change_url(program), data).status_code == 302

        response = admin_client.get(reverse("admin:programs_program_history", args=[program.pk]))
        assert response.status_code == 200
        page = response.content.decode()
        latest = program.history.latest()
        assert latest.history_user == admin_user
        assert admin_user.username in page
        assert "<strong>Name:</strong>" in page
        assert "Old Name IOP" in page and "New Name IOP" in page
        assert "<strong>Cost per session, from ($):</strong>" in page
        changes = response.context["page_obj"].object_list[0].history_delta_changes
        assert {c["field"] for c in changes} == {"Name", "Cost per session, from ($)"}
        local = timezone.localtime(latest.history_date)
        assert dateformat.format(local, "N j, Y") in page

    def test_track_changes_show_as_a_schedule_change_by_the_curator(self, admin_client, admin_user):
        program = make_program(tracks=[{}])
        data = form_data(admin_client.get(change_url(program)))
        data["tracks-0-days_per_week_max"] = "5"
        assert admin_client.post(change_url(program), data).status_code == 302

        response = admin_client.get(reverse("admin:programs_program_history", args=[program.pk]))
        latest = response.context["page_obj"].object_list[0]
        assert latest.history_user == admin_user
        assert latest.history_delta_changes == [
            {
                "field": "Schedule",
                "old": "3 days/week · 3 h/day · evenings · about 9 h/week",
                "new": "3-5 days/week · 3 h/day · evenings · about 12 h/week",
            }
        ]
        assert "3-5 days/week" in response.content.decode()

    def test_bulk_verification_is_in_the_history(self, admin_client, admin_user):
        program = make_program()
        admin_client.post(
            CHANGELIST, {"action": "mark_verified_today", "_selected_action": [program.pk]}
        )
        response = admin_client.get(reverse("admin:programs_program_history", args=[program.pk]))
        latest = response.context["page_obj"].object_list[0]
        assert latest.history_user == admin_user
        assert {c["field"] for c in latest.history_delta_changes} == {
            "Last verified on",
            "Last verified by",
        }


class TestOtherModels:
    @pytest.fixture
    def client_as_superuser(self, client, superuser):
        client.force_login(superuser)
        return client

    def test_provider_search(self, client_as_superuser):
        make_provider(name="Bayview Recovery")
        make_provider(name="Hillside Health")
        response = client_as_superuser.get(
            reverse("admin:programs_provider_changelist"), {"q": "bayview"}
        )
        assert [p.name for p in response.context["cl"].result_list] == ["Bayview Recovery"]

    def test_provider_and_site_history_pages(self, client_as_superuser):
        site = make_site(city="Portland", state="OR", zip_code="97205")
        for url in [
            reverse("admin:programs_provider_history", args=[site.provider.pk]),
            reverse("admin:programs_site_history", args=[site.pk]),
            reverse("admin:programs_site_change", args=[site.pk]),
        ]:
            assert client_as_superuser.get(url).status_code == 200

    def test_a_curator_placing_a_site_makes_its_distances_exact(self, client_as_superuser):
        site = make_site(
            city="Portland", state="OR", zip_code="97205", latitude=45.5, longitude=-122.7
        )
        site.placed_at_zip = True
        site.save()
        url = reverse("admin:programs_site_change", args=[site.pk])
        form = client_as_superuser.get(url).context["adminform"].form
        data = {name: value for name, value in form.initial.items() if value is not None}
        data.update(provider=site.provider_id, latitude="45.52", longitude="-122.68")
        data["placed_at_zip"] = "on"  # left ticked: moving the place still clears it
        response = client_as_superuser.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        site.refresh_from_db()
        assert (site.latitude, site.longitude, site.placed_at_zip) == (45.52, -122.68, False)

    @pytest.mark.parametrize("query", [{"q": "portland"}, {"q": "972"}, {"state": "OR"}])
    def test_site_search_and_state_filter(self, client_as_superuser, query):
        make_site(city="Portland", state="OR", zip_code="97205")
        make_site(city="Oakland", state="CA", zip_code="94612")
        response = client_as_superuser.get(reverse("admin:programs_site_changelist"), query)
        assert response.status_code == 200
        assert [s.city for s in response.context["cl"].result_list] == ["Portland"]

    @pytest.mark.parametrize(
        "model", ["paymentkind", "insurer", "service", "population", "language", "accreditation"]
    )
    def test_vocabulary_is_listed_and_never_deleted(self, client_as_superuser, model):
        response = client_as_superuser.get(reverse(f"admin:programs_{model}_changelist"))
        assert response.status_code == 200
        term = response.context["cl"].result_list[0]
        change = client_as_superuser.get(reverse(f"admin:programs_{model}_change", args=[term.pk]))
        assert change.status_code == 200
        assert 'name="name"' not in change.content.decode()  # fixed in programs/vocabulary.py
        delete = reverse(f"admin:programs_{model}_delete", args=[term.pk])
        assert client_as_superuser.post(delete, {"post": "yes"}).status_code == 403
        assert type(term).objects.filter(pk=term.pk).exists()

    def test_terms_are_not_added_in_the_admin_since_search_could_not_find_them(
        self, client_as_superuser
    ):
        # Each term is a search parameter value and a bit in the index: added in vocabulary.py.
        add = reverse("admin:programs_insurer_add")
        assert client_as_superuser.get(add).status_code == 403
        client_as_superuser.post(add, {"slug": "harbor-health", "name": "Harbor", "position": 99})
        assert not Insurer.objects.filter(slug="harbor-health").exists()


class TestEditsReachThePublicSearch:
    def test_a_payment_added_in_the_admin_counts_in_the_payment_facet(self, admin_client):
        program = make_program(name="Harbor IOP", payments=["self_pay"])
        assert _payment_facet("medicaid") == 0
        data = form_data(admin_client.get(change_url(program)))
        data["payment_kinds"] = [
            str(pk)
            for pk in PaymentKind.objects.filter(slug__in=["self_pay", "medicaid"]).values_list(
                "pk", flat=True
            )
        ]
        assert admin_client.post(change_url(program), data).status_code == 302
        assert _payment_facet("medicaid") == 1
        assert "Harbor IOP" in _search(admin_client, "payment=medicaid")

    def test_a_site_moved_to_another_city_is_found_by_text_search(self, client, superuser):
        client.force_login(superuser)
        program = make_program(name="Harbor IOP")
        site = program.site
        url = reverse("admin:programs_site_change", args=[site.pk])
        form = client.get(url).context["adminform"].form
        data = {bound.html_name: bound.value() for bound in form if bound.value() is not None}
        data["city"] = "Alameda"
        assert client.post(url, data).status_code == 302
        assert "Harbor IOP" in _search(client, "q=Alameda")


def _search(client, query: str) -> str:
    return client.get(f"/api/programs/?{query}").content.decode()


def _payment_facet(slug: str) -> int:
    """How many published programs the search page says accept this payment."""
    facets = program_search(params=QueryDict("")).facets["payment"]
    return next(value.count for value in facets if value.value == slug)


class TestFilteredPublishing:
    def test_publishing_a_list_filtered_to_drafts_counts_what_was_chosen(self, admin_client):
        drafts = [make_program(status=Program.Status.DRAFT) for _ in range(2)]
        already = make_program(status=Program.Status.PUBLISHED)
        # The list shows drafts only; once published they leave it, but were still chosen.
        response = admin_client.post(
            f"{CHANGELIST}?status__exact=draft",
            {"action": "publish", "_selected_action": [p.pk for p in drafts]},
            follow=True,
        )
        assert [str(m) for m in response.context["messages"]] == ["Published 2 programs."]
        response = admin_client.post(
            f"{CHANGELIST}?status__exact=published",
            {"action": "publish", "_selected_action": [already.pk]},
            follow=True,
        )
        assert [str(m) for m in response.context["messages"]] == [
            "Published 0 programs.",
            "1 program already had that status.",
        ]


class TestVerifiedToday:
    def verified_today_url(self, program):
        return reverse("admin:programs_program_verified_today", args=[program.pk])

    def test_the_edit_page_has_a_verified_today_button(self, admin_client):
        program = make_program()
        page = admin_client.get(change_url(program)).content.decode()
        assert f'action="{self.verified_today_url(program)}"' in page
        assert ">Verified today</button>" in page

    def test_one_click_marks_it_verified_today_by_the_curator(self, admin_client, admin_user):
        program = make_program(last_verified_on=timezone.localdate() - timedelta(days=400))
        response = admin_client.post(self.verified_today_url(program), follow=True)
        assert response.redirect_chain == [(change_url(program), 302)]
        assert "Marked 1 program verified today." in [str(m) for m in response.context["messages"]]
        program.refresh_from_db()
        assert program.last_verified_on == timezone.localdate()
        assert program.last_verified_by == admin_user
        assert program.history.latest().history_user == admin_user

    def test_it_only_takes_a_post(self, admin_client):
        program = make_program()
        assert admin_client.get(self.verified_today_url(program)).status_code == 405
        program.refresh_from_db()
        assert program.last_verified_on is None

    def test_view_only_staff_cannot_mark_it(self, client):
        viewer = User.objects.create_user("vic", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_program"))
        client.force_login(viewer)
        program = make_program()
        assert ">Verified today</button>" not in client.get(change_url(program)).content.decode()
        assert client.post(self.verified_today_url(program)).status_code == 403
        program.refresh_from_db()
        assert program.last_verified_on is None


class TestFirstVerificationHistory:
    def test_the_history_names_the_curator_and_no_deleted_user(self, admin_client, admin_user):
        program = make_program()
        admin_client.post(
            CHANGELIST, {"action": "mark_verified_today", "_selected_action": [program.pk]}
        )
        response = admin_client.get(reverse("admin:programs_program_history", args=[program.pk]))
        page = response.content.decode()
        assert "Deleted user" not in page
        latest = response.context["page_obj"].object_list[0]
        assert latest.history_user == admin_user
        by = next(c for c in latest.history_delta_changes if c["field"] == "Last verified by")
        assert by == {"field": "Last verified by", "old": "—", "new": admin_user.username}

    def test_a_verification_outside_a_request_records_the_curator(self, curator):
        from programs import services

        program = make_program()
        services.mark_verified(programs=Program.objects.filter(pk=program.pk), user=curator)
        assert program.history.latest().history_user == curator


class TestReportsOnTheProgram:
    @pytest.fixture
    def reports(self):
        from corrections.models import CorrectionReport

        program = make_program(name="Harbor Evening IOP")
        other = make_program(name="Bay Morning PHP")
        return {
            "open": CorrectionReport.objects.create(
                program=program, problem="cost", details="It is $300 a session now."
            ),
            "resolved": CorrectionReport.objects.create(
                program=program, problem="contact", details="New phone.", status="resolved"
            ),
            "elsewhere": CorrectionReport.objects.create(
                program=other, problem="schedule", details="Mornings only."
            ),
        }

    def test_the_edit_page_lists_its_open_reports_with_links(self, client, superuser, reports):
        client.force_login(superuser)
        page = client.get(change_url(reports["open"].program)).content.decode()
        assert "1 open correction report" in page
        assert "It is $300 a session now." in page
        open_url = reverse("admin:corrections_correctionreport_change", args=[reports["open"].pk])
        assert f'href="{open_url}"' in page
        assert "New phone." not in page
        assert "Mornings only." not in page

    def test_without_open_reports_there_is_no_panel(self, client, superuser):
        client.force_login(superuser)
        page = client.get(change_url(make_program())).content.decode()
        assert 'id="open-reports"' not in page

    def test_staff_who_may_not_read_reports_do_not_see_them(self, client, curator, reports):
        client.force_login(curator)  # programs' permissions only
        page = client.get(change_url(reports["open"].program)).content.decode()
        assert "It is $300 a session now." not in page
