"""The Spanish translation: every message is translated, and the public pages speak Spanish."""

import ast
import gettext
import html
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

MESSAGES = Path(__file__).resolve().parents[2] / "locale" / "es" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +.\d]*[sdif]|%[sd]|</?[a-z][^>]*>")
CRISIS_NUMBERS = ["988", "1-800-662-4357", "911"]


def po_entries(path: Path) -> list[dict]:
    """A small .po reader: each entry's flags, msgid, msgid_plural and msgstr forms."""
    entries, entry, field = [], None, None

    def close():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line or (line.startswith("#") and entry is not None and "msgid" in entry):
            close()
            entry, field = None, None
            if not line:
                continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(field, int):
                entry["msgstr"][field] += value
            else:
                entry[field] += value
        else:
            keyword, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if keyword.startswith("msgstr"):
                field = int(keyword[7:-1]) if "[" in keyword else 0
                entry["msgstr"][field] = value
            else:
                field = keyword
                entry[field] = value
    close()
    return entries


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def entries():
    return po_entries(MESSAGES / "django.po")


def test_the_header_names_spanish_and_two_plural_forms(entries):
    header, *_ = entries
    assert header["msgid"] == ""
    assert "fuzzy" not in header["flags"]
    assert "Language: es\n" in header["msgstr"][0]
    assert "charset=UTF-8" in header["msgstr"][0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header["msgstr"][0]


def test_every_message_is_translated_and_none_is_fuzzy(entries):
    messages = entries[1:]
    assert len(messages) > 800
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert fuzzy == []
    untranslated = [
        e["msgid"]
        for e in messages
        if not e["msgstr"]
        or not all(form.strip() for form in e["msgstr"].values())
        or ("msgid_plural" in e and sorted(e["msgstr"]) != [0, 1])
    ]
    assert untranslated == []


def test_translations_keep_every_placeholder_and_tag(entries):
    changed = []
    for e in entries[1:]:
        sources = [e["msgid"], e.get("msgid_plural", e["msgid"])]
        for number, form in e["msgstr"].items():
            if placeholders(form) != placeholders(sources[min(number, 1)]):
                changed.append((e["msgid"], form))
    assert changed == []


def test_the_compiled_catalog_matches_the_po_file(entries):
    """The .mo is what Django reads at run time: it must be compiled from this .po."""
    with open(MESSAGES / "django.mo", "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    stale = []
    for e in entries[1:]:
        context = e.get("msgctxt")
        if "msgid_plural" in e:
            forms = (e["msgid"], e["msgid_plural"])
            got = [
                catalog.npgettext(context, *forms, n) if context else catalog.ngettext(*forms, n)
                for n in (1, 2)
            ]
            if got != [e["msgstr"][0], e["msgstr"][1]]:
                stale.append(e["msgid"])
        elif context:
            if catalog.pgettext(context, e["msgid"]) != e["msgstr"][0]:
                stale.append(e["msgid"])
        elif catalog.gettext(e["msgid"]) != e["msgstr"][0]:
            stale.append(e["msgid"])
    assert stale == []


def page_text(client, url: str, language: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    return html.unescape(response.content.decode())


PAGES = {
    "/": (
        "Encuentre un tratamiento que se adapte a su semana",
        "Find treatment that fits your week",
    ),
    "/programs/": ("Encuentre un programa", "Find a program"),
    "/screening/": ("Primero, su seguridad", "First, your safety"),
}


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_are_in_spanish_with_the_crisis_lines_intact(client, url):
    text = page_text(client, url, "es")
    spanish_heading, english_heading = PAGES[url]
    assert '<html lang="es">' in text
    assert spanish_heading in text
    assert english_heading not in text
    assert "¿Necesita ayuda ahora?" in text
    assert "Llame o envíe un mensaje de texto al 988" in text
    assert "Línea Nacional de Ayuda de SAMHSA" in text
    assert "Llame al 1-800-662-4357" in text
    assert "Llame al 911" in text
    for number in CRISIS_NUMBERS:
        assert number in text
    assert "Need help now?" not in text


@pytest.mark.parametrize("url", PAGES)
def test_public_pages_stay_in_english_for_english_readers(client, url):
    text = page_text(client, url, "en")
    spanish_heading, english_heading = PAGES[url]
    assert '<html lang="en">' in text
    assert english_heading in text
    assert spanish_heading not in text
    assert "Need help now?" in text
    assert "Call or text 988" in text
    assert "SAMHSA National Helpline" in text
    for number in CRISIS_NUMBERS:
        assert number in text
    assert "¿Necesita ayuda ahora?" not in text


def test_the_language_menu_names_each_language_in_its_own_words(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="es" lang="es">Español</option>' in page
    assert '<option value="en" lang="en" selected>English</option>' in page
