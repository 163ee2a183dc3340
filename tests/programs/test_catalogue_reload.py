"""Searches never wait for a write (issue 16): when reading the catalogue's copy is slow, a
worker goes on serving its current copy while the newer one is read in a thread of its own;
and a worker reads its copy before it takes traffic (gunicorn's post_worker_init)."""

import runpy
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from django.db import connection, transaction
from django.http import QueryDict

from programs import engine
from programs.models import Program
from programs.selectors import program_search
from tests.factories import make_program, make_site_at_zip

# Committed rows: the thread that reads the newer copy has a connection of its own.
pytestmark = pytest.mark.django_db(transaction=True)

OAKLAND = "94612"
GUNICORN_CONF = Path(__file__).resolve().parents[2] / "iopfinder" / "gunicorn.conf.py"


def names() -> list[str]:
    return [row.name for row in program_search(params=QueryDict(f"near={OAKLAND}")).paginate(1)]


def wait_for_newer(copy: engine.Catalogue, seconds: float = 20) -> engine.Catalogue:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        newer = engine.current()
        if newer is not copy:
            return newer
        time.sleep(0.05)
    raise AssertionError(f"no newer copy within {seconds} s")


def test_a_slow_copy_is_read_again_in_the_background_while_searches_go_on(settings):
    make_program(name="First", site=make_site_at_zip(OAKLAND))
    assert names() == ["First"]
    copy = engine.current()

    settings.CATALOGUE_WAIT_MS = 0  # every read counts as slow, as at 100,000 programs
    make_program(name="Second", site=make_site_at_zip(OAKLAND))

    started = time.perf_counter()
    assert engine.current() is copy  # the current copy, at once
    assert time.perf_counter() - started < copy.read_seconds + 0.5
    newer = wait_for_newer(copy)
    assert newer.token != copy.token
    assert names() == ["First", "Second"]


def test_only_one_read_at_a_time_and_a_failed_read_keeps_the_current_copy(settings, monkeypatch):
    make_program(name="First", site=make_site_at_zip(OAKLAND))
    copy = engine.current()
    settings.CATALOGUE_WAIT_MS = 0
    reads = []

    def failing_read(token, today):
        reads.append(token)
        time.sleep(0.3)
        raise RuntimeError("database went away")

    monkeypatch.setattr(engine.Catalogue, "read", failing_read)
    Program.objects.update(name="Renamed")
    for _ in range(5):  # five searches while the first read is under way
        assert engine.current() is copy
    deadline = time.monotonic() + 10
    while engine._reading and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(reads) == 1
    assert not engine._reading
    assert engine.current() is copy  # and a search starts the next try
    assert names() == ["Renamed"]  # found by the current copy, the row as it is now


def test_a_quick_copy_or_one_inside_a_transaction_is_read_at_once(settings):
    # Quick: read in less than CATALOGUE_WAIT_MS (set far above a busy machine's read here).
    settings.CATALOGUE_WAIT_MS = 60_000
    make_program(name="First", site=make_site_at_zip(OAKLAND))
    copy = engine.current()
    assert copy.read_seconds * 1000 < settings.CATALOGUE_WAIT_MS
    make_program(name="Second", site=make_site_at_zip(OAKLAND))
    assert names() == ["First", "Second"]

    settings.CATALOGUE_WAIT_MS = 0
    copy = engine.current()
    with transaction.atomic():
        make_program(name="Third", site=make_site_at_zip(OAKLAND))
        assert connection.in_atomic_block
        assert engine.current() is not copy
        assert names() == ["First", "Second", "Third"]


def test_a_worker_reads_its_copy_before_its_first_request():
    make_program(name="First", site=make_site_at_zip(OAKLAND))
    engine._copies.clear()
    worker = SimpleNamespace(log=SimpleNamespace(exception=pytest.fail))

    runpy.run_path(str(GUNICORN_CONF))["post_worker_init"](worker)

    copy = engine._copies[connection.settings_dict["NAME"]]
    assert len(copy) == 1
    assert engine.current() is copy


def test_the_workers_of_one_machine_read_the_catalogue_once(settings, monkeypatch):
    make_program(name="First", site=make_site_at_zip(OAKLAND))
    reads = []
    read = engine.Catalogue.read

    def counted(token, today):
        reads.append(token)
        return read(token, today)

    monkeypatch.setattr(engine.Catalogue, "read", counted)
    engine._copies.clear()
    engine.warm()  # the first worker reads the catalogue and leaves its copy
    first = engine.current()
    engine._copies.clear()
    engine.warm()  # a second worker loads that copy
    second = engine.current()

    assert len(reads) == 1
    assert second is not first
    assert (second.token, second.today, second.values) == (first.token, first.today, first.values)
    assert np.array_equal(second.holds, first.holds) and np.array_equal(second.ids, first.ids)
    assert all(np.array_equal(second.ranks[k], first.ranks[k]) for k in first.ranks)
    assert all(
        np.array_equal(second.numbers[k], first.numbers[k], equal_nan=True) for k in first.numbers
    )
    assert names() == ["First"]
    files = list(settings.CATALOGUE_COPY_DIR.glob("*.npz"))
    assert len(files) == 1

    make_program(name="Second", site=make_site_at_zip(OAKLAND))  # a new token
    engine._copies.clear()
    engine.warm()
    assert len(reads) == 2
    assert list(settings.CATALOGUE_COPY_DIR.glob("*.npz")) != files  # the older one removed
    assert len(list(settings.CATALOGUE_COPY_DIR.glob("*.npz"))) == 1
    assert names() == ["First", "Second"]
