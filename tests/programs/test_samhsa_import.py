"""python manage.py import_samhsa: the real locator sample, re-imports, curator edits, bad files."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from programs import imports, samhsa
from programs.models import Program, Provider, ScheduleTrack, Site

# Counted by hand in tests/data/samhsa-locator-ca-sample.csv with a separate script: rows
# grouped by name|ZIP|coordinates (478 rows -> 470 facilities, 8 duplicate rows), then
# facilities naming each level's SAMHSA service. The data README's row counts (IOP 68,
# ODT 61, ORT 68) hold for facilities too: no duplicate row names a level.
SAMPLE_PROGRAMS = {"php": 61, "iop": 68, "outpatient": 68}
SAMPLE_FACILITIES = 470
SAMPLE_DUPLICATES = 8
SAMPLE_SKIPPED = 397

IOP = "Intensive outpatient treatment"


def run_import(path, *args, verbosity=1):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_samhsa", str(path), *args, verbosity=verbosity, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def facility(**values) -> dict:
    row = {
        "Name": "Harbor Light Recovery",
        "City": "Oakland",
        "State": "CA",
        "ZIP": "94612",
        "Phone": "510-555-0100 x12",
        "Address": "",
        "Website": "https://harbor.example.org",
        "Latitude": "37.8044",
        "Longitude": "-122.2712",
        "Residential Services": "",
        "All Services": f"Substance use treatment; {IOP}; Cash or self-payment; "
        "Private health insurance; Group counseling",
    }
    row.update(values)
    return row


def write_csv(path, rows, columns=samhsa.COLUMNS):
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({column: row[column] for column in columns} for row in rows)
    return path


def programs_per_level() -> dict:
    return {level: Program.objects.filter(level_of_care=level).count() for level in SAMPLE_PROGRAMS}


# The mapping, as pure functions (programs/samhsa.py has no Django imports).


def test_no_payment_accepted_means_free_of_charge():
    names = {"No payment accepted", "Payment assistance (check with facility for details)"}
    assert samhsa.slugs_of(names, samhsa.SLUG_BY_NAME["payment_kinds"]) == [
        "free",
        "payment_assistance",
    ]


def test_telehealth_means_in_person_and_telehealth():
    assert samhsa.format_of({IOP, "Telemedicine/telehealth therapy"}) == "both"
    assert samhsa.format_of({IOP}) == "in_person"


def test_focus_prefers_co_occurring_then_substance_use_then_mental_health():
    co_occurring = "Clients with co-occurring mental and substance use disorders"
    assert samhsa.focus_of({"Substance use treatment", co_occurring}) == "co_occurring"
    assert samhsa.focus_of({"Substance use treatment", "Mental health services"}) == "substance_use"
    assert samhsa.focus_of({"Mental health services"}) == "mental_health"


def test_levels_of_care_from_the_locator_flags():
    both_php_names = {
        "Outpatient day treatment or partial hospitalization",
        "Partial hospitalization program (mental health)",
    }
    assert samhsa.levels_of_care(both_php_names) == ["php"]
    assert samhsa.levels_of_care({IOP, "Regular outpatient treatment"}) == ["outpatient", "iop"]
    # "Outpatient" alone is the locator's category heading, not a level of care.
    assert samhsa.levels_of_care({"Outpatient", "Residential/24-hour residential"}) == []


def test_program_vocabulary_maps_known_names_and_ignores_the_rest():
    row = facility(
        **{
            "All Services": "Spanish; Any Chinese Language; Adult women; The Joint Commission; "
            "Accepts clients using medication assisted treatment for alcohol use disorder but "
            "prescribed elsewhere; Anger management; Cognitive behavioral therapy ; Medicaid"
        }
    )
    parsed = samhsa.read(write_csv_bytes([row]))
    assert parsed.facilities[0].program_vocabulary() == {
        "payment_kinds": ["medicaid"],
        "services": ["accepts_mat_clients", "cbt"],
        "populations": ["women"],
        "languages": ["chinese", "spanish"],
        "accreditations": ["joint_commission"],
    }


def test_external_key_is_stable_across_case_spacing_and_float_noise():
    key = samhsa.facility_key(
        name="Harbor  Light", zip_code="94612", latitude=37.8, longitude=-122.27
    )
    same = samhsa.facility_key(
        name="harbor light ", zip_code="94612", latitude=37.8000000001, longitude=-122.27
    )
    elsewhere = samhsa.facility_key(
        name="Harbor Light", zip_code="94607", latitude=37.8, longitude=-122.29
    )
    assert key == same
    assert key != elsewhere
    parsed = samhsa.read(write_csv_bytes([facility()]))
    assert parsed.facilities[0].external_key("iop").endswith(":iop")
    assert parsed.facilities[0].external_key("iop") != parsed.facilities[0].external_key("php")


def test_rows_of_the_same_facility_are_merged_with_the_union_of_their_services():
    parsed = samhsa.read(
        write_csv_bytes(
            [
                facility(**{"All Services": f"{IOP}; Medicaid"}),
                facility(Website="http://", **{"All Services": "Spanish; Medicaid"}),
                # Another extension of the same facility (data/README.md): still one facility,
                # so a phone changed in a later export updates the listing, never adds one.
                facility(Phone="510-555-0100 x227", **{"All Services": "Adult women"}),
                facility(Name="Other Place", **{"All Services": "Spanish"}),
            ]
        )
    )
    assert (parsed.rows, len(parsed.facilities), parsed.duplicates) == (4, 2, 2)
    merged = parsed.facilities[0]
    assert merged.service_names == {IOP, "Medicaid", "Spanish", "Adult women"}
    assert merged.website == "https://harbor.example.org"
    assert merged.phone == facility()["Phone"]
    assert merged.address == ""
    assert [f.line for f in parsed.skipped] == [5]


def test_a_bare_scheme_is_read_as_no_website():
    parsed = samhsa.read(write_csv_bytes([facility(Website="http://")]))
    assert parsed.facilities[0].website == ""


def test_problems_carry_the_line_numbers_a_text_editor_shows():
    rows = [
        facility(**{"All Services": f"{IOP};\nGroup counseling"}),  # lines 2-3
        facility(Name="Second", ZIP="9461"),  # line 4
        facility(Name="", Latitude="north"),  # line 5
    ]
    with pytest.raises(samhsa.InvalidFile) as invalid:
        samhsa.read(write_csv_bytes(rows))
    assert [(p.line, p.message) for p in invalid.value.problems] == [
        (4, "ZIP code “%(value)s” is not 5 digits."),
        (5, "The facility name is empty."),
        (5, "%(column)s “%(value)s” is not a number."),
    ]


def write_csv_bytes(rows) -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=samhsa.COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode()


# The command on the real sample.


@pytest.mark.django_db
def test_real_sample_makes_one_published_program_per_level_of_care(samhsa_sample):
    out, err = run_import(samhsa_sample)

    assert programs_per_level() == SAMPLE_PROGRAMS
    assert Program.objects.count() == sum(SAMPLE_PROGRAMS.values())
    assert f"Read 478 rows: {SAMPLE_FACILITIES} facilities, {SAMPLE_DUPLICATES} duplicates" in out
    assert f"Skipped {SAMPLE_SKIPPED} facilities" in out
    assert "Programs: 197 created, 0 updated, 0 unchanged." in out
    assert "Intensive outpatient (IOP): 68 created" in out
    assert "Partial hospitalization (PHP): 61 created" in out
    assert "Standard outpatient: 68 created" in out
    assert f"{SAMPLE_FACILITIES} of {SAMPLE_FACILITIES} facilities" in err
    # Public data, but the locator records no schedule or cost: both stay "not yet verified".
    programs = Program.objects.all()
    assert set(programs.values_list("status", flat=True)) == {Program.Status.PUBLISHED}
    assert set(programs.values_list("source", flat=True)) == {Program.Source.SAMHSA}
    assert not programs.filter(hours_per_week_min__isnull=False).exists()
    assert not programs.filter(cost_per_session_min__isnull=False).exists()
    assert not programs.filter(total_cost_min__isnull=False).exists()
    assert not programs.filter(last_verified_on__isnull=False).exists()
    assert ScheduleTrack.objects.count() == 0
    assert not any(program.schedule_known or program.cost_known for program in programs)


@pytest.mark.django_db
def test_a_real_facility_is_mapped_field_by_field(samhsa_sample):
    run_import(samhsa_sample)

    # Line 337 of the sample: Phoenix House, Santa Ana (IOP and regular outpatient, no PHP).
    programs = Program.objects.filter(name="Phoenix House", site__city="Santa Ana")
    assert sorted(programs.values_list("level_of_care", flat=True)) == ["iop", "outpatient"]
    iop = programs.get(level_of_care="iop")
    assert iop.focus == "co_occurring"
    assert iop.format == "both"
    assert iop.phone == "714-953-9373 x4860"
    assert iop.website == "http://www.phoenixhouseca.org"
    assert (iop.site.zip_code, iop.site.state, iop.site.address) == ("92701", "CA", "")
    assert (iop.site.latitude, iop.site.longitude) == (33.7528452, -117.853877)
    assert iop.provider.name == "Phoenix House"

    def slugs(field):
        return sorted(getattr(iop, field).values_list("slug", flat=True))

    assert slugs("payment_kinds") == ["medicaid", "private_insurance", "self_pay", "state_financed"]
    assert slugs("accreditations") == ["carf", "coa", "joint_commission", "ncqa"]
    assert slugs("languages") == [
        "arabic",
        "asl",
        "chinese",
        "japanese",
        "other_languages",
        "spanish",
        "tagalog",
    ]
    assert slugs("populations") == [
        "adults",
        "domestic_violence",
        "justice_involved",
        "men",
        "military",
        "seniors",
        "trauma",
        "veterans",
        "women",
        "young_adults",
    ]
    assert {"buprenorphine", "naltrexone", "accepts_mat_clients", "cbt"} <= set(slugs("services"))
    assert iop.imported_values["payment_kinds"] == slugs("payment_kinds")
    assert iop.imported_values["phone"] == "714-953-9373 x4860"
    assert iop.external_key.endswith(":iop")
    assert programs.get(level_of_care="outpatient").site_id == iop.site_id
    # Searchable by provider and place (services.refresh_search_index).
    assert (iop.search_provider, iop.search_place) == ("Phoenix House", "Santa Ana CA 92701")


@pytest.mark.django_db
def test_each_new_program_gets_one_creation_record_in_its_history(samhsa_sample):
    run_import(samhsa_sample)

    program = Program.objects.get(name="Phoenix House", level_of_care="iop")
    record = program.history.get()
    assert record.history_type == "+"
    assert record.history_change_reason == imports.CHANGE_REASON
    recorded = {row.paymentkind.slug for row in record.payment_kinds.all()}
    assert recorded == set(program.payment_kinds.values_list("slug", flat=True))


@pytest.mark.django_db
def test_a_second_run_changes_nothing(samhsa_sample):
    run_import(samhsa_sample)
    counts = [model.objects.count() for model in (Provider, Site, Program.history.model)]

    out, _ = run_import(samhsa_sample)

    assert "Programs: 0 created, 0 updated, 197 unchanged." in out
    assert programs_per_level() == SAMPLE_PROGRAMS
    assert [model.objects.count() for model in (Provider, Site, Program.history.model)] == counts


@pytest.mark.django_db
def test_curator_edits_survive_a_reimport_and_unedited_fields_follow_the_file(tmp_path):
    run_import(write_csv(tmp_path / "first.csv", [facility()]))
    program = Program.objects.get()
    program.phone = "510-555-0100 (ask for intake)"
    program.status = Program.Status.ARCHIVED
    program.save()
    program.payment_kinds.remove(program.payment_kinds.get(slug="private_insurance"))

    changed = facility(
        Website="https://harborlight.example.org",
        **{
            "All Services": f"Substance use treatment; {IOP}; Cash or self-payment; "
            "Private health insurance; Medicaid; Group counseling; Family counseling; Spanish; "
            "Telemedicine/telehealth therapy"
        },
    )
    out, _ = run_import(write_csv(tmp_path / "second.csv", [changed]))

    program = Program.objects.get()
    assert "Programs: 0 created, 1 updated, 0 unchanged." in out
    assert program.phone == "510-555-0100 (ask for intake)"
    assert program.status == Program.Status.ARCHIVED
    assert list(program.payment_kinds.values_list("slug", flat=True)) == ["self_pay"]
    assert program.website == "https://harborlight.example.org"
    assert program.format == "both"
    assert sorted(program.services.values_list("slug", flat=True)) == [
        "family_therapy",
        "group_therapy",
    ]
    assert list(program.languages.values_list("slug", flat=True)) == ["spanish"]
    latest = program.history.first()
    assert latest.history_change_reason == imports.CHANGE_REASON
    assert latest.website == "https://harborlight.example.org"


@pytest.mark.django_db
def test_a_level_the_facility_adds_later_joins_its_site(tmp_path):
    run_import(write_csv(tmp_path / "first.csv", [facility()]))
    services = f"{IOP}; Regular outpatient treatment; Group counseling"
    grown = facility(Website="https://harborlight.example.org", **{"All Services": services})

    out, _ = run_import(write_csv(tmp_path / "second.csv", [grown]))

    assert "Programs: 1 created, 1 updated, 0 unchanged." in out
    iop, outpatient = Program.objects.order_by("level_of_care")
    assert (iop.level_of_care, outpatient.level_of_care) == ("iop", "outpatient")
    assert outpatient.site == iop.site
    assert Provider.objects.count() == Site.objects.count() == 1


@pytest.mark.django_db
def test_as_draft_imports_unpublished_and_a_later_run_does_not_publish(samhsa_sample):
    run_import(samhsa_sample, "--as-draft")
    assert set(Program.objects.values_list("status", flat=True)) == {Program.Status.DRAFT}

    run_import(samhsa_sample)
    assert set(Program.objects.values_list("status", flat=True)) == {Program.Status.DRAFT}


@pytest.mark.django_db
def test_dry_run_reports_the_same_counts_and_writes_nothing(samhsa_sample):
    out, _ = run_import(samhsa_sample, "--dry-run")

    assert "Programs: 197 created, 0 updated, 0 unchanged." in out
    assert "Intensive outpatient (IOP): 68 created" in out
    assert "Dry run: nothing was written." in out
    assert Program.objects.count() == Provider.objects.count() == Site.objects.count() == 0
    assert Program.history.count() == 0


@pytest.mark.django_db
def test_verbosity_zero_prints_no_progress(tmp_path):
    out, err = run_import(write_csv(tmp_path / "one.csv", [facility()]), verbosity=0)

    assert (out, err) == ("", "")
    assert Program.objects.count() == 1


@pytest.mark.django_db
def test_a_street_address_is_kept_when_the_file_has_one(tmp_path):
    # Empty in every row of the California sample; other exports carry it.
    run_import(write_csv(tmp_path / "one.csv", [facility(Address="1 Harbor Way")]))

    assert Program.objects.get().site.address == "1 Harbor Way"


@pytest.mark.django_db
def test_a_failure_while_writing_leaves_nothing_behind(tmp_path, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    # The curators' queue is filled after every program is written.
    monkeypatch.setattr(imports._Writer, "queue_absent", fail)
    rows = [facility(), facility(Name="Eastside Recovery", Phone="510-555-0177")]
    with pytest.raises(RuntimeError):
        run_import(write_csv(tmp_path / "two.csv", rows))
    assert Program.objects.count() == Provider.objects.count() == Site.objects.count() == 0


# Corrupted copies of the real sample. The sample has one record per line, so row i
# (from 0) is on line i + 2.


def corrupt_row(sample, tmp_path, line, **values):
    with sample.open(encoding="utf-8", newline="") as file:
        header, *rows = list(csv.reader(file))
    for column, value in values.items():
        rows[line - 2][header.index(column)] = value
    path = tmp_path / "corrupt.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file, lineterminator="\n").writerows([header, *rows])
    return path


def drop_column(sample, tmp_path, column):
    with sample.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    columns = [name for name in samhsa.COLUMNS if name != column]
    return write_csv(tmp_path / "corrupt.csv", rows, columns)


def non_utf8_byte(sample, tmp_path, line):
    lines = sample.read_bytes().split(b"\n")
    lines[line - 1] = lines[line - 1].replace(b",", b"\xe9,", 1)
    path = tmp_path / "corrupt.csv"
    path.write_bytes(b"\n".join(lines))
    return path


CORRUPTIONS = {
    "latitude out of range": (lambda s, t: corrupt_row(s, t, 10, Latitude="91.5"), 10, "Latitude"),
    "longitude not a number": (
        lambda s, t: corrupt_row(s, t, 50, Longitude="-122,27"),
        50,
        "not a number",
    ),
    "ZIP of 4 digits": (lambda s, t: corrupt_row(s, t, 100, ZIP="9410"), 100, "not 5 digits"),
    "empty name": (lambda s, t: corrupt_row(s, t, 300, Name=""), 300, "name is empty"),
    "missing column": (lambda s, t: drop_column(s, t, "Latitude"), 1, "missing these columns"),
    "non-UTF-8 byte": (lambda s, t: non_utf8_byte(s, t, 200), 200, "not UTF-8"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("corruption", CORRUPTIONS.values(), ids=CORRUPTIONS.keys())
def test_a_corrupted_copy_writes_nothing_and_names_the_line(samhsa_sample, tmp_path, corruption):
    make, line, words = corruption
    path = make(samhsa_sample, tmp_path)

    with pytest.raises(CommandError) as error:
        run_import(path)

    message = str(error.value)
    assert "nothing was written" in message
    assert {row.split(":")[0] for row in message.splitlines()[1:]} == {f"Line {line}"}
    assert words in message
    assert Program.objects.count() == Provider.objects.count() == Site.objects.count() == 0


@pytest.mark.django_db
def test_every_bad_row_is_reported(samhsa_sample, tmp_path):
    path = corrupt_row(samhsa_sample, tmp_path, 3, ZIP="ABCDE")
    path = corrupt_row(path, tmp_path, 250, Latitude="", Longitude="200")
    path = corrupt_row(path, tmp_path, 479, Name="")

    with pytest.raises(CommandError) as error:
        run_import(path, "--dry-run")

    lines = [row.split(":")[0] for row in str(error.value).splitlines()[1:]]
    assert lines == ["Line 3", "Line 250", "Line 250", "Line 479"]
    assert Program.objects.count() == 0


@pytest.mark.django_db
def test_a_bad_row_in_a_reimport_leaves_every_program_as_it_was(tmp_path):
    run_import(write_csv(tmp_path / "first.csv", [facility()]))
    rows = [facility(Website="https://harborlight.example.org"), facility(Name="Eastside", ZIP="")]

    with pytest.raises(CommandError, match="Line 3: ZIP code"):
        run_import(write_csv(tmp_path / "second.csv", rows))

    program = Program.objects.get()
    assert program.website == "https://harbor.example.org"
    assert program.history.count() == 1


@pytest.mark.django_db
def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run_import(tmp_path / "nowhere.csv")


def test_every_line_that_is_not_csv_is_reported_not_only_the_first():
    huge = "z" * 200_000  # past the CSV reader's field limit
    rows = [facility(), facility(Name=huge), facility(), facility(Website=huge), facility()]
    with pytest.raises(samhsa.InvalidFile) as invalid:
        samhsa.read(write_csv_bytes(rows))
    lines = [problem.line for problem in invalid.value.problems]
    assert lines == [3, 5]


@pytest.mark.django_db
def test_the_database_knows_the_new_rows_at_once(samhsa_sample):
    """Right after a bulk import the planner must not take the tables for empty (the search
    engine's read of the catalogue took minutes instead of a second)."""
    from django.db import connection

    run_import(samhsa_sample)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'programs_program'")
        else:
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'programs_program' LIMIT 1")
        (rows,) = cursor.fetchone()
    assert int(float(str(rows).split()[0])) == Program.objects.count() == 197
