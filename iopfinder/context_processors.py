from functools import cache

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Shown on every page, never behind a form (../shared/domain.md, "Crisis resources").
CRISIS_LINES = [
    {
        "name": _("988 Suicide & Crisis Lifeline"),
        "action": _("Call or text 988"),
        "tel": "988",
        "sms": "988",
        "note": _("Free and confidential, 24/7"),
    },
    {
        "name": _("SAMHSA National Helpline"),
        "action": _("Call 1-800-662-4357"),
        "tel": "18006624357",
        "sms": "",
        "note": _("Free, confidential, 24/7, in English and Spanish"),
    },
    {
        "name": _("Emergency"),
        "action": _("Call 911"),
        "tel": "911",
        "sms": "",
        "note": _("If you or someone else is in immediate danger"),
    },
]


def crisis_lines(request):
    return {"crisis_lines": _crisis_lines(get_language() or "en")}


@cache
def _crisis_lines(language: str) -> list[dict[str, str]]:
    """CRISIS_LINES in one language, as plain strings (every page shows them)."""
    return [{key: str(value) for key, value in line.items()} for line in CRISIS_LINES]
