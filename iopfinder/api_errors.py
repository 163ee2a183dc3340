"""The JSON API answers JSON, even when it refuses or fails: {"errors": {"<key>": ["..."]}},
the shape of its 400s, with "__all__" (Django's key for what belongs to no one parameter)
for errors of the whole request. Pages keep their HTML error pages.

- 404 and 400 (handler404, handler400) and 500 (handler500): JSON under /api/.
- 405: the API's views take their methods from `allow`, which refuses others in JSON with
  the Allow header.
- 503: a database that does not answer (OperationalError, InterfaceError), with Retry-After
  (ApiOutageMiddleware; pages have iopfinder.middleware.DatabaseOutageMiddleware).
- 429: iopfinder/ratelimits.py.
Tests: tests/core/test_api_errors.py.
"""

import logging
from functools import wraps

from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt

from iopfinder import views

PREFIX = "/api/"
# Seconds a client should wait before asking again while the database does not answer.
OUTAGE_RETRY_AFTER = 30
# What it is told meanwhile (nginx says the same while gunicorn cannot answer:
# programs/management/commands/render_error_pages.py).
OUTAGE = gettext_lazy("Our listings are unavailable for a moment. Please try again in a minute.")

logger = logging.getLogger(__name__)


def is_api(request) -> bool:
    return request.path_info.startswith(PREFIX)


def error(message, *, status: int, headers: dict | None = None) -> JsonResponse:
    return JsonResponse({"errors": {"__all__": [str(message)]}}, status=status, headers=headers)


def allow(*methods: str):
    """Like Django's require_http_methods, answering 405 in JSON with the Allow header.

    No CSRF check: the API is anonymous and reads no cookie or session, so a forged
    cross-site request can do no more than any client already can; and a refused method
    answers 405, not the CSRF failure's 403.
    """

    def decorator(view):
        @wraps(view)
        def allowed(request, *args, **kwargs):
            if request.method not in methods:
                return error(
                    _("This address answers only %(methods)s.") % {"methods": ", ".join(methods)},
                    status=405,
                    headers={"Allow": ", ".join(methods)},
                )
            return view(request, *args, **kwargs)

        return csrf_exempt(allowed)

    return decorator


def bad_request(request, exception):
    if is_api(request):
        return error(_("Something was wrong with the request"), status=400)
    return defaults.bad_request(request, exception)


def not_found(request, exception):
    if is_api(request):
        return error(
            _("Nothing is at this address. The API's description: %(schema)s")
            % {"schema": request.build_absolute_uri(f"{PREFIX}schema/")},
            status=404,
        )
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_api(request):
        return error(_("Something went wrong on our side"), status=500)
    return views.server_error(request)


class ApiOutageMiddleware:
    """503 with Retry-After, in JSON, when the database does not answer an API request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (is_api(request) and isinstance(exception, OperationalError | InterfaceError)):
            return None
        logger.error("The database did not answer %s: %s", request.path, exception)
        return error(
            OUTAGE,
            status=503,
            headers={"Retry-After": str(OUTAGE_RETRY_AFTER)},
        )
