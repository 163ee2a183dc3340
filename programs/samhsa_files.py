"""Reading SAMHSA's own files: the National Directory workbooks and the locator's Download CSV.

Each file is told apart by what it holds, not its name: an .xlsx workbook with a
"Facilities List" and a "Service Code Reference" sheet (the National Directory), a CSV whose
header starts `name1, name2, street1` and ends in one column per service code (the
locator's "Download CSV"), or the flattened locator export programs/samhsa.py reads.

Codes mean what the file's own "Service Code Reference" sheet says; the Download CSV has
none, so its codes mean what the shipped 2023 directories' sheets say
(data/samhsa/service-codes.csv). The meanings become our vocabulary through the names in
programs/vocabulary.py, like the flattened export's. Levels of care come from the setting
codes, which differ between the two surveys (SETTING_LEVELS).

One facility, one listing: rows are merged on the facility's name, street and ZIP code
(SAMHSA_KEY), across files and within one (the same address twice, told apart by `Name2`).

National Directory rows have no coordinates: a facility is placed at its ZIP code's centre
(`placed_at_zip`), and every distance to it says so. Addresses SAMHSA keeps confidential
(`- - -`) are left empty. No Django imports.
"""

import csv
import dataclasses
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import ParseError

from programs import places, samhsa
from programs.samhsa import Facility, InvalidFile, ParsedFile, Problem
from programs.vocabulary import _

SUBSTANCE_USE, MENTAL_HEALTH = "substance_use", "mental_health"
# Setting codes -> level of care, for each survey (the mental-health survey has no IOP code,
# and its OP is outpatient care; the substance-use survey's OP is any outpatient care).
SETTING_LEVELS = {
    SUBSTANCE_USE: {
        "OIT": "iop",
        "ODT": "php",
        "ORT": "outpatient",
        # Care above PHP, listed but searched only when asked for (levels.MORE_CARE).
        "RES": "residential",
        "RS": "residential",
        "RL": "residential",
        "HI": "inpatient",
        "HIT": "inpatient",
        "RD": "detox",
        "HID": "detox",
        "OD": "detox",
    },
    MENTAL_HEALTH: {"PHDT": "php", "OP": "outpatient", "RES": "residential", "HI": "inpatient"},
}
FACILITIES_SHEET, REFERENCE_SHEET = "Facilities List", "Service Code Reference"
DIRECTORY_COLUMNS = ("name1", "name2", "street1", "street2", "city", "state", "zip", "phone")
DOWNLOAD_COLUMNS = (*DIRECTORY_COLUMNS[:7], "zip4", "county", "phone")
CONFIDENTIAL = "- - -"
SHIPPED_CODES = Path(__file__).resolve().parent.parent / "data" / "samhsa" / "service-codes.csv"
XLSX_MAGIC = b"PK\x03\x04"
KEY_PREFIX = "nd-"  # keys of facilities read from SAMHSA's own files (samhsa_key)


@dataclass(frozen=True)
class Source:
    """One file given to the import."""

    name: str
    data: bytes


def read_files(sources: list[Source], *, on_row=None) -> ParsedFile:
    """Every facility in these files, merged into one listing each; InvalidFile lists every
    problem of every file (each problem's message names its file)."""
    facilities: dict[str, Facility] = {}
    problems: list[Problem] = []
    rows = duplicates = 0
    for source in sources:
        try:
            parsed = _read_one(source, on_row)
        except InvalidFile as invalid:
            problems += [_in_file(source, problem) for problem in invalid.problems]
            continue
        rows += parsed.rows
        duplicates += parsed.duplicates
        for facility in parsed.facilities:
            duplicates += samhsa.add(facilities, facility)
    if problems:
        raise InvalidFile(problems)
    return ParsedFile(rows=rows, facilities=list(facilities.values()), duplicates=duplicates)


def _in_file(source: Source, problem: Problem) -> Problem:
    return dataclasses.replace(problem, file=source.name)


def _read_one(source: Source, on_row) -> ParsedFile:
    if source.data.startswith(XLSX_MAGIC):
        return read_workbook(source.data, on_row=on_row)
    first_line = source.data[:4096].decode("utf-8-sig", errors="replace").splitlines()[:1]
    header = [column.strip() for column in next(csv.reader(first_line), [])] if first_line else []
    if tuple(column.lower() for column in header[: len(DOWNLOAD_COLUMNS)]) == DOWNLOAD_COLUMNS:
        return read_download_csv(source.data, on_row=on_row)
    if set(samhsa.COLUMNS) & set(header):  # the flattened export (it names what is missing)
        return samhsa.read(source.data)
    raise InvalidFile(
        [
            Problem(
                1,
                _(
                    "This is not a file SAMHSA publishes that this import reads: expected a "
                    "National Directory workbook (.xlsx), the locator's Download CSV or the "
                    "flattened locator export."
                ),
            )
        ]
    )


def samhsa_key(name: str, street: str, zip_code: str) -> str:
    """SAMHSA_KEY: the facility's name, street and ZIP code, ignoring case and spacing. Stable
    from one year's directory to the next and the same in both of SAMHSA's formats."""
    normalized = "|".join(" ".join(part.split()).casefold() for part in (name, street, zip_code))
    return KEY_PREFIX + hashlib.sha1(normalized.encode()).hexdigest()[:16]


def levels_of(codes: set[str], directory: str) -> set[str]:
    return {SETTING_LEVELS[directory][code] for code in codes if code in SETTING_LEVELS[directory]}


# --- The National Directory workbook ------------------------------------------------------


def read_workbook(data: bytes, *, on_row=None) -> ParsedFile:
    """A National Directory workbook: its "Facilities List", its codes read through its own
    "Service Code Reference". Line numbers are the sheet's row numbers."""
    import openpyxl  # only imports of workbooks need it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise InvalidFile(
            [Problem(1, _("The workbook cannot be opened: %(error)s"), {"error": str(error)})]
        ) from error
    try:
        missing = [s for s in (FACILITIES_SHEET, REFERENCE_SHEET) if s not in workbook.sheetnames]
        if missing:
            raise InvalidFile(
                [
                    Problem(
                        1,
                        _("The workbook has no sheet named %(sheets)s."),
                        {"sheets": ", ".join(missing)},
                    )
                ]
            )
        meanings = _reference(workbook[REFERENCE_SHEET].iter_rows(values_only=True))
        directory = SUBSTANCE_USE if "OIT" in meanings else MENTAL_HEALTH
        rows = _sheet_rows(workbook[FACILITIES_SHEET].iter_rows(values_only=True))
        return _read_rows(
            rows,
            lambda row: [c for c in (row.get("service_code_info") or "").split() if c != "*"],
            meanings,
            directory=lambda row: directory,
            required=(*DIRECTORY_COLUMNS, "service_code_info"),
            on_row=on_row,
        )
    finally:
        workbook.close()


def _sheet_rows(rows):
    """The sheet's rows with text as Excel means it: Excel writes a control character in a
    cell as _xHHHH_ (_x0000_ for NUL), which the check of every row then finds. A sheet
    holding a raw one is not XML at all: the rows end there, in a problem."""
    from openpyxl.utils.escape import unescape

    read = 0
    try:
        for row in rows:
            yield tuple(unescape(cell) if isinstance(cell, str) else cell for cell in row)
            read += 1
    except ParseError as error:
        raise InvalidFile(
            [
                Problem(
                    read + 1,
                    _("The sheet cannot be read from about this row on: %(error)s"),
                    {"error": str(error)},
                )
            ]
        ) from error


def _reference(rows) -> dict[str, str]:
    """Code -> its name, from a "Service Code Reference" sheet (or the shipped copy)."""
    header = [str(cell or "").strip().lower() for cell in next(rows, ())]
    if "service_code" not in header or "service_name" not in header:
        raise InvalidFile(
            [Problem(1, _("The Service Code Reference sheet has no service_code column."))]
        )
    code, name = header.index("service_code"), header.index("service_name")
    return {
        str(row[code]).strip().upper(): " ".join(str(row[name]).split())
        for row in rows
        if row[code]
    }


# --- The locator's Download CSV ------------------------------------------------------------


def shipped_meanings() -> dict[str, str]:
    with SHIPPED_CODES.open(encoding="utf-8", newline="") as file:
        return _reference(iter(csv.reader(file)))


def read_download_csv(data: bytes, *, on_row=None) -> ParsedFile:
    """The locator's Download CSV: one column per service code holding 1 or nothing, its
    own coordinates, and `type_facility` (SA or MH) naming the survey."""
    problems = samhsa.encoding_problems(data)
    if problems:
        raise InvalidFile(problems)
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    meanings = shipped_meanings()
    header = [column.strip().lower() for column in next(rows, [])]
    fixed = set(DOWNLOAD_COLUMNS) | {"intake_prompt", "intake1", "intake2", "website"}
    fixed |= {"latitude", "longitude", "type_facility"}
    codes = [(place, column.upper()) for place, column in enumerate(header) if column not in fixed]

    def row_codes(values: dict) -> list[str]:
        return [code for place, code in codes if values["_cells"][place] == "1"]

    parsed = _read_rows(
        (header, *rows),
        row_codes,
        meanings,
        directory=lambda row: MENTAL_HEALTH if row.get("type_facility") == "MH" else SUBSTANCE_USE,
        required=(*DOWNLOAD_COLUMNS, "latitude", "longitude", "type_facility"),
        on_row=on_row,
        width=len(header),
    )
    # A download is one search's results, not a whole directory: what it lacks is not gone.
    for facility in parsed.facilities:
        facility.directories = set()
    return parsed


# --- Rows of either format -----------------------------------------------------------------


def _read_rows(rows, codes_of, meanings, *, directory, required, on_row, width=None) -> ParsedFile:
    """width: the number of cells every row must have (a CSV's header's), or None."""
    rows = iter(rows)
    header = [str(cell or "").strip().lower() for cell in next(rows, ())]
    missing = [column for column in required if column not in header]
    if missing:
        raise InvalidFile(
            [
                Problem(
                    1,
                    _("The header is missing these columns: %(columns)s."),
                    {"columns": ", ".join(missing)},
                )
            ]
        )
    facilities: dict[str, Facility] = {}
    problems: list[Problem] = []
    count = duplicates = 0
    for line, cells in enumerate(rows, start=2):
        if not any(cells):
            continue
        count += 1
        if width is not None and len(cells) != width:
            problems.append(
                Problem(
                    line,
                    _("This row has %(found)s fields; the header has %(expected)s."),
                    {"found": len(cells), "expected": width},
                )
            )
            continue
        texts = ["" if cell is None else str(cell) for cell in cells]
        unreadable = samhsa.control_character_problems(line, zip(header, texts, strict=False))
        if unreadable:
            problems += unreadable
            continue
        row = {column: text.strip() for column, text in zip(header, texts, strict=False)}
        row["_cells"] = [text.strip() for text in texts]
        facility = _facility(line, row, codes_of(row), meanings, directory(row), problems)
        if on_row:
            on_row()
        if facility is not None:
            duplicates += samhsa.add(facilities, facility)
    if problems:
        raise InvalidFile(problems)
    return ParsedFile(rows=count, facilities=list(facilities.values()), duplicates=duplicates)


def _facility(line, row, codes, meanings, directory, problems) -> Facility | None:
    def problem(message, **params):
        problems.append(Problem(line, message, params))

    before = len(problems)
    if not row["name1"]:
        problem(_("The facility name is empty."))
    if not row["city"]:
        problem(_("The city is empty."))
    if not samhsa.STATE.fullmatch(row["state"]):
        problem(_("State “%(value)s” is not a 2-letter code like CA."), value=row["state"])
    zip_code = row["zip"][:5]
    if not samhsa.ZIP_CODE.fullmatch(zip_code):
        problem(_("ZIP code “%(value)s” is not 5 digits."), value=row["zip"])
    unknown = sorted({code for code in codes if code not in meanings})
    if unknown:
        problem(
            _("These service codes are not in the code reference: %(codes)s."),
            codes=", ".join(unknown),
        )
    latitude = longitude = None
    placed_at_zip = False
    if row.get("latitude") or row.get("longitude"):  # the locator's own coordinates
        coordinates = {"Latitude": row.get("latitude", ""), "Longitude": row.get("longitude", "")}
        latitude = samhsa.coordinate(coordinates, "Latitude", 90, problem)
        longitude = samhsa.coordinate(coordinates, "Longitude", 180, problem)
    elif samhsa.ZIP_CODE.fullmatch(zip_code):
        place = places.place_of_zip(zip_code)
        if place is not None:
            latitude, longitude, placed_at_zip = place.latitude, place.longitude, True
    name = " ".join(row["name1"].split())
    for column, value in (("Name", name), ("City", row["city"]), ("Phone", row["phone"])):
        limit = samhsa.MAX_LENGTH[column]
        if len(value) > limit:
            problem(
                _("%(column)s is longer than %(limit)s characters."), column=column, limit=limit
            )
    if len(problems) > before:
        return None
    street = "" if row["street1"] == CONFIDENTIAL else row["street1"]
    address = ", ".join(part for part in (street, row.get("street2", "")) if part)
    if address == CONFIDENTIAL:
        address = ""
    website = row.get("website", "")
    if website.casefold() in samhsa.NO_WEBSITE or not samhsa.WEB_ADDRESS.fullmatch(website):
        website = ""
    return Facility(
        line=line,
        name=name,
        address=address[: samhsa.MAX_LENGTH["Address"]],
        city=row["city"],
        state=row["state"],
        zip_code=zip_code,
        phone=row["phone"] or row.get("intake1", ""),
        website=website,
        latitude=latitude,
        longitude=longitude,
        service_names={meanings[code] for code in codes},
        levels=levels_of(set(codes), directory),
        directories={directory},
        placed_at_zip=placed_at_zip,
        # A confidential address tells no two facilities of one name in one ZIP apart: the
        # phone number does.
        key=samhsa_key(name, street or "confidential " + row["phone"], zip_code),
        site_name=row.get("name2", ""),
    )
