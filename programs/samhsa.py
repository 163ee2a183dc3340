"""Reading the SAMHSA locator export: validate the whole file, turn each facility into plain facts.

No Django imports: the name mapping is the table in programs/vocabulary.py (from
../shared/domain.md, "SAMHSA vocabulary") and these are pure functions over it.
File format: ../shared/data/README.md. Line numbers are the ones a text editor
shows (the header is line 1), so an operator can open the file and fix it.
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from functools import cached_property

from programs import levels, vocabulary
from programs.vocabulary import _

COLUMNS = (
    "Name",
    "City",
    "State",
    "ZIP",
    "Phone",
    "Address",
    "Website",
    "Latitude",
    "Longitude",
    "Residential Services",
    "All Services",
)
SERVICE_SEPARATOR = ";"

# Program field -> {SAMHSA name: our slug}.
LEVEL_BY_NAME = vocabulary.samhsa_index(vocabulary.LEVELS_OF_CARE)
SLUG_BY_NAME = {
    "payment_kinds": vocabulary.samhsa_index(vocabulary.PAYMENT_KINDS),
    "services": vocabulary.samhsa_index(vocabulary.SERVICES),
    "populations": vocabulary.samhsa_index(vocabulary.POPULATIONS),
    "languages": vocabulary.samhsa_index(vocabulary.LANGUAGES),
    "accreditations": vocabulary.samhsa_index(vocabulary.ACCREDITATIONS),
}

# Longest values the catalogue stores (programs/models.py).
MAX_LENGTH = {"Name": 200, "Address": 200, "City": 100, "Phone": 40, "Website": 300}
DECIMAL = re.compile(r"[-+]?\d+(\.\d+)?")
ZIP_CODE = re.compile(r"\d{5}")
STATE = re.compile(r"[A-Z]{2}")
WEB_ADDRESS = re.compile(r"https?://\S+", re.IGNORECASE)
# The locator writes a bare scheme when a facility has no website.
NO_WEBSITE = {"http://", "https://"}
# C0 control characters but tab, line feed and carriage return: no listing holds one, and
# PostgreSQL refuses NUL in text. Each named by its abbreviation in the Unicode standard.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CONTROL_NAMES = (
    "NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI "
    "DLE DC1 DC2 DC3 DC4 NAK SYN ETB CAN EM SUB ESC FS GS RS US"
).split()


@dataclass(frozen=True)
class Problem:
    """Something wrong on one line; message is marked for translation, formatted with params."""

    line: int
    message: str
    params: dict = field(default_factory=dict)
    file: str = ""  # which of several files given


class InvalidFile(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the SAMHSA file")
        self.problems = sorted(problems, key=lambda problem: (problem.file, problem.line))


@dataclass
class Facility:
    """One facility of the locator; rows with the same facility_key are merged into one."""

    line: int
    name: str
    address: str
    city: str
    state: str
    zip_code: str
    phone: str
    website: str
    latitude: float
    longitude: float
    service_names: set[str]
    # Read from SAMHSA's own files (programs/samhsa_files.py): the levels their setting codes
    # give, the directories listing the facility, whether it is placed at its ZIP code's
    # centre, its key and its second name. None: worked out from the service names here.
    levels: set[str] | None = None
    directories: set[str] = field(default_factory=set)
    placed_at_zip: bool = False
    key: str | None = None
    site_name: str = ""

    @cached_property
    def facility_key(self) -> str:
        return self.key or facility_key(
            name=self.name,
            zip_code=self.zip_code,
            latitude=self.latitude,
            longitude=self.longitude,
        )

    @property
    def levels_of_care(self) -> list[str]:
        if self.levels is not None:
            listed = (*levels.LEVEL_ORDER, *levels.MORE_CARE)
            return [level for level in listed if level in self.levels]
        return levels_of_care(self.service_names)

    def external_key(self, level_of_care: str) -> str:
        return f"{self.facility_key}:{level_of_care}"

    def program_fields(self) -> dict[str, str]:
        """The program's own facts, the same for every level the facility offers."""
        return {
            "directory_facts": {
                name: slugs_of(self.service_names, vocabulary.samhsa_index(terms))
                for name, terms in vocabulary.DIRECTORY_FACTS.items()
            },
            "name": self.name,
            "focus": focus_of(self.service_names),
            "format": format_of(self.service_names),
            "phone": self.phone,
            "website": self.website,
        }

    def program_vocabulary(self) -> dict[str, list[str]]:
        """Program many-to-many field -> sorted slugs."""
        return {name: slugs_of(self.service_names, index) for name, index in SLUG_BY_NAME.items()}


@dataclass
class ParsedFile:
    rows: int
    facilities: list[Facility]
    duplicates: int

    @property
    def skipped(self) -> list[Facility]:
        """Facilities offering none of the levels the catalogue lists."""
        return [facility for facility in self.facilities if not facility.levels_of_care]


def levels_of_care(service_names) -> list[str]:
    found = {LEVEL_BY_NAME[name] for name in service_names if name in LEVEL_BY_NAME}
    return [level for level in levels.LEVEL_ORDER if level in found]


def focus_of(service_names) -> str:
    if not vocabulary.SAMHSA_CO_OCCURRING.isdisjoint(service_names):
        return "co_occurring"
    if vocabulary.SAMHSA_SUBSTANCE_USE in service_names:
        return "substance_use"
    return "mental_health"


def format_of(service_names) -> str:
    # The locator flags telehealth as an extra service: such a facility also sees people in person.
    return "both" if vocabulary.SAMHSA_TELEHEALTH in service_names else "in_person"


def slugs_of(service_names, index: dict[str, str]) -> list[str]:
    return sorted({index[name] for name in service_names if name in index})


def split_services(text: str) -> set[str]:
    return {name.strip() for name in text.split(SERVICE_SEPARATOR) if name.strip()}


def facility_key(*, name, zip_code, latitude, longitude) -> str:
    """Stable across re-exports: case, spacing and float noise do not change it. The phone is
    left out: one facility appears on several rows with different phones (data/README.md),
    and a new phone number in a later export must update the listing, not add another."""
    normalized = "|".join(
        [
            " ".join(name.split()).casefold(),
            zip_code,
            f"{latitude:.5f}",
            f"{longitude:.5f}",
        ]
    )
    return hashlib.sha1(normalized.encode()).hexdigest()[:16]


def read(data: bytes) -> ParsedFile:
    """Validate the whole file and merge duplicate facilities; InvalidFile lists every problem."""
    problems = encoding_problems(data)
    text = data.decode("utf-8-sig", errors="replace")
    records = _records(text, problems)
    header_line, header = next(records, (1, None))
    if header is None:
        raise InvalidFile([*problems, Problem(1, _("The file is empty."))])
    header = [column.strip() for column in header]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        message = _("The header is missing these columns: %(columns)s.")
        raise InvalidFile(
            [*problems, Problem(header_line, message, {"columns": ", ".join(missing)})]
        )

    facilities: dict[str, Facility] = {}
    rows = duplicates = 0
    for line, values in records:
        rows += 1
        row_problems = []
        facility = parse_row(line, header, values, row_problems)
        problems.extend(row_problems)
        if facility is None:
            continue
        duplicates += add(facilities, facility)
    if problems:
        raise InvalidFile(problems)
    return ParsedFile(rows=rows, facilities=list(facilities.values()), duplicates=duplicates)


def add(facilities: dict[str, Facility], facility: Facility) -> bool:
    """Add a facility to those read, or merge it into the one with its key (one facility,
    one listing); True when merged."""
    first = facilities.get(facility.facility_key)
    if first is None:
        facilities[facility.facility_key] = facility
        return False
    first.service_names |= facility.service_names
    if first.levels is not None or facility.levels is not None:
        first.levels = (first.levels or set()) | (facility.levels or set())
    first.directories |= facility.directories
    first.website = first.website or facility.website
    first.phone = first.phone or facility.phone
    return True


def control_character_problems(line: int, cells) -> list[Problem]:
    """One problem for each (column, value) of a row whose value holds a control character.
    Read before spaces are stripped: Python strips some control characters as spaces."""
    problems = []
    for column, value in cells:
        found = CONTROL_CHARACTER.search(value)
        if found:
            problems.append(
                Problem(
                    line,
                    _("%(column)s contains a control character (%(character)s)."),
                    {"column": column, "character": CONTROL_NAMES[ord(found.group())]},
                )
            )
    return problems


def encoding_problems(data: bytes) -> list[Problem]:
    problems = []
    for number, raw_line in enumerate(data.split(b"\n"), start=1):
        try:
            raw_line.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(
                Problem(
                    number,
                    _("Byte 0x%(byte)s at position %(column)s is not UTF-8; save it as UTF-8."),
                    {"byte": f"{raw_line[error.start]:02X}", "column": error.start + 1},
                )
            )
    return problems


def _records(text: str, problems: list[Problem]):
    """(first line, values) for each non-blank CSV record; a quoted field may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""))
    last_line = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            problems.append(
                Problem(
                    last_line + 1,
                    _("This line cannot be read as CSV: %(error)s"),
                    {"error": str(error)},
                )
            )
            # Read on from the next record, so every bad line is reported at once.
            last_line = reader.line_num
            continue
        first_line, last_line = last_line + 1, reader.line_num
        if values:
            yield first_line, values


def parse_row(line: int, header: list[str], values: list[str], problems: list) -> Facility | None:
    """The facility on one record, or None after adding what is wrong with it to problems."""
    if len(values) != len(header):
        message = _("This row has %(found)s fields; the header has %(expected)s.")
        problems.append(Problem(line, message, {"found": len(values), "expected": len(header)}))
        return None
    problems.extend(control_character_problems(line, zip(header, values, strict=True)))
    row = {column: value.strip() for column, value in zip(header, values, strict=True)}
    if row["Website"].casefold() in NO_WEBSITE:
        row["Website"] = ""

    def problem(message, **params):
        problems.append(Problem(line, message, params))

    if not row["Name"]:
        problem(_("The facility name is empty."))
    if not row["City"]:
        problem(_("The city is empty."))
    for column, limit in MAX_LENGTH.items():
        if len(row[column]) > limit:
            problem(
                _("%(column)s is longer than %(limit)s characters."), column=column, limit=limit
            )
    if not STATE.fullmatch(row["State"]):
        problem(_("State “%(value)s” is not a 2-letter code like CA."), value=row["State"])
    if not ZIP_CODE.fullmatch(row["ZIP"]):
        problem(_("ZIP code “%(value)s” is not 5 digits."), value=row["ZIP"])
    if row["Website"] and not WEB_ADDRESS.fullmatch(row["Website"]):
        problem(
            _("Website “%(value)s” does not start with http:// or https://."),
            value=row["Website"],
        )
    latitude = coordinate(row, "Latitude", 90, problem)
    longitude = coordinate(row, "Longitude", 180, problem)
    if problems:
        return None
    return Facility(
        line=line,
        name=row["Name"],
        address=row["Address"],
        city=row["City"],
        state=row["State"],
        zip_code=row["ZIP"],
        phone=row["Phone"],
        website=row["Website"],
        latitude=latitude,
        longitude=longitude,
        service_names=split_services(row["All Services"]),
    )


def coordinate(row, column, limit, problem) -> float | None:
    value = row[column]
    if not value:
        problem(_("%(column)s is empty."), column=column)
        return None
    if not DECIMAL.fullmatch(value):
        problem(_("%(column)s “%(value)s” is not a number."), column=column, value=value)
        return None
    number = float(value)
    if not -limit <= number <= limit:
        problem(
            _("%(column)s %(value)s is outside -%(limit)s to %(limit)s."),
            column=column,
            value=value,
            limit=limit,
        )
        return None
    return number
