"""Who may open the guides' pages: signed-in members of the guides group, nobody else."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from guides.roles import is_guide


def guide_required(view):
    """Anonymous -> sign-in page; signed in without the guides role -> a calm 403.

    Pages are never cached (caller details must not linger in a browser or proxy), and
    error reports hide every posted value.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_guide(request.user):
            return render(request, "guides/forbidden.html", {"not_a_guide": True}, status=403)
        return view(request, *args, **kwargs)

    return never_cache(sensitive_post_parameters()(wrapper))
