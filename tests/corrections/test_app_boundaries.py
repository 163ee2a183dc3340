"""Reports are the corrections app's: its own view and URL (at the address the program page
has always posted to), and the programs app's code does not import it."""

import ast
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, resolve, reverse

from corrections import views

PROGRAMS = Path(__file__).resolve().parents[2] / "programs"
# None: the SAMHSA import sends programs.signals.programs_not_listed, and the corrections app
# queues the reports (corrections/receivers.py).
MAY_IMPORT_CORRECTIONS = set()


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


def test_the_report_address_is_the_same_and_served_by_the_corrections_app():
    assert reverse("corrections:report", args=[7]) == "/programs/7/report/"
    assert resolve("/programs/7/report/").func is views.report_correction
    with pytest.raises(NoReverseMatch):
        reverse("programs:report", args=[7])


def test_the_programs_app_does_not_import_the_corrections_app():
    files = sorted(PROGRAMS.rglob("*.py"))
    assert PROGRAMS / "views_pages.py" in files
    importing = {
        str(path.relative_to(PROGRAMS))
        for path in files
        if any(
            module == "corrections" or module.startswith("corrections.")
            for module in imported_modules(path)
        )
    }
    assert importing == MAY_IMPORT_CORRECTIONS


def test_the_check_finds_an_import_of_corrections(tmp_path):
    source = tmp_path / "example.py"
    source.write_text("from corrections import limits\nimport corrections.forms\n")
    assert imported_modules(source) == {"corrections", "corrections.forms"}
