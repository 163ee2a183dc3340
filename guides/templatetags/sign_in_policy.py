from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def sign_in_policy() -> dict:
    """The lock-out and idle limits from settings, so pages state them as configured."""
    return {
        "failure_limit": settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_ADDRESS,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "idle_minutes": settings.STAFF_SESSION_IDLE_SECONDS // 60,
    }
