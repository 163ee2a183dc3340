"""The Jinja2 environment of the pages drawn most often (the search results: their filter
panel and cards), through Django's own Jinja2 backend: Django's template language took most
of a results page's time (about 30 ms of 45 for 100 filter options and 20 cards).

The same translation catalogue as everywhere. Django's makemessages reads {{ _("…") }} here
as it does in Django's templates, but not Jinja2's other forms: so the templates use only
plain {{ _("…") }}, and words with values in them come from Python (programs/display.py,
programs/search_page.py), where they are marked for translation.
"""

from functools import lru_cache

from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from jinja2 import Environment

from programs import display


def url(name: str, *args) -> str:
    return reverse(name, args=args)


@lru_cache(maxsize=4096)
def _facet_count_word(count: int, language: str) -> str:
    return translation.npgettext("facet count", "program", "programs", count)


def facet_count_word(count: int) -> str:
    """'program' or 'programs' beside a filter option's count: a results page shows a
    hundred, so each count's word is looked up once per language."""
    return _facet_count_word(count, translation.get_language())


def environment(**options) -> Environment:
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(
        translation.gettext,
        translation.ngettext,
        newstyle=True,
        pgettext=translation.pgettext,
        npgettext=translation.npgettext,
    )
    env.globals.update(url=url, static=static, facet_count_word=facet_count_word)
    env.filters.update(
        schedule_line=display.schedule_line,
        cost_line=display.cost_line,
        payments=display.payments,
        distance_line=display.distance_line,
        verified_line=display.verified_line,
    )
    return env
