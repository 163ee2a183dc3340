"""The catalogue's vocabularies as HSDS taxonomies: one taxonomy per vocabulary of
programs/vocabulary.py, its terms the vocabulary's slugs (the public search values), plus the
few facts HSDS has no field for (availability, a schedule track's shape, provenance).

Plain data and pure functions, no Django imports. Ids are UUIDs derived from the names
(hsds/ids.py), so they never change while a slug does not.
"""

from dataclasses import dataclass
from functools import cache

from hsds.ids import hsds_id
from programs import vocabulary


def _(text: str) -> str:
    return text


@dataclass(frozen=True)
class Taxonomy:
    name: str
    description: str
    terms: dict[str, str]  # slug -> label
    # The public search parameter its terms filter on (programs/parameters.py); None: a fact
    # the search does not filter on, so `taxonomy_term_id` refuses it.
    parameter: str | None = None

    @property
    def id(self) -> str:
        return _id("taxonomy", self.name)

    def term_id(self, slug: str) -> str:
        return _id("taxonomy_term", self.name, slug)


@cache
def _id(*parts: str) -> str:
    # A few hundred ids in all, written into every attribute of every service.
    return hsds_id(*parts)


def _labels(terms: dict) -> dict[str, str]:
    return {slug: vocabulary.label_of(entry) for slug, entry in terms.items()}


LEVEL_OF_CARE = "level_of_care"
FOCUS = "focus"
FORMAT = "format"
INTAKE_PROCESS = "intake_process"
PAYMENT = "payment"
INSURER = "insurer"
SERVICE = "service"
POPULATION = "population"
LANGUAGE = "language"
ACCREDITATION = "accreditation"
SEX_SERVED = "sex_served"
LICENSING = "licensing"
AVAILABILITY = "availability"
SCHEDULE_TRACK = "schedule_track"
PROVENANCE = "provenance"

TAXONOMIES = {
    taxonomy.name: taxonomy
    for taxonomy in [
        Taxonomy(
            LEVEL_OF_CARE,
            "Level of care (ASAM): partial hospitalization, intensive outpatient, standard "
            "outpatient, and the care above them.",
            _labels(vocabulary.LEVELS_OF_CARE),
            "level",
        ),
        Taxonomy(FOCUS, "What the program treats.", dict(vocabulary.FOCUS), "focus"),
        Taxonomy(FORMAT, "In person, telehealth or both.", dict(vocabulary.FORMATS), "format"),
        Taxonomy(
            INTAKE_PROCESS, "How a person starts the program.", dict(vocabulary.INTAKE_PROCESSES)
        ),
        Taxonomy(
            PAYMENT, "Payment the program accepts.", _labels(vocabulary.PAYMENT_KINDS), "payment"
        ),
        Taxonomy(
            INSURER,
            "Named private insurers the program takes.",
            dict(vocabulary.INSURERS),
            "insurer",
        ),
        Taxonomy(
            SERVICE,
            "Therapies, services and medications offered.",
            _labels(vocabulary.SERVICES),
            "service",
        ),
        Taxonomy(
            POPULATION, "Groups the program serves.", _labels(vocabulary.POPULATIONS), "population"
        ),
        Taxonomy(
            LANGUAGE,
            "Languages the program is delivered in.",
            _labels(vocabulary.LANGUAGES),
            "language",
        ),
        Taxonomy(
            ACCREDITATION,
            "Accrediting bodies.",
            _labels(vocabulary.ACCREDITATIONS),
            "accreditation",
        ),
        Taxonomy(
            SEX_SERVED,
            "Whom the facility accepts (SAMHSA's National Directory).",
            _labels(vocabulary.SEXES_SERVED),
        ),
        Taxonomy(
            LICENSING,
            "Who licenses or certifies the facility (SAMHSA's National Directory); "
            "licence_number: the program's licence number as the attribute's value.",
            {**_labels(vocabulary.LICENSING), "licence_number": _("Licence number")},
        ),
        Taxonomy(
            AVAILABILITY,
            "Whether the program takes new clients, its next intake and its wait, as of a day "
            "and from whom (the attribute's value). Given only while recent.",
            {
                "accepting_new_clients": _("Accepting new clients (yes or no)"),
                "next_intake": _("Next intake date (YYYY-MM-DD)"),
                "wait_days": _("Wait in days"),
                "as_of": _("Availability as of (YYYY-MM-DD)"),
                "source": _("Availability from: program, guide or curator"),
            },
        ),
        Taxonomy(
            SCHEDULE_TRACK,
            "A schedule track's shape where RRULE has no field for it (the attribute's value; "
            "ranges as 'min-max').",
            {
                "time_of_day": _("Time of day: morning, afternoon or evening"),
                "weekend": _("Meets on weekends (yes or no)"),
                "days_per_week": _("Days per week (min-max)"),
                "hours_per_day": _("Hours per day (min-max)"),
                "length_weeks": _("Length in weeks (min-max)"),
                "name": _("Track name"),
            },
        ),
        Taxonomy(
            PROVENANCE,
            "Where a service's facts came from; the attribute's value lists the facts "
            "(README, 'Open data: HSDS').",
            {
                "samhsa_directory": _(
                    "SAMHSA's National Directories of substance use and mental health "
                    "treatment facilities (public domain)"
                ),
                "curators": _("IOP Finder's curators"),
                "program": _("The program itself, in an update our curators accepted"),
                "guide": _("A recovery guide's call to the program"),
                "sample": _("Fictional sample listing: not a real program"),
            },
        ),
    ]
}

# The level of care when a search names none: every level (the public search leaves out the
# care above PHP unless asked; an open-data partner takes the whole catalogue).
ALL_LEVELS = tuple(vocabulary.LEVELS_OF_CARE)


@cache
def by_id() -> dict[str, Taxonomy]:
    return {taxonomy.id: taxonomy for taxonomy in TAXONOMIES.values()}


@cache
def term_by_id() -> dict[str, tuple[Taxonomy, str]]:
    """taxonomy_term id -> (taxonomy, slug)."""
    return {
        taxonomy.term_id(slug): (taxonomy, slug)
        for taxonomy in TAXONOMIES.values()
        for slug in taxonomy.terms
    }


def taxonomy_json(taxonomy: Taxonomy) -> dict:
    return {
        "id": taxonomy.id,
        "name": f"iopfinder:{taxonomy.name}",
        "description": taxonomy.description,
        "version": "1",
    }


def term_json(taxonomy: Taxonomy, slug: str, *, detail: bool = True) -> dict:
    term = {
        "id": taxonomy.term_id(slug),
        "code": slug,
        "name": taxonomy.terms[slug],
        "description": taxonomy.terms[slug],
        "taxonomy": f"iopfinder:{taxonomy.name}",
        "taxonomy_id": taxonomy.id,
        "language": "en",
    }
    if detail:
        term["taxonomy_detail"] = taxonomy_json(taxonomy)
    return term
