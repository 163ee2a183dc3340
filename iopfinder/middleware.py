import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError

from iopfinder.views import database_unavailable

logger = logging.getLogger(__name__)


class PermissionsPolicyMiddleware:
    """Sends settings.PERMISSIONS_POLICY as the Permissions-Policy header on every response:
    the browser features our pages may use, and none of the others."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.header)
        return response


class DatabaseOutageMiddleware:
    """A page that cannot reach the database in time (DATABASE_CONNECT_TIMEOUT,
    DATABASE_STATEMENT_TIMEOUT, a locked SQLite file) answers 503 with the error page and
    its crisis lines. The JSON API under /api/ answers its own errors."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        outage = isinstance(exception, OperationalError | InterfaceError)
        if outage and not request.path.startswith("/api/"):
            logger.error("The database did not answer %s: %s", request.path, exception)
            return database_unavailable(request)
        return None
