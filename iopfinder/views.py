from django.contrib.auth.views import LoginView
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render, resolve_url
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from guides.roles import is_guide
from iopfinder.context_processors import CRISIS_LINES


class StaffLoginView(LoginView):
    """Signing in leads guides to their dashboard (LOGIN_REDIRECT_URL) and curators who are
    not guides to the admin: a curator-only account has no guides' pages."""

    def get_default_redirect_url(self):
        user = self.request.user
        if user.is_staff and not is_guide(user):
            return resolve_url("admin:index")
        return super().get_default_redirect_url()


@require_GET
def home(request):
    return render(request, "home.html")


@never_cache
@require_GET
def healthz(request):
    """For load balancers and the container: 200 when the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def csrf_failure(request, reason=""):
    """A form sent without its security cookie: a calm page with the crisis lines, not
    Django's bare one (settings.CSRF_FAILURE_VIEW)."""
    return render(request, "403_csrf.html", status=403)


def server_error(request):
    """The 500 page needs nothing that may have failed: no database, no session, no
    context processors; the crisis lines are passed in directly."""
    html = loader.render_to_string("500.html", {"crisis_lines": CRISIS_LINES})
    return HttpResponseServerError(html)


def database_unavailable(request):
    """The database did not answer in time (iopfinder.middleware.DatabaseOutageMiddleware):
    like the 500 page, drawn without it."""
    html = loader.render_to_string("503.html", {"crisis_lines": CRISIS_LINES})
    return HttpResponse(html, status=503)
