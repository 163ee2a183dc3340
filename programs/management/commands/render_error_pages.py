"""Write the page nginx shows when gunicorn cannot answer (deploy/start runs this first).

nginx answers by itself when gunicorn is down, restarting or too slow (502, 504): without
these files it would show its own English page with no crisis lines, and HTML under /api/.
This writes, for each language, templates/503.html as the app draws it (the crisis lines
and all) and the API's JSON error, which deploy/nginx.conf serves with status 503:

    manage.py render_error_pages DIR

No database is needed.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.utils import translation

from iopfinder.api_errors import OUTAGE
from iopfinder.context_processors import CRISIS_LINES


def error_pages() -> dict[str, str]:
    """File name -> content: unavailable.<language>.html and .json for every language."""
    pages = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            # As iopfinder.views.server_error draws it: the crisis lines passed in directly.
            pages[f"unavailable.{language}.html"] = render_to_string(
                "503.html", {"crisis_lines": CRISIS_LINES}
            )
            pages[f"unavailable.{language}.json"] = json.dumps(
                {"errors": {"__all__": [str(OUTAGE)]}}
            )
    return pages


class Command(BaseCommand):
    help = "Write the pages nginx shows while gunicorn cannot answer (deploy/nginx.conf)."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory: Path, **options):
        directory.mkdir(parents=True, exist_ok=True)
        for name, content in error_pages().items():
            (directory / name).write_text(content, encoding="utf-8")
        self.stdout.write(f"Wrote {len(settings.LANGUAGES) * 2} error pages to {directory}")
