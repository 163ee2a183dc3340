"""python manage.py import_samhsa on SAMHSA's own files: the National Directory workbooks
(.xlsx) and the locator's Download CSV (programs/samhsa_files.py, programs/imports.py).

Expected counts are worked out here straight from the files (openpyxl, csv), never through
the code under test.
"""

import csv
import io
import json
import re
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from corrections.models import CorrectionReport
from programs.models import Program, Provider, Site
from programs.places import place_of_zip

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, scope="module")
def statements_may_run_long(django_db_blocker):
    """The import runs under the commands' long statement timeout; Django's constraint check
    before each test's rollback does not, and over a whole national directory on a busy
    machine it can take longer than the web's DATABASE_STATEMENT_TIMEOUT. For this module
    the test connection opens with no statement timeout."""
    options = connection.settings_dict.get("OPTIONS", {})
    startup = options.get("options")
    if connection.vendor != "postgresql" or not startup:
        yield
        return
    with django_db_blocker.unblock():
        connection.close()
    options["options"] = re.sub(r"-c statement_timeout=\S+", "", startup)
    yield
    with django_db_blocker.unblock():
        connection.close()
    options["options"] = startup


ROOT = Path(__file__).resolve().parents[2]
DIRECTORIES = ROOT / "data" / "samhsa"
SU_WORKBOOK = DIRECTORIES / "national-directory-su-facilities-2023.xlsx"
MH_WORKBOOK = DIRECTORIES / "national-directory-mh-facilities-2023.xlsx"
FLORIDA = Path(__file__).resolve().parents[1] / "data" / "findtreatment-download-florida.csv"

# The level rules, per survey (data/samhsa/README.md).
# The setting codes of each directory (data/samhsa/README.md), and the care above PHP that is
# listed but searched only when asked for.
SU_LEVELS = {
    "OIT": "iop",
    "ODT": "php",
    "ORT": "outpatient",
    **dict.fromkeys(["RES", "RS", "RL"], "residential"),
    **dict.fromkeys(["HI", "HIT"], "inpatient"),
    **dict.fromkeys(["RD", "HID", "OD"], "detox"),
}
MH_LEVELS = {"PHDT": "php", "OP": "outpatient", "RES": "residential", "HI": "inpatient"}
LEVELS = ("php", "iop", "outpatient", "residential", "inpatient", "detox")
NO_MORE_CARE = {"residential": 0, "inpatient": 0, "detox": 0}

HEADERS = (
    "Name1",
    "Name2",
    "Street1",
    "Street2",
    "City",
    "State",
    "Zip",
    "Phone",
    "Intake1",
    "Intake2",
    "Intake1a",
    "Intake2a",
    "Service_code_info",
)
REFERENCE_HEADERS = (
    "category_code",
    "category_name",
    "service_code",
    "service_name",
    "service_description",
)
# The codes the hand-made workbooks use; the mental-health survey has no OIT, ODT or ORT.
SU_CODES = (
    *("SA", "MH", "SUMH", "OIT", "ODT", "ORT", "OP", "MD", "SP", "TELE", "VET", "F4", "CO"),
    *("FEM", "MALE", "STAG", "SOTP", "RES", "RD"),
)
MH_CODES = ("SA", "MH", "SUMH", "PHDT", "OP", "MD", "SP", "TELE", "VET", "F4", "CO")


def shipped_reference_rows() -> dict[str, tuple]:
    """Code -> its row of data/samhsa/service-codes.csv, with a description added."""
    with (DIRECTORIES / "service-codes.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    return {
        row["service_code"]: (
            row["category_code"],
            row["category_name"],
            row["service_code"],
            row["service_name"],
            f"Facilities offering {row['service_name'].lower()}.",
        )
        for row in rows
    }


REFERENCE = shipped_reference_rows()


def facility(**values) -> dict:
    row = {
        "Name1": "Harbor Light Recovery",
        "Name2": "Adult Services",
        "Street1": "1 Harbor Way",
        "Street2": "Suite 200",
        "City": "Oakland",
        "State": "CA",
        "Zip": "94612",
        "Phone": "510-555-0100",
        "Intake1": "510-555-0101",
        "Intake2": None,
        "Intake1a": None,
        "Intake2a": None,
        "Service_code_info": "SA * OIT",
    }
    row.update(values)
    return row


def write_workbook(path: Path, rows: list[dict], codes=SU_CODES) -> Path:
    """A National Directory workbook as SAMHSA lays it out, holding these rows."""
    workbook = openpyxl.Workbook()
    facilities = workbook.active
    facilities.title = "Facilities List"
    facilities.append(HEADERS)
    for row in rows:
        facilities.append([row[column] for column in HEADERS])
    reference = workbook.create_sheet("Service Code Reference")
    reference.append(REFERENCE_HEADERS)
    for code in codes:
        reference.append(REFERENCE[code])
    workbook.save(path)
    return path


def run_import(*paths, args=()) -> tuple[dict, str]:
    """The import's JSON counts (its last line of output) and the whole output."""
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_samhsa", *[str(path) for path in paths], "--json", *args, stdout=out, stderr=err
    )
    return json.loads(out.getvalue().splitlines()[-1]), out.getvalue()


def written() -> dict:
    return {
        "programs": Program.objects.count(),
        "providers": Provider.objects.count(),
        "sites": Site.objects.count(),
        "program history": Program.history.count(),
        "provider history": Provider.history.count(),
        "site history": Site.history.count(),
        "reports": CorrectionReport.objects.count(),
    }


def nothing_written() -> bool:
    return not any(written().values())


def programs_per_level() -> dict:
    return {level: Program.objects.filter(level_of_care=level).count() for level in LEVELS}


def slugs(program, field) -> list[str]:
    return sorted(getattr(program, field).values_list("slug", flat=True))


def normalized(value) -> str:
    return " ".join(str(value or "").split()).casefold()


# --- 1. The whole of both 2023 directories --------------------------------------------------


def count_directory_levels() -> tuple[int, dict]:
    """Rows, and facilities per level, counted straight from the two shipped workbooks."""
    levels_by_key: dict[tuple, set] = {}
    rows = 0
    for path, rules in ((SU_WORKBOOK, SU_LEVELS), (MH_WORKBOOK, MH_LEVELS)):
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            cells = workbook["Facilities List"].iter_rows(values_only=True)
            header = [str(cell).strip().lower() for cell in next(cells)]
            for values in cells:
                if not any(values):
                    continue
                rows += 1
                row = dict(zip(header, values, strict=False))
                codes = {code for code in str(row["service_code_info"] or "").split()} - {"*"}
                # The facility: its name, street and ZIP code; where SAMHSA keeps the street
                # confidential ("- - -"), its phone in the street's place.
                street = row["street1"]
                if str(street).strip() == "- - -":
                    street = f"confidential {row['phone']}"
                key = (normalized(row["name1"]), normalized(street), normalized(row["zip"]))
                levels_by_key.setdefault(key, set()).update(
                    rules[code] for code in codes if code in rules
                )
        finally:
            workbook.close()
    per_level = Counter(level for levels in levels_by_key.values() for level in levels)
    return rows, {level: per_level[level] for level in LEVELS}


def test_both_2023_directories_give_the_levels_counted_from_the_workbooks_and_reimport_idle():
    rows, expected = count_directory_levels()
    assert rows == 21451
    assert all(expected.values())  # every level is offered somewhere

    first, _ = run_import(SU_WORKBOOK, MH_WORKBOOK)

    assert first["rows"] == 21451
    assert first["by_level"] == expected
    assert programs_per_level() == expected
    total = sum(expected.values())
    assert first["programs"] == {"created": total, "updated": 0, "unchanged": 0}
    assert first["absent"] == 0
    assert Program.objects.count() == total
    assert set(Program.objects.values_list("status", flat=True)) == {Program.Status.PUBLISHED}
    # National Directory rows carry no coordinates: every site is placed at its ZIP code.
    assert not Site.objects.filter(placed_at_zip=False).exists()
    before = written()

    second, _ = run_import(SU_WORKBOOK, MH_WORKBOOK)

    assert second["programs"] == {"created": 0, "updated": 0, "unchanged": total}
    assert second["by_level"] == expected
    assert second["absent"] == 0
    assert written() == before


# --- 2. Hand-made workbooks: the mapping ----------------------------------------------------


def test_a_workbook_facility_is_mapped_field_by_field(tmp_path):
    row = facility(Service_code_info="SA SUMH * OIT ORT * TELE * MD * VET CO * SP * F4")
    counts, _ = run_import(write_workbook(tmp_path / "su.xlsx", [row]))

    assert counts["rows"] == counts["facilities"] == 1
    assert counts["by_level"] == {"php": 0, "iop": 1, "outpatient": 1, **NO_MORE_CARE}
    programs = Program.objects.filter(name="Harbor Light Recovery")
    assert sorted(programs.values_list("level_of_care", flat=True)) == ["iop", "outpatient"]
    iop = programs.get(level_of_care="iop")
    assert iop.status == Program.Status.PUBLISHED
    assert iop.source == Program.Source.SAMHSA
    assert iop.focus == "co_occurring"
    assert iop.format == "both"
    assert iop.phone == "510-555-0100"
    assert iop.website == ""
    assert slugs(iop, "payment_kinds") == ["medicaid"]
    assert slugs(iop, "languages") == ["arabic", "spanish"]
    assert slugs(iop, "populations") == ["veterans"]
    assert iop.imported_values["directories"] == ["substance_use"]
    assert iop.provider.name == "Harbor Light Recovery"

    site = iop.site
    assert (site.name, site.address) == ("Adult Services", "1 Harbor Way, Suite 200")
    assert (site.city, site.state, site.zip_code) == ("Oakland", "CA", "94612")
    centre = place_of_zip("94612")
    assert site.placed_at_zip is True
    assert (site.latitude, site.longitude) == (centre.latitude, centre.longitude)
    assert programs.get(level_of_care="outpatient").site_id == site.id


def test_a_facility_without_telehealth_or_co_occurring_care(tmp_path):
    row = facility(Service_code_info="SA * ODT")
    run_import(write_workbook(tmp_path / "su.xlsx", [row]))

    program = Program.objects.get()
    assert program.level_of_care == "php"
    assert (program.focus, program.format) == ("substance_use", "in_person")
    assert slugs(program, "languages") == slugs(program, "payment_kinds") == []


def test_a_confidential_street_leaves_the_address_empty(tmp_path):
    row = facility(Street1="- - -", Street2=None)
    run_import(write_workbook(tmp_path / "su.xlsx", [row]))

    site = Program.objects.get().site
    assert site.address == ""
    assert (site.city, site.zip_code, site.placed_at_zip) == ("Oakland", "94612", True)


def test_rows_of_one_address_told_apart_by_name2_are_one_listing(tmp_path):
    rows = [
        facility(Name2="Adult Program", Service_code_info="SA * OIT"),
        facility(Name2="Adolescent Program", Service_code_info="SA * ODT ORT"),
    ]
    counts, out = run_import(write_workbook(tmp_path / "su.xlsx", rows))

    assert (counts["rows"], counts["facilities"]) == (2, 1)
    assert "1 duplicates merged" in out
    assert counts["by_level"] == {"php": 1, "iop": 1, "outpatient": 1, **NO_MORE_CARE}
    assert Provider.objects.count() == Site.objects.count() == 1
    assert sorted(Program.objects.values_list("level_of_care", flat=True)) == [
        "iop",
        "outpatient",
        "php",
    ]
    assert Program.objects.values("site").distinct().count() == 1


def test_a_facility_in_both_workbooks_is_one_listing(tmp_path):
    su = write_workbook(tmp_path / "su.xlsx", [facility(Service_code_info="SA * OIT ORT * MD")])
    # The same facility, written with other case and spacing, in the mental-health directory.
    same = facility(
        Name1="HARBOR  LIGHT recovery",
        Street1="1 harbor  way",
        Service_code_info="MH * PHDT OP * SP",
    )
    other = facility(
        Name1="Bayside Counseling", Street1="9 Bay Street", Service_code_info="MH * OP"
    )
    mh = write_workbook(tmp_path / "mh.xlsx", [same, other], codes=MH_CODES)

    counts, _ = run_import(su, mh)

    assert (counts["rows"], counts["facilities"]) == (3, 2)
    assert counts["by_level"] == {"php": 1, "iop": 1, "outpatient": 2, **NO_MORE_CARE}
    harbor = Program.objects.filter(provider__name="Harbor Light Recovery")
    assert sorted(harbor.values_list("level_of_care", flat=True)) == ["iop", "outpatient", "php"]
    assert harbor.values("site").distinct().count() == 1
    for program in harbor:
        assert program.imported_values["directories"] == ["mental_health", "substance_use"]
        assert slugs(program, "payment_kinds") == ["medicaid"]
        assert slugs(program, "languages") == ["spanish"]
    bayside = Program.objects.get(provider__name="Bayside Counseling")
    assert (bayside.level_of_care, bayside.focus) == ("outpatient", "mental_health")
    assert bayside.imported_values["directories"] == ["mental_health"]
    assert Provider.objects.count() == Site.objects.count() == 2


def test_facilities_of_one_provider_in_one_zip_code_keep_their_own_addresses(tmp_path):
    # Found in the 2023 directories: one provider at two streets of the same ZIP code (e.g.
    # "South Central Alabama MHC", Andalusia AL 36420), two listings at two addresses.
    rows = [
        facility(Name2=None, Street1="1 Harbor Way", Street2=None, Service_code_info="SA * OIT"),
        facility(Name2=None, Street1="77 Lake Drive", Street2=None, Service_code_info="SA * ORT"),
    ]
    counts, _ = run_import(write_workbook(tmp_path / "su.xlsx", rows))

    assert counts["facilities"] == 2
    iop = Program.objects.get(level_of_care="iop")
    outpatient = Program.objects.get(level_of_care="outpatient")
    assert iop.site.address == "1 Harbor Way"
    assert outpatient.site.address == "77 Lake Drive"


# --- 3. A newer file without a facility -----------------------------------------------------


def two_facilities(tmp_path) -> tuple[Path, Path]:
    harbor = facility(Service_code_info="SA * OIT ORT * MD")
    bayside = facility(
        Name1="Bayside Counseling", Name2=None, Street1="9 Bay Street", Service_code_info="SA * OIT"
    )
    first = write_workbook(tmp_path / "first.xlsx", [harbor, bayside])
    newer = write_workbook(tmp_path / "newer.xlsx", [bayside])
    return first, newer


def test_a_facility_the_newer_file_no_longer_lists_goes_to_the_curators_queue_once(tmp_path):
    first, newer = two_facilities(tmp_path)
    run_import(first)
    harbor = Program.objects.filter(provider__name="Harbor Light Recovery")
    assert harbor.count() == 2

    counts, _ = run_import(newer)

    assert counts["absent"] == 2
    assert counts["programs"] == {"created": 0, "updated": 0, "unchanged": 1}
    reports = CorrectionReport.objects.all()
    assert sorted(report.program_id for report in reports) == sorted(
        harbor.values_list("pk", flat=True)
    )
    assert {report.problem for report in reports} == {CorrectionReport.Problem.NOT_LISTED}
    assert {report.status for report in reports} == {CorrectionReport.Status.NEW}
    assert all("substance use" in report.details for report in reports)
    # Not deleted, still published: a curator checks before archiving.
    assert Program.objects.count() == 3
    assert set(harbor.values_list("status", flat=True)) == {Program.Status.PUBLISHED}

    again, _ = run_import(newer)

    assert again["absent"] == 2
    assert CorrectionReport.objects.count() == 2


def test_a_file_of_the_other_directory_does_not_make_programs_absent(tmp_path):
    first, _ = two_facilities(tmp_path)
    run_import(first)
    mh = write_workbook(
        tmp_path / "mh.xlsx",
        [facility(Name1="Elsewhere Clinic", Service_code_info="MH * OP")],
        codes=MH_CODES,
    )

    counts, _ = run_import(mh)

    assert counts["absent"] == 0
    assert CorrectionReport.objects.count() == 0


def test_a_locator_download_or_one_directory_alone_does_not_make_programs_absent(tmp_path):
    """Only a program every directory that listed it was read again for can be absent."""
    harbor = facility(Service_code_info="SA * OIT * MD")
    both = write_workbook(tmp_path / "su.xlsx", [harbor])
    mh = write_workbook(
        tmp_path / "mh.xlsx", [facility(Service_code_info="MH * OP * MD")], codes=MH_CODES
    )
    run_import(both, mh)
    counts, _ = run_import(FLORIDA)
    assert counts["absent"] == 0
    mh_without_harbor = write_workbook(
        tmp_path / "mh2.xlsx",
        [facility(Name1="Other", Service_code_info="MH * OP")],
        codes=MH_CODES,
    )
    counts, _ = run_import(mh_without_harbor)
    assert counts["absent"] == 0  # Harbor was in the substance-use directory too
    assert CorrectionReport.objects.count() == 0


# --- 4. Bad input ---------------------------------------------------------------------------


def test_every_bad_workbook_row_is_reported_by_line_and_nothing_is_written(tmp_path):
    rows = [
        facility(),  # line 2
        facility(Name1=None),  # line 3
        facility(Name1="Bayside Counseling", Zip="9461", Service_code_info="SA * OIT ZZZ"),
    ]
    path = write_workbook(tmp_path / "bad.xlsx", rows)

    with pytest.raises(CommandError) as error:
        run_import(path)

    message = str(error.value)
    assert "nothing was written" in message
    problems = message.splitlines()[1:]
    assert [problem.split(":")[0] for problem in problems] == ["Line 3", "Line 4", "Line 4"]
    assert "name is empty" in problems[0]
    assert "“9461” is not 5 digits" in message
    assert "not in the code reference: ZZZ" in message
    assert nothing_written()


def test_bad_rows_among_several_files_name_their_file(tmp_path):
    good = write_workbook(tmp_path / "good.xlsx", [facility()])
    bad = write_workbook(tmp_path / "bad.xlsx", [facility(), facility(State="California")])

    with pytest.raises(CommandError) as error:
        run_import(good, bad)

    assert str(error.value).splitlines()[1:] == [
        "bad.xlsx: Line 3: State “California” is not a 2-letter code like CA."
    ]
    assert nothing_written()


def test_a_csv_that_is_not_from_samhsa_is_refused(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")

    with pytest.raises(CommandError) as error:
        run_import(path)

    assert "not a file SAMHSA publishes" in str(error.value)
    assert nothing_written()


def test_a_damaged_workbook_is_refused(tmp_path):
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 64 + b"not really a workbook")

    with pytest.raises(CommandError) as error:
        run_import(path)

    assert "workbook cannot be opened" in str(error.value)
    assert nothing_written()


def test_a_workbook_without_the_directory_sheets_is_refused(tmp_path):
    path = tmp_path / "plain.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADERS)
    workbook.save(path)

    with pytest.raises(CommandError, match="no sheet named Facilities List, Service Code"):
        run_import(path)
    assert nothing_written()


# --- 5. The locator's Download CSV ----------------------------------------------------------


def count_download_levels(path: Path) -> tuple[dict, dict]:
    """Facilities per level, and each facility's coordinates, straight from the CSV."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    levels_by_key: dict[tuple, set] = {}
    coordinates = {}
    for row in rows:
        rules = MH_LEVELS if row["type_facility"] == "MH" else SU_LEVELS
        key = tuple(normalized(row[column]) for column in ("name1", "street1", "zip"))
        levels_by_key.setdefault(key, set()).update(
            level for code, level in rules.items() if row.get(code.lower()) == "1"
        )
        coordinates[row["name1"]] = (float(row["latitude"]), float(row["longitude"]))
    per_level = Counter(level for levels in levels_by_key.values() for level in levels)
    return {level: per_level[level] for level in LEVELS}, coordinates


def test_the_locators_download_csv_imports_with_its_own_coordinates():
    expected, coordinates = count_download_levels(FLORIDA)
    assert sum(expected.values()) > 0

    counts, _ = run_import(FLORIDA)

    assert counts["by_level"] == expected
    assert programs_per_level() == expected
    assert Program.objects.count() > 0
    sites = Site.objects.select_related("provider")
    assert sites.exists()
    assert not sites.filter(placed_at_zip=True).exists()
    for site in sites:
        assert (site.latitude, site.longitude) == coordinates[site.provider.name]
        assert site.state == "FL"
    david = Program.objects.filter(name="David Lawrence Center").first()
    assert david is not None
    assert (david.site.latitude, david.site.longitude) == (26.1758257, -81.7282945)
    assert david.site.address == "6075 Bathey Lane"
    # A download is one search's results, not a whole directory: it makes nothing absent.
    assert david.imported_values["directories"] == []


@pytest.mark.parametrize("latitude", ["200", "nan"])
def test_download_csv_coordinates_that_are_not_a_place_are_refused(tmp_path, latitude):
    # The flattened locator export refuses a latitude outside -90 to 90 (programs/samhsa.py);
    # the Download CSV carries the same coordinates and must be held to the same rule.
    with FLORIDA.open(encoding="utf-8-sig", newline="") as file:
        header, *rows = list(csv.reader(file))
    rows[2][header.index("latitude")] = latitude  # line 4
    path = tmp_path / "florida.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows([header, *rows])

    with pytest.raises(CommandError) as error:
        run_import(path)

    assert [row.split(":")[0] for row in str(error.value).splitlines()[1:]] == ["Line 4"]
    assert nothing_written()


# --- 6. Dry run -----------------------------------------------------------------------------


def test_dry_run_reports_the_counts_of_a_real_run_and_writes_nothing(tmp_path):
    first, newer = two_facilities(tmp_path)

    dry, out = run_import(first, args=["--dry-run"])

    assert "Dry run: nothing was written." in out
    assert dry["programs"]["created"] == 3
    assert nothing_written()
    real, _ = run_import(first)
    assert real == dry

    before = written()
    dry_newer, _ = run_import(newer, args=["--dry-run"])

    assert dry_newer["absent"] == 2
    assert written() == before  # no report filed either
    real_newer, _ = run_import(newer)
    assert real_newer == dry_newer
    assert CorrectionReport.objects.count() == 2


def test_care_above_php_and_the_facts_a_page_shows_are_kept(tmp_path, client):
    """Residential and detox settings become listings of their own (searched only when asked
    for); whom a facility accepts and who licenses it show on its program page."""
    path = write_workbook(
        tmp_path / "su.xlsx",
        [facility(Service_code_info="SA * OIT RES RD * FEM MALE * STAG SOTP")],
    )
    counts, _ = run_import(path)
    assert counts["by_level"] == {
        "php": 0,
        "iop": 1,
        "outpatient": 0,
        "residential": 1,
        "inpatient": 0,
        "detox": 1,
    }
    iop = Program.objects.get(level_of_care="iop")
    assert iop.directory_facts == {
        "sex_served": ["men", "women"],
        "licensing": ["otp_certified", "state_substance_use_agency"],
    }
    page = client.get(f"/programs/{iop.pk}/").content.decode()
    assert "Accepts: Men, Women" in page
    assert "SAMHSA-certified opioid treatment program, State substance use treatment agency" in page
    detail = client.get(f"/api/programs/{iop.pk}/").json()
    assert detail["directory_facts"] == iop.directory_facts
    found = client.get("/api/programs/?near=94612").json()["results"]
    assert [r["level_of_care"] for r in found] == ["iop"]


def test_a_short_download_csv_row_is_reported_not_a_crash(tmp_path):
    lines = FLORIDA.read_text(encoding="utf-8-sig").splitlines()
    lines[2] = ",".join(lines[2].split(",")[:5])  # a row cut short
    path = tmp_path / "cut.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"Line 3: This row has 5 fields; the header has \d+"):
        run_import(path)
    assert nothing_written()
