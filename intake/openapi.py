"""The self-screen's part of the API's OpenAPI description (programs/openapi.py serves it):
POST /api/screening/ and GET /api/screening/questions, written from intake/rules.py's
QUESTIONS so the description cannot drift from what intake/engine.validate accepts.

Exact, as schemathesis checks it (tests/programs/test_api_schemathesis.py): every required
question must be answered and not null; an optional one may be left out or null; a question
asked only when other answers match (`asked_when`) is required then, and anything at all is
ignored otherwise; no other key."""

from intake.rules import CHOICE, MULTIPLE_CHOICE, QUESTIONS


def _answer(question) -> dict:
    if question.kind == CHOICE:
        return {"type": "string", "enum": sorted(question.values)}
    if question.kind == MULTIPLE_CHOICE:
        return {"type": "array", "items": {"type": "string", "enum": sorted(question.values)}}
    return {"type": "string", "pattern": "^[0-9]{5}$"}  # ZIP


def answers_schema() -> dict:
    properties, required, conditions = {}, [], []
    for question in QUESTIONS:
        answer = _answer(question)
        if question.asked_when:
            properties[question.key] = {}  # ignored unless asked: see the condition
            conditions.append(
                {
                    "if": {
                        "properties": {
                            key: {"enum": sorted(values)}
                            for key, values in question.asked_when.items()
                        },
                        "required": sorted(question.asked_when),
                    },
                    "then": {"properties": {question.key: answer}, "required": [question.key]},
                }
            )
        elif question.required:
            properties[question.key] = answer
            required.append(question.key)
        else:
            properties[question.key] = {"anyOf": [answer, {"type": "null"}]}
    schema = {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    if conditions:
        schema["allOf"] = conditions
    return schema


RESULT = {
    "type": "object",
    "required": [
        "level",
        "escalation",
        "reasons",
        "notes",
        "search_url",
        "escalation_search_url",
    ],
    "properties": {
        "level": {"type": "string", "enum": ["php", "iop", "outpatient"]},
        "escalation": {"type": ["string", "null"]},
        "reasons": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "text", "source"],
                "properties": {
                    "code": {"type": "string"},
                    "text": {"type": "string"},
                    "source": {"type": "string"},
                },
            },
        },
        "notes": {"type": "array", "items": {"type": "string"}},
        "search_url": {"type": "string"},
        "escalation_search_url": {"type": ["string", "null"]},
    },
}

QUESTION_LIST = {
    "type": "object",
    "required": ["questions"],
    "properties": {
        "questions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["key", "text", "type", "required", "choices"],
                "properties": {
                    "key": {"type": "string"},
                    "text": {"type": "string"},
                    "hint": {"type": "string"},
                    "type": {"type": "string", "enum": ["choice", "multiple_choice", "zip"]},
                    "required": {"type": "boolean"},
                    "asked_when": {"type": "object"},
                    "choices": {"type": "array", "items": {"type": "object"}},
                },
            },
        }
    },
}


def paths(*, json_errors: dict, refusals: dict) -> dict:
    return {
        "/api/screening/": {
            "post": {
                "operationId": "screen",
                "summary": "The self-screen: answers in, a level of care and why out",
                "description": "Answers are never stored or logged. A client shows the crisis "
                'lines as soon as danger_now is "yes".',
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": answers_schema()}},
                },
                "responses": {
                    "200": {
                        "description": "The recommended level, any escalation, the reasons "
                        "with their sources, and the search for matching programs.",
                        "content": {"application/json": {"schema": RESULT}},
                    },
                    "400": {
                        "description": "A missing, unknown or invalid answer, or a body that "
                        "is not a JSON object; messages per question.",
                        "content": json_errors,
                    },
                    **refusals,
                },
            }
        },
        "/api/screening/questions": {
            "get": {
                "operationId": "screeningQuestions",
                "summary": "Every question of the self-screen, its wording and its choices",
                "responses": {
                    "200": {
                        "description": "The questions, in the language asked for.",
                        "content": {"application/json": {"schema": QUESTION_LIST}},
                    },
                    **refusals,
                },
            }
        },
    }
