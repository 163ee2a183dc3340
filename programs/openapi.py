"""OpenAPI 3 description of the JSON API, served at /api/schema/.

Parameter meanings are written here by hand (the public contract of the "Patient search"
issue); allowed values come from programs/filters.py so they cannot drift.
"""

from programs import filters, search

REPEATABLE = "Repeat the parameter to combine values with OR."


def _enum(choices) -> list[str]:
    return [str(value) for value, _label in choices]


def _string(choices=None) -> dict:
    return {"type": "string", "enum": _enum(choices)} if choices else {"type": "string"}


def _repeatable(choices) -> dict:
    return {"type": "array", "items": _string(choices)}


# name -> (description, JSON schema)
PARAMETERS = {
    "q": (
        "Free text over program name, provider, city and services. On PostgreSQL, web "
        'search syntax: "quoted phrase", -exclude, or.',
        {"type": "string", "maxLength": 200},
    ),
    "level": (f"Level of care. {REPEATABLE}", _repeatable(filters.LEVEL_CHOICES)),
    "focus": (
        "What the program treats. substance_use and mental_health include programs for "
        "co-occurring disorders (they treat both); co_occurring finds only those.",
        _string(filters.FOCUS_CHOICES),
    ),
    "payment": (f"Payment kinds accepted. {REPEATABLE}", _repeatable(filters.PAYMENT_CHOICES)),
    "insurer": (f"Named private insurers. {REPEATABLE}", _repeatable(filters.INSURER_CHOICES)),
    "max_cost_per_session": (
        "Dollars. Programs whose lowest known per-session cost is at most this. Programs "
        "whose cost is not yet verified are left out unless include_unknown_cost=1.",
        {"type": "number", "minimum": 0, "maximum": 100000},
    ),
    "include_unknown_cost": (
        "1: keep programs whose cost is not yet verified when max_cost_per_session is given.",
        {"type": "string", "enum": ["1", "0"]},
    ),
    "time_of_day": (
        f"Times the program meets. {REPEATABLE}",
        _repeatable(filters.TIME_OF_DAY_CHOICES),
    ),
    "max_days_per_week": (
        "Programs you can attend on at most this many days a week (their lightest track). "
        "Programs whose schedule is not yet verified are left out.",
        {"type": "integer", "minimum": 1, "maximum": 7},
    ),
    "max_hours_per_week": (
        "Programs you can attend for at most this many hours a week (their lightest track). "
        "Programs whose schedule is not yet verified are left out.",
        {"type": "number", "minimum": 1, "maximum": 168},
    ),
    "max_weeks": (
        "Programs whose shortest length is at most this many weeks. Programs whose length "
        "is not yet verified are left out.",
        {"type": "integer", "minimum": 1, "maximum": 104},
    ),
    "format": (
        "How you attend. Programs offering both formats match either value. With `near`, "
        "in_person keeps only programs within the radius.",
        _string(filters.FORMAT_CHOICES),
    ),
    "service": (
        "Services; a program must offer every one given (repeat the parameter).",
        _repeatable(filters.SERVICE_CHOICES),
    ),
    "population": (
        f"Who the program is for. {REPEATABLE}",
        _repeatable(filters.POPULATION_CHOICES),
    ),
    "language": (f"Languages offered. {REPEATABLE}", _repeatable(filters.LANGUAGE_CHOICES)),
    "near": (
        "A 5-digit US ZIP code. Results are within `radius` miles of its centre, plus "
        'telehealth programs in the same state (reach "telehealth").',
        {"type": "string", "pattern": r"^\d{5}$"},
    ),
    "radius": (
        f"Miles from `near`, 1-100 (default {search.DEFAULT_RADIUS}).",
        {"type": "integer", "minimum": 1, "maximum": 100, "default": search.DEFAULT_RADIUS},
    ),
    "accepting": (
        "1: only programs accepting new clients.",
        {"type": "string", "enum": ["1", "0"]},
    ),
    "sort": (
        "Order: distance (default with near), relevance (default with q), cost (lowest "
        "first), hours (fewest a week first), verified (most recent first), name.",
        _string(filters.SORT_CHOICES),
    ),
    "page": ("Page number, 20 results a page.", {"type": "integer", "minimum": 1}),
}

_RANGE = {
    "type": "object",
    "properties": {
        "min": {"type": ["number", "null"]},
        "max": {"type": ["number", "null"]},
    },
}

PROGRAM_SUMMARY = {
    "type": "object",
    "required": [
        "id",
        "name",
        "provider",
        "level_of_care",
        "focus",
        "schedule",
        "cost",
        "payment",
        "format",
        "latitude",
        "longitude",
        "distance_miles",
        "last_verified",
        "url",
    ],
    "properties": {
        "id": {"type": "integer"},
        "name": {"type": "string"},
        "provider": {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
        },
        "level_of_care": _string(filters.LEVEL_CHOICES),
        "focus": _string(filters.FOCUS_CHOICES),
        "format": {"type": "string", "enum": ["in_person", "telehealth", "both"]},
        "schedule": {
            "type": "object",
            "description": "Across the program's tracks; nulls when not yet verified.",
            "properties": {
                "days_per_week": _RANGE,
                "hours_per_day": _RANGE,
                "hours_per_week": _RANGE,
                "length_weeks": _RANGE,
                "times_of_day": _repeatable(filters.TIME_OF_DAY_CHOICES),
                "known": {"type": "boolean"},
                "text": {"type": "string", "example": "3 days/week · 3-4 h/day · evenings"},
            },
        },
        "cost": {
            "type": "object",
            "description": "Dollars; nulls when not yet verified (never zero for unknown).",
            "properties": {
                "per_session": _RANGE,
                "total": _RANGE,
                "known": {"type": "boolean"},
                "text": {"type": "string", "example": "$250-$400 per session"},
            },
        },
        "payment": _repeatable(filters.PAYMENT_CHOICES),
        "accepting_new_clients": {"type": ["boolean", "null"]},
        "city": {"type": "string"},
        "state": {"type": "string"},
        "zip_code": {"type": "string"},
        "latitude": {"type": ["number", "null"]},
        "longitude": {"type": ["number", "null"]},
        "distance_miles": {
            "type": ["number", "null"],
            "description": "Miles from `near`, one decimal; null without `near`.",
        },
        "reach": {
            "type": ["string", "null"],
            "enum": ["distance", "telehealth", None],
            "description": 'With `near`: "telehealth" for programs outside the radius that '
            "serve the state by telehealth.",
        },
        "is_sample": {"type": "boolean", "description": "Fictional demo listing."},
        "last_verified": {"type": ["string", "null"], "format": "date"},
        "url": {"type": "string", "format": "uri", "description": "The program's page."},
    },
}

PROGRAM = {
    "allOf": [
        PROGRAM_SUMMARY,
        {
            "type": "object",
            "properties": {
                "description": {"type": "string"},
                "site": {"type": "object"},
                "tracks": {"type": "array", "items": {"type": "object"}},
                "cost_notes": {"type": "string"},
                "insurers": _repeatable(filters.INSURER_CHOICES),
                "services": _repeatable(filters.SERVICE_CHOICES),
                "populations": _repeatable(filters.POPULATION_CHOICES),
                "languages": _repeatable(filters.LANGUAGE_CHOICES),
                "accreditations": {"type": "array", "items": {"type": "string"}},
                "wait_time_days": {"type": ["integer", "null"]},
                "license_number": {"type": "string"},
                "phone": {"type": "string"},
                "website": {"type": "string"},
            },
        },
    ]
}

ERRORS = {
    "type": "object",
    "properties": {
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {"near": ["99999 is not a US ZIP code."]},
        }
    },
}


def _parameter(name: str) -> dict:
    description, schema = PARAMETERS[name]
    parameter = {"name": name, "in": "query", "description": description, "schema": schema}
    if schema["type"] == "array":
        parameter.update(style="form", explode=True)
    return parameter


def schema(*, server_url: str = "/") -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "IOP Finder API",
            "version": "1",
            "description": "Search published treatment programs (PHP, IOP, outpatient). "
            "Read-only; the same search as the /programs/ page. Unknown parameters are "
            "ignored.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/programs/": {
                "get": {
                    "operationId": "searchPrograms",
                    "summary": "Search programs",
                    "parameters": [_parameter(name) for name in PARAMETERS],
                    "responses": {
                        "200": {
                            "description": "A page of matching programs.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "properties": {
                                            "count": {"type": "integer"},
                                            "next": {"type": ["string", "null"]},
                                            "previous": {"type": ["string", "null"]},
                                            "results": {
                                                "type": "array",
                                                "items": {
                                                    "$ref": "#/components/schemas/ProgramSummary"
                                                },
                                            },
                                        },
                                    }
                                }
                            },
                        },
                        "400": {
                            "description": "Some parameters are invalid; messages per parameter.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Errors"}
                                }
                            },
                        },
                    },
                }
            },
            "/api/programs/{id}/": {
                "get": {
                    "operationId": "getProgram",
                    "summary": "One published program",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "integer"},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The program.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Program"}
                                }
                            },
                        },
                        "404": {
                            "description": "No published program has this id.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Errors"}
                                }
                            },
                        },
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "ProgramSummary": PROGRAM_SUMMARY,
                "Program": PROGRAM,
                "Errors": ERRORS,
            }
        },
    }
