"""gunicorn's settings in production (the Dockerfile's CMD):

    gunicorn -c iopfinder/gunicorn.conf.py iopfinder.wsgi:application

Options given on the command line win over this file (tests/core/test_access_log.py binds
another port and writes the access log to a file that way). Not named gunicorn.conf.py at
the top of the project, where gunicorn would read it unasked (bench/run.py's timed servers
keep no access log).
"""

bind = "0.0.0.0:8000"
workers = 3
accesslog = "-"
# Privacy: the Common Log Format with the path (%(U)s) where the request line (%(r)s) would
# be, then the duration in milliseconds. Never the query string (%(r)s, %(q)s: a search's
# words and ZIP code, the self-screen's hand-off to the search, a phone number typed into
# the guides' caller search), the Referer (%(f)s: "came from /screening/") or the
# User-Agent (%(a)s), nor any request header (%({name}i)s).
access_log_format = '%(h)s - - %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)s'


def post_worker_init(worker):
    """Read the catalogue's copy before the worker takes its first request, so no visitor
    waits for it (programs/engine.py). A database not yet reachable is not fatal: the
    first search reads it then."""
    from django.db import connection

    from programs import engine

    try:
        engine.warm()
    except Exception:
        worker.log.exception("Could not read the catalogue before the first request")
    finally:
        connection.close()
