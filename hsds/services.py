"""Writes: a published catalogue in HSDS's tabular form (hsds/tabular.py) loaded into this
database, reading back what hsds/mapping.py writes (`manage.py load_hsds ZIP`). Each service
becomes a published program keyed on its HSDS id (external_key "hsds:<id>"), and its
organization and location are the provider and site of the programs loaded before from the
same services, so loading the same file again updates rather than duplicates."""

from collections import defaultdict
from datetime import date, time
from decimal import Decimal

from django.db import transaction

from hsds import mapping
from hsds import taxonomy as tx
from programs import services as program_services
from programs.models import Program, Provider, ScheduleTrack, Site, VerificationSource

DAYS = {code: day for day, code in mapping.BYDAY.items()}
TERM_MODELS = {
    field: Program._meta.get_field(field).related_model for field in mapping.TERM_FIELDS.values()
}


def _by(rows, key):
    grouped = defaultdict(list)
    for row in rows:
        grouped[row.get(key)].append(row)
    return grouped


def _bounds(text: str | None, kind=int):
    if not text:
        return None, None
    low, _dash, high = text.partition("-")
    return (kind(low) if low else None), (kind(high) if high else None)


def _facts(attributes: list[dict], terms: dict) -> dict[str, list]:
    """{taxonomy name: [(slug, value)]} of one record's attributes."""
    facts = defaultdict(list)
    for attribute in attributes:
        taxonomy, slug = terms[attribute["taxonomy_term_id"]]
        facts[taxonomy.name].append((slug, attribute.get("value")))
    return facts


def _stripped(text: str | None, prefix: str) -> str:
    text = text or ""
    return text[len(prefix) :].strip() if text.startswith(prefix) else text


@transaction.atomic
def load_catalogue(*, tables: dict[str, list[dict]]) -> int:
    """Write every service of the tables as a published program; returns how many."""
    terms = tx.term_by_id()
    attributes = _by(tables.get("attribute", []), "link_id")
    organizations = {row["id"]: row for row in tables.get("organization", [])}
    locations = {row["id"]: row for row in tables.get("location", [])}
    addresses = _by(tables.get("address", []), "location_id")
    phones = {
        row.get("service_id") or row.get("organization_id"): row for row in tables.get("phone", [])
    }
    at_locations = _by(tables.get("service_at_location", []), "service_id")
    schedules = _by(tables.get("schedule", []), "service_id")
    cost_options = _by(tables.get("cost_option", []), "service_id")
    metadata = _by(tables.get("metadata", []), "resource_id")
    services = tables.get("service", [])
    earlier = {
        program.external_key: program
        for program in Program.objects.filter(
            source=Program.Source.MANUAL, external_key__in=[_key(row) for row in services]
        ).select_related("provider", "site")
    }
    # Organizations and locations by HSDS id: first those an earlier load made.
    providers, sites, count = {}, {}, 0
    for row in services:
        if (program := earlier.get(_key(row))) is not None:
            providers[row["organization_id"]] = program.provider
            sites[at_locations[row["id"]][0]["location_id"]] = program.site

    def phone_of(owner_id):
        row = phones.get(owner_id)
        if not row:
            return ""
        extension = row.get("extension")
        return row["number"] + (f" x{extension}" if extension else "")

    written_providers, written_sites = set(), set()
    for row in services:
        org_id = row["organization_id"]
        if org_id not in written_providers:
            org = organizations[org_id]
            provider = providers.get(org_id) or Provider()
            provider.name, provider.website = org["name"], org.get("website") or ""
            provider.phone = phone_of(org_id)
            provider.save()
            providers[org_id] = provider
            written_providers.add(org_id)
        provider = providers[org_id]
        loc_id = at_locations[row["id"]][0]["location_id"]
        if loc_id not in written_sites:
            loc, [address] = locations[loc_id], addresses[loc_id]
            site = sites.get(loc_id) or Site()
            site.provider = provider
            site.name = "" if loc.get("name") == provider.name else loc.get("name") or ""
            site.address = address.get("address_1") or ""
            site.city, site.state = address["city"], address["state_province"]
            site.zip_code = str(address["postal_code"]).zfill(5)
            site.latitude, site.longitude = loc.get("latitude"), loc.get("longitude")
            site.placed_at_zip = (loc.get("description") or "").startswith("Placed at the centre")
            site.save()
            sites[loc_id] = site
            written_sites.add(loc_id)
        program = earlier.get(_key(row)) or Program(
            source=Program.Source.MANUAL, external_key=_key(row)
        )
        _program(program, row, provider, sites[loc_id], _facts(attributes[row["id"]], terms))
        for field, amount in _costs(cost_options[row["id"]]).items():
            setattr(program, field, amount)
        program.cost_notes = ""  # fees_description without the notes: what to strip
        program.cost_notes = _stripped(
            row.get("fees_description"), mapping.fees_description(program)
        )
        program.phone = phone_of(row["id"])
        for record in metadata[row["id"]]:
            if record["last_action_type"] == "verify":
                by_program = record["updated_by"] == mapping.SOURCE_NAMES["program"]
                program.last_verified_source = (
                    VerificationSource.PROGRAM if by_program else VerificationSource.CURATOR
                )
        program.save()
        facts = _facts(attributes[row["id"]], terms)
        for taxonomy, field in mapping.TERM_FIELDS.items():
            slugs = [slug for slug, _value in facts[taxonomy]]
            getattr(program, field).set(TERM_MODELS[field].objects.filter(slug__in=slugs))
        program.tracks.all().delete()
        for schedule in schedules[row["id"]]:
            _track(program, schedule, _facts(attributes[schedule["id"]], terms))
        program_services.refresh_schedule_summary(program=program)
        program_services.refresh_search_text(program=program)
        count += 1
    return count


def _key(service: dict) -> str:
    return f"hsds:{service['id']}"


def _program(program: Program, row, provider, site, facts) -> Program:
    """Set a program's fields from an HSDS service row and its attributes' facts."""
    one = {taxonomy: values[0][0] for taxonomy, values in facts.items() if values}
    program.provider, program.site = provider, site
    program.name = row["name"]
    program.level_of_care = one[tx.LEVEL_OF_CARE]
    program.focus = one[tx.FOCUS]
    program.format = one[tx.FORMAT]
    program.description = row.get("description") or ""
    if program.description == mapping.default_description(program):
        program.description = ""
    program.intake_process = one.get(tx.INTAKE_PROCESS, "")
    label = (
        mapping.vocabulary.INTAKE_PROCESSES[program.intake_process] + "."
        if program.intake_process
        else ""
    )
    program.intake_notes = _stripped(row.get("application_process"), label)
    program.website = row.get("url") or ""
    program.status = Program.Status.PUBLISHED
    program.is_sample = tx.PROVENANCE in facts and "sample" in dict(facts[tx.PROVENANCE])
    program.last_verified_on = (
        date.fromisoformat(row["assured_date"]) if row.get("assured_date") else None
    )
    licensing = dict(facts[tx.LICENSING])
    program.license_number = licensing.pop("licence_number", None) or ""
    directory_facts = {}
    if facts[tx.SEX_SERVED]:
        directory_facts["sex_served"] = [slug for slug, _value in facts[tx.SEX_SERVED]]
    if licensing:
        directory_facts["licensing"] = list(licensing)
    program.directory_facts = directory_facts
    availability = dict(facts[tx.AVAILABILITY])
    accepting = availability.get("accepting_new_clients")
    program.accepting_new_clients = None if accepting is None else accepting == "yes"
    program.next_intake_on = (
        date.fromisoformat(availability["next_intake"]) if "next_intake" in availability else None
    )
    program.wait_time_days = int(availability["wait_days"]) if "wait_days" in availability else None
    program.availability_as_of = (
        date.fromisoformat(availability["as_of"]) if "as_of" in availability else None
    )
    program.availability_source = availability.get("source", "")
    return program


def _costs(options: list[dict]) -> dict:
    fields = {described: field for field, described in mapping.COST_AMOUNTS.items()}
    return {
        fields[option["amount_description"]]: Decimal(str(option["amount"]))
        for option in options
        if option.get("amount_description") in fields
    }


def _clock(text: str | None) -> time | None:
    return time.fromisoformat(text) if text else None


def _track(program, schedule, facts) -> ScheduleTrack:
    shape = {slug: value for slug, value in facts[tx.SCHEDULE_TRACK]}
    days_min, days_max = _bounds(shape.get("days_per_week"))
    hours_min, hours_max = _bounds(shape.get("hours_per_day"), Decimal)
    weeks_min, weeks_max = _bounds(shape.get("length_weeks"))
    return ScheduleTrack.objects.create(
        program=program,
        name=shape.get("name", ""),
        weekdays=[DAYS[code] for code in (schedule.get("byday") or "").split(",") if code],
        starts_at=_clock(schedule.get("opens_at")),
        ends_at=_clock(schedule.get("closes_at")),
        time_of_day=shape.get("time_of_day", "") if not schedule.get("opens_at") else "",
        weekend=shape.get("weekend") == "yes",
        days_per_week_min=days_min,
        days_per_week_max=days_max,
        hours_per_day_min=hours_min,
        hours_per_day_max=hours_max,
        length_weeks_min=weeks_min,
        length_weeks_max=weeks_max,
    )
