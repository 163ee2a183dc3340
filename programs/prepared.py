"""Run the search's statements as PostgreSQL prepared statements.

A search statement is a few kilobytes of SQL; parsing and planning it took longer than
running it (1-3 ms a statement). Each distinct statement text (the parameters a search
uses decide it; the values are parameters) is prepared once per database connection, then
executed with its values. settings.SEARCH_PREPARED_STATEMENTS turns this off, for a
connection pooler in transaction mode, where the next statement may reach another server
connection. SQLite runs the statements as they are.
"""

import hashlib
import re

from django.conf import settings
from django.db import connection

_PLACEHOLDER = re.compile(r"%s")


def execute(cursor, text: str, params) -> None:
    """cursor.execute(text, params), through a prepared statement where that pays."""
    if connection.vendor != "postgresql" or not settings.SEARCH_PREPARED_STATEMENTS:
        cursor.execute(text, params)
        return
    assert "%%" not in text, "search statements carry no literal % (values are parameters)"
    name = "search_" + hashlib.blake2b(text.encode(), digest_size=10).hexdigest()
    prepared = _prepared_on_this_connection()
    if name not in prepared:
        # Part of running the statement the first time, so not logged as queries of their
        # own (a page's query count stays the same on every connection).
        with connection.wrap_database_errors:
            cursor.cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name])
            if cursor.cursor.fetchone() is None:
                numbered = iter(range(1, text.count("%s") + 1))
                numbered_text = _PLACEHOLDER.sub(lambda _match: f"${next(numbered)}", text)
                cursor.cursor.execute(f"PREPARE {name} AS {numbered_text}")
        prepared.add(name)
    if params:
        cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})", params)
    else:
        cursor.execute(f"EXECUTE {name}")


def _prepared_on_this_connection() -> set[str]:
    """The names prepared on the current server connection (a new one starts empty)."""
    raw = connection.connection
    known = getattr(connection, "_search_prepared", None)
    if known is None or known[0] is not raw:
        known = (raw, set())
        connection._search_prepared = known
    return known[1]
