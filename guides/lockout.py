"""Who is locked out of staff sign-in: the two rules django-axes calls (settings AXES_*).

Failures count per account and address (AXES_LOCKOUT_PARAMETERS), so a stranger cannot lock a
guide out from the guide's own address; an address that fails on many accounts is stopped for
every account. Tests: tests/guides/test_sign_in.py.
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def client_address(request) -> str | None:
    """REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the outermost one saw."""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if proxies and len(forwarded) >= proxies:
        try:
            return str(ipaddress.ip_address(forwarded[-proxies].strip()))
        except ValueError:
            pass  # no address where the proxy puts it: count the one that connected
    return request.META.get("REMOTE_ADDR")


def failures_allowed(request, credentials) -> int:
    """Failed sign-ins an account may have from this address before it is locked there.

    Zero once the address has failed SIGN_IN_FAILURES_PER_ADDRESS times, on any accounts,
    within the cool-off: then every account is locked from it.
    """
    address_failures = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address,
        attempt_time__gte=get_cool_off_threshold(request),
    ).aggregate(failures=Sum("failures_since_start"))["failures"]
    if (address_failures or 0) >= settings.SIGN_IN_FAILURES_PER_ADDRESS:
        return 0
    return settings.SIGN_IN_FAILURES_PER_ACCOUNT_AND_ADDRESS
