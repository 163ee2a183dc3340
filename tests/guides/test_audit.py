"""Every view and change of a caller record is logged: who, what, when, field names only."""

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from guides.models import AuditEntry, AuditLogIsAppendOnly
from tests.factories import make_program
from tests.guides.conftest import make_user, signed_in

pytestmark = pytest.mark.django_db


def entries(caller):
    return list(
        AuditEntry.objects.filter(caller_id=caller.pk)
        .order_by("id")
        .values_list("actor__username", "action", "fields")
    )


def test_creating_a_record_is_logged_with_the_fields_given(guide, caller):
    (entry,) = entries(caller)
    assert entry[:2] == ("gina", "create")
    assert {"alias", "phone", "zip_code", "notes", "consent", "payment_kinds"} <= set(entry[2])


def test_opening_a_record_is_logged_for_whoever_opened_it(caller, other_guide):
    signed_in(other_guide).get(reverse("guides:call", kwargs={"pk": caller.pk}))
    assert entries(caller)[-1] == ("omar", "view", [])


def test_the_caller_list_and_dashboard_log_each_record_they_show(guide, caller, other_guide):
    from tests.guides.conftest import make_caller

    theirs = make_caller(guide=other_guide, alias="Marie")
    signed_in(guide).get(reverse("guides:callers"))
    assert entries(caller)[-1] == ("gina", "list", [])
    assert entries(theirs)[-1] == ("gina", "list", [])

    signed_in(other_guide).get(reverse("guides:dashboard"))  # shows only omar's callers
    assert entries(theirs)[-1] == ("omar", "list", [])
    assert ("omar", "list", []) not in entries(caller)


def test_a_change_logs_the_changed_field_names_never_their_values(guide, caller):
    client = signed_in(guide)
    data = {
        "alias": caller.alias,
        "phone": "415-555-0123",
        "zip_code": caller.zip_code,
        "radius_miles": caller.radius_miles,
        "payment_kinds": [kind.pk for kind in caller.payment_kinds.all()],
        "notes": "Now also wants a Spanish-speaking group",
    }
    response = client.post(reverse("guides:caller_update", kwargs={"pk": caller.pk}), data)
    assert response.status_code == 302
    assert ("gina", "update", ["notes", "phone"]) in entries(caller)
    stored = str(list(AuditEntry.objects.values()))
    for value in ["415-555-0123", "Spanish-speaking", caller.alias, "510-555-0199"]:
        assert value not in stored


def test_screening_shortlist_referral_export_and_erasure_are_logged(guide, caller):
    client = signed_in(guide)
    program = make_program()
    client.post(reverse("guides:shortlist_add", kwargs={"pk": caller.pk}), {"program": program.pk})
    referral = caller.referrals.get()
    url = reverse("guides:referral_update", kwargs={"pk": caller.pk, "referral_pk": referral.pk})
    client.post(url, {f"referral-{referral.pk}-status": "contacted"})
    client.get(reverse("guides:caller_export", kwargs={"pk": caller.pk}))
    client.post(reverse("guides:caller_erase", kwargs={"pk": caller.pk}))

    actions = [action for _, action, _ in entries(caller)]
    assert actions == ["create", "shortlist", "referral", "export", "erase"]


def test_the_log_cannot_be_changed_or_deleted(guide, caller):
    entry = AuditEntry.objects.get(caller_id=caller.pk)
    entry.action = "view"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.filter(pk=entry.pk).update(action="view")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "create"


def test_curators_read_the_log_in_the_admin_but_cannot_add_change_or_delete(guide, caller):
    curator = make_user("cora", "curators")
    User.objects.filter(pk=curator.pk).update(is_staff=True)
    client = signed_in(User.objects.get(pk=curator.pk))
    entry = AuditEntry.objects.get(caller_id=caller.pk)

    listing = client.get(reverse("admin:guides_auditentry_changelist"))
    assert listing.status_code == 200
    assert (
        f"caller #{caller.pk}" in listing.content.decode()
        or str(caller.pk) in listing.content.decode()
    )
    detail = client.get(reverse("admin:guides_auditentry_change", args=[entry.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.get(reverse("admin:guides_auditentry_add")).status_code == 403
    assert client.get(reverse("admin:guides_auditentry_delete", args=[entry.pk])).status_code == 403
    assert (
        client.post(reverse("admin:guides_auditentry_change", args=[entry.pk]), {}).status_code
        == 403
    )


def test_a_guide_with_audit_entries_cannot_be_deleted_so_the_log_stays_whole(guide, caller):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        guide.delete()
    assert AuditEntry.objects.filter(actor=guide).exists()


def test_the_database_itself_refuses_to_change_the_log(guide, caller):
    """On PostgreSQL a trigger guards the log even from raw SQL (migration 0004)."""
    entry = AuditEntry.objects.get(caller_id=caller.pk)
    if connection.vendor == "sqlite":
        # The development database has the application's guard only (see the migration).
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master "
                "WHERE type = 'trigger' AND tbl_name = 'guides_auditentry'"
            )
            assert cursor.fetchone()[0] == 0
        return
    for sql in [
        "UPDATE guides_auditentry SET action = 'view' WHERE id = %s",
        "DELETE FROM guides_auditentry WHERE id = %s",
    ]:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "create"
