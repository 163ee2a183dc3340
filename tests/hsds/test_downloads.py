"""Bulk downloads: the whole published catalogue as HSDS JSON and as HSDS's tabular form,
cached until the catalogue changes; and the tabular form loaded back gives the same
services (manage.py load_hsds)."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.utils import timezone

from hsds import downloads, mapping
from programs.models import Program, Provider, Site
from tests.factories import make_program
from tests.hsds.conftest import validate

pytestmark = pytest.mark.django_db
DOWNLOAD = "/api/hsds/download/hsds"


@pytest.fixture(autouse=True)
def download_dir(settings, tmp_path):
    settings.HSDS_DOWNLOAD_DIR = tmp_path / "hsds"
    return settings.HSDS_DOWNLOAD_DIR


def content(response) -> bytes:
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_json_download_is_every_published_service(client, catalogue):
    body = json.loads(content(client.get(f"{DOWNLOAD}.json")))
    validate(body, "service", page=True)
    assert {s["name"] for s in body["contents"]} == {"Harbor Evening IOP", "Valley Outpatient"}


def test_the_zip_is_a_datapackage_of_hsds_tables(client, catalogue):
    archive = zipfile.ZipFile(io.BytesIO(content(client.get(f"{DOWNLOAD}.zip"))))
    package = json.loads(archive.read("datapackage.json"))
    assert package["profile"] == "tabular-data-package"
    assert {licence["name"] for licence in package["licenses"]} == {"CC-BY-4.0", "other-pd"}
    paths = {resource["path"] for resource in package["resources"]}
    assert {
        "services.csv",
        "organizations.csv",
        "locations.csv",
        "addresses.csv",
        "service_at_location.csv",
        "schedules.csv",
        "cost_options.csv",
        "funding.csv",
        "attributes.csv",
        "taxonomy_terms.csv",
        "taxonomies.csv",
    } <= paths
    assert paths == set(archive.namelist()) - {"datapackage.json"}
    services = archive.read("services.csv").decode().splitlines()
    assert len(services) == 3  # the header and the two published services


def test_the_file_is_built_once_until_the_catalogue_changes(client, catalogue, monkeypatch):
    built = []
    monkeypatch.setattr(downloads, "start_background_build", lambda: built.append(True))
    response = client.get(f"{DOWNLOAD}.zip")
    content(response)
    assert response["X-Catalogue-Current"] == "true" and response["Last-Modified"]
    first = downloads.download("zip").path
    first.write_bytes(b"kept")  # served as it is while nothing changed
    assert content(client.get(f"{DOWNLOAD}.zip")) == b"kept"
    assert not built

    catalogue["samhsa"].name = "Valley Outpatient Clinic"
    catalogue["samhsa"].save()
    stale = client.get(f"{DOWNLOAD}.zip")
    # The last file, saying it is older than the catalogue, while a newer one is built.
    assert content(stale) == b"kept" and stale["X-Catalogue-Current"] == "false"
    assert built == [True]
    rebuilt = downloads.build_files()["zip"]
    assert rebuilt != first and not first.exists()
    assert b"Valley Outpatient Clinic" in zipfile.ZipFile(rebuilt).read("services.csv")
    assert client.get(f"{DOWNLOAD}.zip")["X-Catalogue-Current"] == "true"


def test_a_large_catalogue_never_built_is_503_while_being_prepared(
    client, catalogue, monkeypatch, settings
):
    settings.HSDS_BUILD_ON_REQUEST_MAX = 1
    built = []
    monkeypatch.setattr(downloads, "start_background_build", lambda: built.append(True))
    response = client.get(f"{DOWNLOAD}.json")
    assert response.status_code == 503
    assert response["Retry-After"] == str(downloads.RETRY_AFTER_SECONDS)
    assert "being prepared" in response.json()["errors"]["download"][0]
    assert built == [True]
    call_command("build_hsds_downloads")
    assert content(client.get(f"{DOWNLOAD}.json"))


def test_one_build_at_a_time(catalogue):
    assert downloads._take_lock()
    assert not downloads.start_background_build()  # another worker is building
    downloads._lock().unlink()


def test_the_whole_catalogue_is_built_in_a_few_queries(catalogue, django_assert_max_num_queries):
    for number in range(30):
        make_program(name=f"More {number}", tracks=[{}], payments=["medicaid"])
    with django_assert_max_num_queries(12):
        downloads.build_files()


def test_modified_after_downloads_only_what_changed(client, catalogue):
    later = timezone.now()
    catalogue["curated"].name = "Harbor Evening IOP (new)"
    catalogue["curated"].save()
    body = json.loads(
        content(client.get(f"{DOWNLOAD}.json", {"modified_after": later.isoformat()}))
    )
    assert [s["name"] for s in body["contents"]] == ["Harbor Evening IOP (new)"]


def _comparable(value):
    """A service with what a fresh database cannot keep left out: ids (its own keys),
    change dates and provenance (who wrote each fact there is the loader)."""
    if isinstance(value, dict):
        return {
            key: _comparable(item)
            for key, item in value.items()
            if key not in ("id", "last_modified", "metadata")
            and not key.endswith("_id")
            and value.get("link_type") != "provenance"
        }
    if isinstance(value, list):
        items = [_comparable(item) for item in value]
        return sorted((item for item in items if item), key=json.dumps)
    return value


def test_the_tabular_download_loads_back_into_a_fresh_database(client, catalogue, tmp_path):
    before = json.loads(content(client.get(f"{DOWNLOAD}.json")))["contents"]
    archive = tmp_path / "hsds.zip"
    archive.write_bytes(content(client.get(f"{DOWNLOAD}.zip")))
    Program.objects.all().delete()
    Site.objects.all().delete()
    Provider.objects.all().delete()

    call_command("load_hsds", str(archive))

    after = [mapping.service(p) for p in downloads.selectors.all_services()]
    assert len(after) == len(before) == 2
    assert _comparable(after) == _comparable(before)
    counts = (Program.objects.count(), Provider.objects.count(), Site.objects.count())
    call_command("load_hsds", str(archive))  # again: updated in place, never duplicated
    assert (Program.objects.count(), Provider.objects.count(), Site.objects.count()) == counts
    assert _comparable([mapping.service(p) for p in downloads.selectors.all_services()]) == (
        _comparable(before)
    )
