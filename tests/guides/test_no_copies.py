"""Caller details live only in the caller tables: no change history, no log lines."""

import logging

import pytest
from django.apps import apps
from django.urls import reverse

from tests.factories import make_program
from tests.guides.conftest import make_caller, signed_in

pytestmark = pytest.mark.django_db


def test_no_change_history_is_kept_for_guides_records():
    history_models = [
        model.__name__ for model in apps.get_models() if hasattr(model, "instance_type")
    ]
    assert "HistoricalProgram" in history_models  # the check can see history models
    assert not [
        model
        for model in apps.get_models()
        if getattr(model, "instance_type", None) and model.instance_type._meta.app_label == "guides"
    ]


def test_a_whole_call_writes_no_personal_detail_to_the_logs_even_in_debug(guide, settings, caplog):
    # Someone debugging: Django then logs every SQL statement with its parameters.
    settings.DEBUG = True
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    caller = make_caller(guide=guide, notes="Sister drives her")
    client = signed_in(guide)
    program = make_program(payments=["medicaid"])
    client.get(reverse("guides:call", kwargs={"pk": caller.pk}))
    client.post(reverse("guides:shortlist_add", kwargs={"pk": caller.pk}), {"program": program.pk})
    client.post(
        reverse("guides:caller_update", kwargs={"pk": caller.pk}),
        {"alias": "Rosalind", "zip_code": "123"},
    )
    client.get(reverse("guides:caller_export", kwargs={"pk": caller.pk}))
    client.post(reverse("guides:caller_erase", kwargs={"pk": caller.pk}))

    assert caplog.records, "the check must see log records"
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for value in ["Rosalind", "510-555-0199", "Sister drives her"]:
        assert value not in logged


def test_error_reports_for_guides_pages_hide_every_local_variable(rf):
    import sys

    from django.views.debug import ExceptionReporter

    # Built at run time: the report also shows source lines, which must not hold the value.
    phone = "-".join(["510", "555", "0199"])

    def view_that_fails(request, value):
        caller_phone = value  # noqa: F841  (a local an error report would show)
        raise RuntimeError("a bug")

    for path, hidden in [("/guides/callers/7/", True), ("/programs/", False)]:
        request = rf.get(path)
        try:
            view_that_fails(request, phone)
        except RuntimeError:
            report = ExceptionReporter(request, *sys.exc_info()).get_traceback_html()
        assert (phone not in report) is hidden, path


def test_sqlite_overwrites_deleted_rows(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        assert connection.vendor == "postgresql"  # PostgreSQL: see the README on erasure
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        assert cursor.fetchone()[0] == 1
