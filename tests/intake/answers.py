"""Answer sets for the self-screen tests: screening.md's defaults for its examples."""

BASE = {
    "danger_now": "no",
    "withdrawal": "none",
    "needs_24h_care": "no",
    "severity": "mild",
    "recent_care": "none",
    "home_support": "strong",
    "commitments": "no",
    "hours_available": "9_to_19",
    "attendance": "in_person",
    "focus": "substance_use",
}


def answers(**overrides) -> dict:
    return {**BASE, **overrides}
