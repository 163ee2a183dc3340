"""The shortlist: program ids kept in the visitor's session, so no account is needed."""

SESSION_KEY = "shortlist"
# The ZIP code the person searched near when they saved a program: compare shows distances
# from it without asking again. Forgotten with the shortlist.
PLACE_KEY = "shortlist_near"
LIMIT = 20


def parse_ids(values, *, limit: int) -> list[int]:
    """At most `limit` ids from values like ["1,2", "3"]: numbers only, in order, no repeats."""
    ids = []
    for value in values:
        for part in str(value).split(","):
            part = part.strip()
            # isdigit() alone accepts "²" and "١", which int() refuses or reads differently.
            if part.isascii() and part.isdigit() and 0 < int(part) < 2**63 and int(part) not in ids:
                ids.append(int(part))
                if len(ids) == limit:
                    return ids
    return ids


def program_ids(session) -> list[int]:
    return list(session.get(SESSION_KEY, []))


def count(session) -> int:
    return len(session.get(SESSION_KEY, []))


def add(session, program_id: int) -> bool:
    """Add a program; False when the shortlist is already full."""
    ids = program_ids(session)
    if program_id in ids:
        return True
    if len(ids) >= LIMIT:
        return False
    session[SESSION_KEY] = [*ids, program_id]
    return True


def remove(session, program_id: int) -> None:
    session[SESSION_KEY] = [pk for pk in program_ids(session) if pk != program_id]
    if not session[SESSION_KEY]:
        session.pop(PLACE_KEY, None)


def remember_place(session, zip_code: str) -> None:
    session[PLACE_KEY] = zip_code


def place(session) -> str:
    """The ZIP code to measure the shortlist's distances from ("" when none)."""
    return session.get(PLACE_KEY, "") if session.get(SESSION_KEY) else ""


def keep_only(session, program_ids_to_keep) -> None:
    """Silently forget programs that are no longer published."""
    published = set(program_ids_to_keep)
    kept = [pk for pk in program_ids(session) if pk in published]
    if kept != program_ids(session):
        session[SESSION_KEY] = kept
