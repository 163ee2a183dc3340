"""Staff sessions end after a short idle time (public visitors keep theirs, with their
shortlist); on SQLite, deleted rows are overwritten."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.backends.signals import connection_created
from django.dispatch import receiver


@receiver(user_logged_in)
def expire_staff_sessions_when_idle(sender, request, user, **kwargs):
    # With SESSION_SAVE_EVERY_REQUEST each request pushes the expiry forward: an idle limit.
    request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)


@receiver(connection_created)
def overwrite_deleted_rows_on_sqlite(sender, connection, **kwargs):
    """An erased caller's details must not linger in the SQLite file's free pages."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
