from programs import shortlist


def shortlist_count(request):
    """The nav's "Shortlist (N)": read from the session, never from the catalogue."""
    session = getattr(request, "session", None)
    return {"shortlist_count": shortlist.count(session) if session is not None else 0}
