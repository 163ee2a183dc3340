"""Our catalogue as HSDS 3.0 records: provider -> organization, site -> location, program ->
service (one service_at_location each, as a program runs at one site). README "Open data:
HSDS" has this mapping as a table; hsds/loading.py reads it back (service_fields).

Pure functions over the model objects, no Django imports: the selectors fetch what they read
(the provider, the site, the tracks and the terms prefetched) and `hsds_modified`, the last
change to the program or anything it shows.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

from hsds import taxonomy as tx
from hsds.ids import hsds_id
from programs import meeting_times, phones, vocabulary

HSDS_VERSION = "3.0"
PROFILE_URL = "https://docs.openreferral.org/en/3.0/"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
CURRENCY = "USD"

# RRULE's two-letter days (RFC 5545), in programs/meeting_times.WEEKDAYS order.
BYDAY = dict(zip(meeting_times.WEEKDAYS, ("MO", "TU", "WE", "TH", "FR", "SA", "SU"), strict=True))
# ISO 639 codes of programs/vocabulary.LANGUAGES (none for a family of languages).
LANGUAGE_CODES = {
    "english": "en",
    "spanish": "es",
    "asl": "ase",
    "chinese": "zh",
    "tagalog": "tl",
    "vietnamese": "vi",
    "korean": "ko",
    "russian": "ru",
    "farsi": "fa",
    "arabic": "ar",
    "creole": "ht",
    "french": "fr",
    "german": "de",
    "greek": "el",
    "hebrew": "he",
    "hindi": "hi",
    "hmong": "hmn",
    "italian": "it",
    "japanese": "ja",
    "polish": "pl",
    "portuguese": "pt",
    "ojibwa": "oj",
    "yupik": "ypk",
}
# Payment kinds that are who pays for the service (HSDS funding); the rest are what a client
# pays (HSDS cost_options). Named insurers are funding too.
FUNDING_KINDS = (
    "medicaid",
    "medicare",
    "private_insurance",
    "military",
    "state_financed",
    "ihs_tribal",
)
# cost_options.amount_description of each cost column: the key hsds/loading.py reads back.
COST_AMOUNTS = {
    "cost_per_session_min": "per session, lowest",
    "cost_per_session_max": "per session, highest",
    "total_cost_min": "whole program, lowest",
    "total_cost_max": "whole program, highest",
}
# The program's own facts the search reads, as taxonomy terms (attributes).
TERM_FIELDS = {
    tx.PAYMENT: "payment_kinds",
    tx.INSURER: "insurers",
    tx.SERVICE: "services",
    tx.POPULATION: "populations",
    tx.LANGUAGE: "languages",
    tx.ACCREDITATION: "accreditations",
}
ORGANIZATION_DESCRIPTION = "Provider of addiction or mental health treatment listed in IOP Finder."
SOURCE_NAMES = {
    "samhsa_directory": "SAMHSA National Directories (import)",
    "curators": "IOP Finder curators",
    "program": "the program, accepted by IOP Finder curators",
    "guide": "a recovery guide's call to the program",
}


def _label(mapping: dict, slug: str) -> str:
    return vocabulary.label_of(mapping[slug])


def _present(record: dict) -> dict:
    """HSDS fields are typed without null: a fact we do not have is left out."""
    return {key: value for key, value in record.items() if value not in (None, "", [])}


def _number(value) -> int | float | None:
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _range(low, high) -> str | None:
    if low is None and high is None:
        return None
    return f"{_number(low) if low is not None else ''}-{_number(high) if high is not None else ''}"


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def timestamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _slugs(related) -> list[str]:
    return [term.slug for term in related.all()]


def service_id(program) -> str:
    return hsds_id("service", program.pk)


def organization_id(provider_pk: int) -> str:
    return hsds_id("organization", provider_pk)


def location_id(site_pk: int) -> str:
    return hsds_id("location", site_pk)


def service_at_location_id(program) -> str:
    return hsds_id("service_at_location", program.pk)


def _phone(written: str, owner: str, owner_id: str) -> list[dict]:
    if not written:
        return []
    shown = phones.phone(written)
    extension = shown.href.partition(";ext=")[2]
    number = written.split(" x")[0] if extension else written
    return [
        _present(
            {
                "id": hsds_id("phone", owner, owner_id),
                f"{owner}_id": owner_id,
                "number": number.strip(),
                "extension": int(extension) if extension else None,
                "type": "voice",
            }
        )
    ]


# --- organization and location ------------------------------------------------------------


def organization(provider) -> dict:
    """The one-to-one fields of a provider (the /organizations list and nested forms)."""
    org_id = organization_id(provider.pk)
    return _present(
        {
            "id": org_id,
            "name": provider.name,
            "description": ORGANIZATION_DESCRIPTION,
            "website": provider.website,
        }
    )


def organization_full(provider, *, sites, services) -> dict:
    """A provider with its phones, its sites with published programs, and its services."""
    org_id = organization_id(provider.pk)
    return _present(
        {
            **organization(provider),
            "phones": _phone(provider.phone, "organization", org_id),
            "locations": [location(site) for site in sites],
            "services": services,
        }
    )


def location_summary(site, provider=None) -> dict:
    """A site's one-to-one fields (a service_at_location list); its name falls back on its
    provider's (`provider`: the site's, when at hand)."""
    placed = (
        f"Placed at the centre of ZIP code {site.zip_code}: SAMHSA's directory gives no "
        "coordinates."
        if site.placed_at_zip
        else None
    )
    return _present(
        {
            "id": location_id(site.pk),
            "location_type": "physical",
            "organization_id": organization_id(site.provider_id),
            "name": site.name or (provider or site.provider).name,
            "description": placed,
            "latitude": site.latitude,
            "longitude": site.longitude,
        }
    )


def location(site, provider=None) -> dict:
    """A site with its address."""
    record = location_summary(site, provider)
    record["addresses"] = [
        {
            "id": hsds_id("address", site.pk),
            "location_id": record["id"],
            # Required by HSDS; empty when the listing does not publish its street.
            "address_1": site.address,
            "city": site.city,
            "state_province": site.state,
            "postal_code": site.zip_code,
            "country": "US",
            "address_type": "physical",
        }
    ]
    return record


# --- service ------------------------------------------------------------------------------


def _level_label(program) -> str:
    return _label(vocabulary.LEVELS_OF_CARE, program.level_of_care)


def default_description(program) -> str:
    """What a service without a description of its own says."""
    return (
        f"{_level_label(program)}: {vocabulary.FOCUS[program.focus]}. "
        f"{vocabulary.FORMATS[program.format]}."
    )


def _application_process(program) -> str | None:
    parts = []
    if program.intake_process:
        parts.append(vocabulary.INTAKE_PROCESSES[program.intake_process] + ".")
    if program.intake_notes:
        parts.append(program.intake_notes)
    return " ".join(parts) or None


def _money(low, high) -> str | None:
    if low is None:
        return None
    if high is None or high == low:
        return f"${_number(low)}"
    return f"${_number(low)}-${_number(high)}"


def fees_description(program) -> str:
    parts = []
    per_session = _money(program.cost_per_session_min, program.cost_per_session_max)
    total = _money(program.total_cost_min, program.total_cost_max)
    if per_session:
        parts.append(f"{per_session} per session.")
    if total:
        parts.append(f"{total} for the whole program.")
    if not parts:
        parts.append("Cost not yet verified.")
    if program.cost_notes:
        parts.append(program.cost_notes)
    return " ".join(parts)


def availability_alert(program, fresh: dict) -> str | None:
    """The program's availability in words, as of when and from whom: None when unknown or
    no longer recent (Program.availability)."""
    if fresh["as_of"] is None:
        return None
    parts = []
    if fresh["accepting_new_clients"] is True:
        parts.append("Accepting new clients.")
    elif fresh["accepting_new_clients"] is False:
        parts.append("Not accepting new clients.")
    if fresh["next_intake"]:
        parts.append(f"Next intake {fresh['next_intake'].isoformat()}.")
    if fresh["wait_days"] is not None:
        parts.append(f"Wait about {fresh['wait_days']} days.")
    if not parts:
        return None
    source = SOURCE_NAMES.get(
        {"curator": "curators"}.get(fresh["source"], fresh["source"]), "IOP Finder"
    )
    parts.append(f"As of {fresh['as_of'].isoformat()}, from {source}.")
    return " ".join(parts)


def _eligibility(program, populations: list[str]) -> str:
    parts = [f"{vocabulary.FOCUS[program.focus]}."]
    if populations:
        groups = ", ".join(_label(vocabulary.POPULATIONS, slug) for slug in populations)
        parts.append(f"Groups served: {groups}.")
    sexes = (program.directory_facts or {}).get("sex_served", [])
    if sexes:
        parts.append(
            "Accepts: " + ", ".join(_label(vocabulary.SEXES_SERVED, s) for s in sexes) + "."
        )
    return " ".join(parts)


def service_summary(program) -> dict:
    """A service's one-to-one fields and its organization (the /services list)."""
    fresh = program.availability()
    return _present(
        {
            "id": service_id(program),
            "organization_id": organization_id(program.provider_id),
            "name": program.name,
            "alternate_name": _level_label(program),
            "description": program.description or default_description(program),
            "url": program.website,
            "status": "active",
            "application_process": _application_process(program),
            "fees_description": fees_description(program),
            "assured_date": _day(program.last_verified_on),
            "alert": availability_alert(program, fresh),
            "last_modified": timestamp(
                getattr(program, "hsds_modified", None) or program.updated_at
            ),
            "organization": organization(program.provider),
        }
    )


def service_minimal(program) -> dict:
    """/services?minimal=true: what a partner needs to see what changed (the OpenAPI's id and
    modified date), with the name and status service_list.json requires."""
    return {
        "id": service_id(program),
        "name": program.name,
        "status": "active",
        "last_modified": timestamp(program.hsds_modified or program.updated_at),
    }


def _attribute(link_entity: str, link_id: str, taxonomy: str, slug: str, value=None) -> dict:
    chosen = tx.TAXONOMIES[taxonomy]
    return _present(
        {
            "id": hsds_id("attribute", link_entity, link_id, taxonomy, slug),
            "link_id": link_id,
            "link_type": taxonomy,
            "link_entity": link_entity,
            "taxonomy_term_id": chosen.term_id(slug),
            "value": None if value is None else str(value),
            "taxonomy_term": tx.term_json(chosen, slug, detail=False),
        }
    )


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def schedule(program, track, attending: str) -> dict:
    """A track: its weekdays and clock times as an RRULE (weekly, byday, opens_at, closes_at),
    the rest of its shape in words and as attributes."""
    sched_id = hsds_id("schedule", track.pk)
    weekdays = meeting_times.in_week_order(track.weekdays or [])
    time_of_day = meeting_times.time_of_day(track)
    shape = [
        f"{_range(track.days_per_week_min, track.days_per_week_max).replace('-', '–')} days a week",
        f"{_range(track.hours_per_day_min, track.hours_per_day_max).replace('-', '–')} hours a day",
    ]
    if track.length_weeks_min is not None or track.length_weeks_max is not None:
        weeks = _range(track.length_weeks_min, track.length_weeks_max)
        shape.append(f"{weeks.strip('-').replace('-', '–')} weeks")
    facts = {
        "name": track.name or None,
        "time_of_day": time_of_day or None,
        "weekend": _yes(meeting_times.on_weekend(track)),
        "days_per_week": _range(track.days_per_week_min, track.days_per_week_max),
        "hours_per_day": _range(track.hours_per_day_min, track.hours_per_day_max),
        "length_weeks": _range(track.length_weeks_min, track.length_weeks_max),
    }
    return _present(
        {
            "id": sched_id,
            "service_id": service_id(program),
            "freq": "WEEKLY" if weekdays else None,
            "wkst": "MO" if weekdays else None,
            "byday": ",".join(BYDAY[day] for day in weekdays),
            # Local time at the site: the listing gives no time zone.
            "opens_at": track.starts_at.strftime("%H:%M") if track.starts_at else None,
            "closes_at": track.ends_at.strftime("%H:%M") if track.ends_at else None,
            "description": ", ".join(
                [(track.name or (time_of_day or "").capitalize() or "Track"), *shape]
            ),
            "attending_type": attending,
            "attributes": [
                _attribute("schedule", sched_id, tx.SCHEDULE_TRACK, slug, value)
                for slug, value in facts.items()
                if value is not None
            ],
        }
    )


def _cost_options(program, payments: list[str]) -> list[dict]:
    sid = service_id(program)
    options = []
    for field, described in COST_AMOUNTS.items():
        amount = getattr(program, field)
        if amount is not None:
            options.append(
                {
                    "id": hsds_id("cost_option", program.pk, field),
                    "service_id": sid,
                    "option": "Before insurance or assistance",
                    "currency": CURRENCY,
                    "amount": _number(amount),
                    "amount_description": described,
                }
            )
    for slug in payments:
        if slug not in FUNDING_KINDS:
            options.append(
                _present(
                    {
                        "id": hsds_id("cost_option", program.pk, slug),
                        "service_id": sid,
                        "option": _label(vocabulary.PAYMENT_KINDS, slug),
                        "currency": CURRENCY if slug == "free" else None,
                        "amount": 0 if slug == "free" else None,
                    }
                )
            )
    return options


def _funding(program, payments: list[str], insurers: list[str]) -> list[dict]:
    sid = service_id(program)
    funding = [
        {
            "id": hsds_id("funding", program.pk, slug),
            "service_id": sid,
            "source": _label(vocabulary.PAYMENT_KINDS, slug),
        }
        for slug in payments
        if slug in FUNDING_KINDS
    ]
    funding += [
        {
            "id": hsds_id("funding", program.pk, "insurer", slug),
            "service_id": sid,
            "source": f"{vocabulary.INSURERS[slug]} (private insurance)",
        }
        for slug in insurers
    ]
    return funding


def provenance(program, terms: dict[str, list[str]]) -> dict[str, list[str]]:
    """Which of the service's facts came from where: SAMHSA's directory for what the last
    import wrote and nobody changed since (Program.imported_values), our curators or the
    program for the rest, as the last verification says; availability from whoever gave it."""
    checker = "program" if program.last_verified_source == "program" else "curators"
    sources: dict[str, list[str]] = {}
    imported = program.imported_values or {}
    if program.source == "samhsa":
        for name, value in imported.items():
            if name == "directories":
                continue
            current = terms[name] if name in terms else getattr(program, name, None)
            if isinstance(current, list):
                value = sorted(value or [])
                current = sorted(current)
            sources.setdefault("samhsa_directory" if current == value else checker, []).append(name)
        sources.setdefault("samhsa_directory", []).append("level_of_care")
    else:
        sources[checker] = ["listing"]
    if program.schedule_known:
        sources.setdefault(checker, []).append("schedule")
    if program.cost_known:
        sources.setdefault(checker, []).append("cost")
    if program.availability_source:
        source = {"curator": "curators"}.get(
            program.availability_source, program.availability_source
        )
        sources.setdefault(source, []).append("availability")
    if program.is_sample or program.source == "generated":
        sources["sample"] = ["listing"]
    return {source: list(dict.fromkeys(facts)) for source, facts in sources.items()}


def _metadata(program, sid: str, fresh: dict) -> list[dict]:
    created_by = (
        SOURCE_NAMES["samhsa_directory"] if program.source == "samhsa" else SOURCE_NAMES["curators"]
    )
    records = [("create", program.created_at.date(), "", created_by)]
    if program.last_verified_on:
        by = SOURCE_NAMES["program" if program.last_verified_source == "program" else "curators"]
        records.append(("verify", program.last_verified_on, "assured_date", by))
    if fresh["as_of"]:
        source = {"curator": "curators"}.get(fresh["source"], fresh["source"])
        records.append(("update", fresh["as_of"], "alert", SOURCE_NAMES.get(source, source)))
    return [
        {
            "id": hsds_id("metadata", program.pk, action, field),
            "resource_id": sid,
            "resource_type": "service",
            "last_action_date": day.isoformat(),
            "last_action_type": action,
            "field_name": field,
            "previous_value": "",
            "replacement_value": "",
            "updated_by": updated_by,
        }
        for action, day, field, updated_by in records
    ]


def service(program) -> dict:
    """Everything a published program's page shows, as one fully nested HSDS service."""
    sid = service_id(program)
    fresh = program.availability()
    terms = {field: _slugs(getattr(program, field)) for field in TERM_FIELDS.values()}
    facts = program.directory_facts or {}
    attending = vocabulary.FORMATS[program.format]
    attributes = [
        _attribute("service", sid, tx.LEVEL_OF_CARE, program.level_of_care),
        _attribute("service", sid, tx.FOCUS, program.focus),
        _attribute("service", sid, tx.FORMAT, program.format),
    ]
    if program.intake_process:
        attributes.append(_attribute("service", sid, tx.INTAKE_PROCESS, program.intake_process))
    for taxonomy, field in TERM_FIELDS.items():
        attributes += [_attribute("service", sid, taxonomy, slug) for slug in terms[field]]
    for name, taxonomy in ((tx.SEX_SERVED, tx.SEX_SERVED), ("licensing", tx.LICENSING)):
        attributes += [_attribute("service", sid, taxonomy, slug) for slug in facts.get(name, [])]
    if program.license_number:
        attributes.append(
            _attribute("service", sid, tx.LICENSING, "licence_number", program.license_number)
        )
    if fresh["as_of"]:
        availability = {
            "accepting_new_clients": None
            if fresh["accepting_new_clients"] is None
            else _yes(fresh["accepting_new_clients"]),
            "next_intake": _day(fresh["next_intake"]),
            "wait_days": fresh["wait_days"],
            "as_of": _day(fresh["as_of"]),
            "source": fresh["source"],
        }
        attributes += [
            _attribute("service", sid, tx.AVAILABILITY, slug, value)
            for slug, value in availability.items()
            if value not in (None, "")
        ]
    attributes += [
        _attribute("service", sid, tx.PROVENANCE, source, ", ".join(facts_from))
        for source, facts_from in provenance(program, terms).items()
    ]
    service_areas = []
    if program.format in ("telehealth", "both"):
        service_areas.append(
            {
                "id": hsds_id("service_area", program.pk),
                "service_id": sid,
                "name": program.site.state,
                "description": f"Telehealth for people in {program.site.state}.",
            }
        )
    required_documents = []
    if program.intake_process == "referral":
        required_documents.append(
            {
                "id": hsds_id("required_document", program.pk, "referral"),
                "service_id": sid,
                "document": "A referral: this program takes new clients by referral.",
            }
        )
    accreditations = ", ".join(
        _label(vocabulary.ACCREDITATIONS, slug) for slug in terms["accreditations"]
    )
    return _present(
        {
            **service_summary(program),
            "accreditations": accreditations,
            "eligibility_description": _eligibility(program, terms["populations"]),
            "phones": _phone(program.phone, "service", sid),
            "schedules": [schedule(program, track, attending) for track in program.tracks.all()],
            "service_areas": service_areas,
            "service_at_locations": [service_at_location(program)],
            "languages": [
                _present(
                    {
                        "id": hsds_id("language", program.pk, slug),
                        "service_id": sid,
                        "name": _label(vocabulary.LANGUAGES, slug),
                        "code": LANGUAGE_CODES.get(slug),
                    }
                )
                for slug in terms["languages"]
            ],
            "funding": _funding(program, terms["payment_kinds"], terms["insurers"]),
            "cost_options": _cost_options(program, terms["payment_kinds"]),
            "required_documents": required_documents,
            "attributes": attributes,
            "metadata": _metadata(program, sid, fresh),
        }
    )


def _at_location(program) -> dict:
    return {
        "id": service_at_location_id(program),
        "service_id": service_id(program),
        "location_id": location_id(program.site_id),
    }


def service_at_location(program) -> dict:
    """As a full service nests it: the location with its address."""
    return {**_at_location(program), "location": location(program.site, program.provider)}


def service_at_location_summary(program) -> dict:
    """The /service_at_locations list form (service_at_location_list.json): the location's
    and the service's one-to-one fields."""
    return {
        **_at_location(program),
        "location": location_summary(program.site, program.provider),
        "service": service_summary(program),
    }


def service_at_location_full(program) -> dict:
    """/service_at_locations?full=true (service_at_location.json): the service whole."""
    return {**service_at_location(program), "service": service(program)}
