"""Staff sessions end after a short idle time; public visitors keep theirs (their shortlist)."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in)
def expire_staff_sessions_when_idle(sender, request, user, **kwargs):
    # With SESSION_SAVE_EVERY_REQUEST each request pushes the expiry forward: an idle limit.
    request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
