"""Tables of words translated once per language, not once per use."""

from functools import wraps

from django.utils.translation import get_language


def once_per_language(build):
    """build() (a table of translated words) worked out once for each language it is asked
    in, with that language active: pages that show the same words many times then look
    them up in a dict instead of in the translation catalogue again."""
    tables = {}

    @wraps(build)
    def table():
        language = get_language() or "en"
        if language not in tables:
            tables[language] = build()
        return tables[language]

    return table
