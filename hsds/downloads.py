"""The whole published catalogue as one HSDS JSON file and as HSDS's tabular form (a zip of
CSV files with datapackage.json), kept under HSDS_DOWNLOAD_DIR and named for the state of the
catalogue they hold (its token, CatalogueVersion, and the day: a program's availability
counts only while recent). `modified_after` builds a small file of only what changed.

Building the national catalogue takes a while, so a request never waits for it: it gets the
last file built, says how current it is, and a thread builds the newer one
(`manage.py build_hsds_downloads` does the same in the foreground, after an import). Only
when no file was ever built does a small catalogue build on request; a large one answers
503 until the thread is done.
"""

import json
import os
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections
from django.utils import timezone

from hsds import mapping, selectors, tabular
from programs.models import Program

KINDS = {"json": "hsds.json", "zip": "hsds.zip"}
CONTENT_TYPES = {"json": "application/json", "zip": "application/zip"}
# A build lock older than this was left by a process that died while building.
LOCK_EXPIRES_SECONDS = 3600
# What a 503 asks a client to wait before asking again for a file being prepared.
RETRY_AFTER_SECONDS = 60


def directory() -> Path:
    return Path(getattr(settings, "HSDS_DOWNLOAD_DIR", settings.BASE_DIR / "var" / "hsds"))


def build_on_request_max() -> int:
    """The most published programs a request may wait for when no file was ever built."""
    return getattr(settings, "HSDS_BUILD_ON_REQUEST_MAX", 2000)


def catalogue_services(*, modified_after: datetime | None = None):
    """Every published service, whole, a chunk of a few queries at a time."""
    for program in selectors.all_services(modified_after=modified_after):
        yield mapping.service(program)


def as_json(services: list[dict]) -> bytes:
    page = selectors.Page(services, len(services), 1, max(len(services), 1))
    return json.dumps(page.as_json(services), cls=DjangoJSONEncoder).encode()


def as_zip(services: list[dict]) -> bytes:
    return tabular.write_zip(services, created=mapping.timestamp(timezone.now()))


BUILD = {"json": as_json, "zip": as_zip}


def build(kind: str, *, modified_after: datetime | None = None) -> bytes:
    return BUILD[kind](list(catalogue_services(modified_after=modified_after)))


def _name(kind: str) -> str:
    token = selectors.catalogue_token() or "none"
    return f"catalogue-{timezone.localdate().isoformat()}-{token}.{kind}"


def _built(kind: str) -> list[Path]:
    """The files of this kind built so far, newest first."""
    files = directory().glob(f"catalogue-*.{kind}")
    return sorted(files, key=lambda path: path.stat().st_mtime, reverse=True)


def build_files() -> dict[str, Path]:
    """Both files for the catalogue as it is now (the mapping runs once for the two), each
    written aside and renamed so no reader sees half a file; older ones are removed."""
    folder = directory()
    folder.mkdir(parents=True, exist_ok=True)
    names = {kind: _name(kind) for kind in KINDS}
    services = list(catalogue_services())
    paths = {}
    for kind, name in names.items():
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(BUILD[kind](services))
        paths[kind] = folder / name
        os.replace(temporary, paths[kind])
        for old in _built(kind):
            if old != paths[kind]:
                old.unlink(missing_ok=True)
    return paths


def _lock() -> Path:
    return directory() / "building.lock"


def _take_lock() -> bool:
    """Whether this process may build now: no other worker or server is building."""
    directory().mkdir(parents=True, exist_ok=True)
    lock = _lock()
    try:
        if time.time() - lock.stat().st_mtime > LOCK_EXPIRES_SECONDS:
            lock.unlink(missing_ok=True)
    except FileNotFoundError:
        pass
    try:
        os.close(os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def _build_and_release():
    try:
        build_files()
    finally:
        _lock().unlink(missing_ok=True)
        connections.close_all()  # this thread's connections


def start_background_build() -> bool:
    """Build both files in a thread unless one is being built; whether it started one."""
    if not _take_lock():
        return False
    threading.Thread(target=_build_and_release, name="hsds-downloads", daemon=True).start()
    return True


@dataclass
class Download:
    path: Path
    current: bool  # built for the catalogue as it is now

    @property
    def built_at(self) -> float:
        return self.path.stat().st_mtime


def download(kind: str) -> Download | None:
    """The file to serve: the current one; else the last one built while a thread builds
    the current; with none yet, built now for a small catalogue, None (being prepared) for a
    large one."""
    path = directory() / _name(kind)
    if path.exists() and selectors.catalogue_token() is not None:
        return Download(path, current=True)
    built = _built(kind)
    if built:
        start_background_build()
        return Download(built[0], current=False)
    if Program.objects.published().count() <= build_on_request_max():
        return Download(build_files()[kind], current=True)
    start_background_build()
    return None
