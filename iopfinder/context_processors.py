from django.utils.translation import gettext_lazy as _

from iopfinder.translation import once_per_language

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
    return {"crisis_lines": _crisis_lines()}


@once_per_language
def _crisis_lines() -> list[dict[str, str]]:
    """CRISIS_LINES in the active language, as plain strings (every page shows them)."""
    return [{key: str(value) for key, value in line.items()} for line in CRISIS_LINES]
