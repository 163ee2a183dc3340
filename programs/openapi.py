"""OpenAPI 3 description of the JSON API, served at /api/schema/.

The search parameters, their values, bounds and meanings come from programs/parameters.py,
so the description cannot drift from the search.
"""

from django.conf import settings

from intake import openapi as screening_openapi
from programs import meeting_times, vocabulary
from programs import parameters as declared
from programs.models import AvailabilitySource


def _enum(name: str) -> list[str]:
    return declared.BY_NAME[name].values


def _string(name: str | None = None) -> dict:
    return {"type": "string", "enum": _enum(name)} if name else {"type": "string"}


def _repeatable(name: str) -> dict:
    return {"type": "array", "items": _string(name)}


def parameter_schema(parameter: declared.Parameter) -> dict:
    """The JSON schema of one declared search parameter's value."""
    if parameter.repeatable:
        return _repeatable(parameter.name)
    if parameter.choices and parameter.match != declared.FLAG:
        return _string(parameter.name)
    if parameter.match == declared.WORDS:
        # No NUL: the text search refuses it.
        return {"type": "string", "maxLength": parameter.max_length, "pattern": "^[^\\x00]*$"}
    if parameter.match == declared.DISTANCE:
        # Five digits, and a ZIP code the search can place (the zipcodes package's): the
        # format says the second, which no pattern of reasonable size can.
        return {
            "type": "string",
            "pattern": r"^\d{5}$",
            "format": ZIP_CODE_FORMAT,
            "example": parameter.example,
        }
    if not parameter.bounds:  # a yes/no: see YES_NO
        return {"type": "string", "examples": ["1", "0"]}
    least, most = parameter.bounds
    schema = {"type": "integer", "minimum": least, "maximum": most}
    if parameter.decimals is not None:
        schema.update(type="number", multipleOf=10**-parameter.decimals)
    if parameter.default is not None:
        schema["default"] = parameter.default
    return schema


# A ZIP code with a known centre (programs/places.py); others answer 400 "not a US ZIP code".
ZIP_CODE_FORMAT = "us-zip-code"

# django-filter's BooleanWidget, as the page's checkboxes send them.
YES_NO = (
    "Yes/no parameters take 1 or true for yes, 0 or false for no (any capitals); any other "
    "value is the same as not giving them."
)

PAGE = {
    "name": "page",
    "in": "query",
    "description": "Page number, 20 results a page.",
    "schema": {"type": "integer", "minimum": 1},
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
        "availability",
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
        "level_of_care": _string("level"),
        "focus": _string("focus"),
        "format": {"type": "string", "enum": ["in_person", "telehealth", "both"]},
        "schedule": {
            "type": "object",
            "description": "Across the program's tracks; nulls when not yet verified.",
            "properties": {
                "days_per_week": _RANGE,
                "hours_per_day": _RANGE,
                "hours_per_week": _RANGE,
                "length_weeks": _RANGE,
                "times_of_day": _repeatable("time_of_day"),
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
        "payment": _repeatable("payment"),
        "accepting_new_clients": {
            "type": ["boolean", "null"],
            "description": "As `availability.accepting_new_clients`: null when not known or "
            f"confirmed more than {settings.AVAILABILITY_STALE_DAYS} days ago.",
        },
        "availability": {
            "type": "object",
            "description": "Whether the program takes new clients, its next intake and its "
            "wait, as of a day and from whom. Every value is null when not known, or when "
            f"confirmed more than {settings.AVAILABILITY_STALE_DAYS} days ago.",
            "properties": {
                "accepting_new_clients": {"type": ["boolean", "null"]},
                "next_intake": {
                    "type": ["string", "null"],
                    "format": "date",
                    "description": "The next day new clients start.",
                },
                "wait_days": {
                    "type": ["integer", "null"],
                    "description": "About how many days until a new client starts.",
                },
                "as_of": {
                    "type": ["string", "null"],
                    "format": "date",
                    "description": "The day the program, a guide or a curator said so.",
                },
                "source": {
                    "type": ["string", "null"],
                    "enum": [*AvailabilitySource.values, None],
                    "description": "Who said so: the program itself, a recovery guide's call "
                    "to the program, or our curators.",
                },
            },
        },
        "city": {"type": "string"},
        "state": {"type": "string"},
        "zip_code": {"type": "string"},
        "latitude": {"type": ["number", "null"]},
        "longitude": {"type": ["number", "null"]},
        "distance_miles": {
            "type": ["number", "null"],
            "description": "Miles from `near`, one decimal; null without `near`.",
        },
        "placed_at_zip_centre": {
            "type": "boolean",
            "description": "The site is placed at its ZIP code's centre (SAMHSA's National "
            "Directory gives no coordinates): its distance is approximate.",
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

_CLOCK = {
    "type": ["string", "null"],
    "pattern": r"^\d{2}:\d{2}$",
    "example": "18:00",
    "description": "Local clock time, 24-hour; null when not known.",
}

TRACK = {
    "type": "object",
    "description": "One way to attend the program (a daytime track, an evening track...).",
    "properties": {
        "name": {"type": "string"},
        "weekdays": {
            "type": "array",
            "items": {"type": "string", "enum": list(meeting_times.WEEKDAYS)},
            "example": ["mon", "wed", "thu"],
            "description": "The days it meets, Monday first; empty when not known.",
        },
        "starts_at": _CLOCK,
        "ends_at": _CLOCK,
        "time_of_day": {
            "type": "string",
            "enum": [name for _, name in reversed(meeting_times.TIME_OF_DAY_FROM)],
            "description": "By its start time when known ("
            + ", ".join(
                f"{name} from {start:%H:%M}"
                for start, name in reversed(meeting_times.TIME_OF_DAY_FROM)
            )
            + "), otherwise as the curator chose it.",
        },
        "weekend": {
            "type": "boolean",
            "description": "Meets on Saturday or Sunday: by its weekdays when known.",
        },
        "days_per_week": _RANGE,
        "hours_per_day": _RANGE,
        "length_weeks": _RANGE,
    },
}

_SPANISH = "The curator's Spanish version; empty when there is none (then show the English)."

PROGRAM = {
    "allOf": [
        PROGRAM_SUMMARY,
        {
            "type": "object",
            "properties": {
                "description": {"type": "string"},
                "description_es": {"type": "string", "description": _SPANISH},
                "site": {"type": "object"},
                "tracks": {"type": "array", "items": TRACK},
                "cost_notes": {"type": "string"},
                "cost_notes_es": {"type": "string", "description": _SPANISH},
                "intake_process": {
                    "type": ["string", "null"],
                    "enum": [*vocabulary.INTAKE_PROCESSES, None],
                    "description": "How a person starts: walk in, a phone assessment first, or "
                    "a referral needed; null when not known.",
                },
                "intake_notes": {"type": "string"},
                "intake_notes_es": {"type": "string", "description": _SPANISH},
                "insurers": _repeatable("insurer"),
                "services": _repeatable("service"),
                "populations": _repeatable("population"),
                "languages": _repeatable("language"),
                "accreditations": _repeatable("accreditation"),
                "directory_facts": {
                    "type": "object",
                    "description": "From SAMHSA's directory, shown but not searched: "
                    "sex_served (women, men) and licensing (who licenses or certifies it).",
                    "properties": {
                        name: {
                            "type": "array",
                            "items": {"type": "string", "enum": list(terms)},
                        }
                        for name, terms in vocabulary.DIRECTORY_FACTS.items()
                    },
                },
                "wait_time_days": {
                    "type": ["integer", "null"],
                    "description": "As `availability.wait_days`: null when not known or "
                    f"confirmed more than {settings.AVAILABILITY_STALE_DAYS} days ago.",
                },
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


_JSON_ERRORS = {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before asking again.",
        "schema": {"type": "integer", "minimum": 1},
    }
}
# Every operation may answer these (iopfinder/ratelimits.py, iopfinder/api_errors.py).
REFUSALS = {
    "429": {
        "description": "Too many requests from one address: "
        f"{settings.SEARCH_API_PER_ADDRESS_PER_MINUTE} a minute.",
        "headers": _RETRY_AFTER,
        "content": _JSON_ERRORS,
    },
    "503": {
        "description": "The listings are unavailable for a moment.",
        "headers": _RETRY_AFTER,
        "content": _JSON_ERRORS,
    },
}

SCREENING_REFUSALS = {
    **REFUSALS,
    "429": {
        **REFUSALS["429"],
        "description": "Too many requests from one address: "
        f"{settings.SCREENING_API_PER_ADDRESS_PER_MINUTE} screenings a minute.",
    },
}


def _parameter(parameter: declared.Parameter) -> dict:
    described = {
        "name": parameter.name,
        "in": "query",
        "description": parameter.api,
        "schema": parameter_schema(parameter),
    }
    if parameter.repeatable:
        described.update(style="form", explode=True)
    else:  # as when a form leaves it blank: the same as not giving it
        described["allowEmptyValue"] = True
    return described


def schema(*, server_url: str = "/") -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "IOP Finder API",
            "version": "1",
            "description": "Search published treatment programs (PHP, IOP, outpatient). "
            "Read-only; the same search as the /programs/ page. Unknown parameters are "
            "ignored; a parameter given empty is the same as one not given. " + YES_NO + " "
            "Errors are JSON: "
            '{"errors": {"<parameter>": ["..."]}}, "__all__" for the whole request.',
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/programs/": {
                "get": {
                    "operationId": "searchPrograms",
                    "summary": "Search programs",
                    "parameters": [*map(_parameter, declared.PARAMETERS), PAGE],
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
                            "content": _JSON_ERRORS,
                        },
                        **REFUSALS,
                    },
                }
            },
            **screening_openapi.paths(json_errors=_JSON_ERRORS, refusals=SCREENING_REFUSALS),
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
                            "content": _JSON_ERRORS,
                        },
                        **REFUSALS,
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
