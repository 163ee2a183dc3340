"""What the guide reads to the caller before storing anything. Plain data, versioned.

A new wording gets a new version; records keep the version the caller agreed to.
"""


def _(text: str) -> str:
    """Marks a text for translation (gettext_noop); translated where shown."""
    return text


CONSENT_TEXTS = {
    "2026-11": _(
        "May I keep a record of what you tell me today: your first name, phone number, ZIP "
        "code, how you pay for care, what you are looking for, and which programs we talk "
        "about? Only our recovery guides can see it, every time someone opens it is logged, "
        "and you can ask us at any time to send you a copy or to delete it."
    ),
}
CURRENT_CONSENT_VERSION = "2026-11"
