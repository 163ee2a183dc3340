"""A control character in an import file (a NUL byte, an escape...) is a bad value like any
other: named by line and column, nothing written, no traceback (programs/samhsa.py,
programs/samhsa_files.py). PostgreSQL refuses NUL in text, so it used to pass the checks
and then fail the write."""

import io
import zipfile

import pytest
from django.core.management import CommandError

from programs.models import Program
from tests.programs import test_samhsa_files as workbooks
from tests.programs import test_samhsa_import as locator

pytestmark = pytest.mark.django_db


def refusal(path) -> list[str]:
    with pytest.raises(CommandError) as error:
        locator.run_import(path)
    message = str(error.value)
    assert "nothing was written" in message
    return message.splitlines()[1:]


@pytest.mark.parametrize(
    ("character", "name"), [("\x00", "NUL"), ("\x1b", "ESC"), ("\x0b", "VT"), ("\x1f", "US")]
)
def test_a_control_character_in_the_locator_export_is_named_by_line_and_column(
    tmp_path, character, name
):
    rows = [
        locator.facility(),
        locator.facility(Name="Eastside", City=f"Oakland{character}"),  # stripped as a space
        locator.facility(Name=f"Bay{character}side", Phone=f"510{character}555"),
    ]
    path = locator.write_csv(tmp_path / "listings.csv", rows)

    assert refusal(path) == [
        f"Line 3: City contains a control character ({name}).",
        f"Line 4: Name contains a control character ({name}).",
        f"Line 4: Phone contains a control character ({name}).",
    ]
    assert Program.objects.count() == 0


def test_tabs_and_line_breaks_are_not_control_characters_here(tmp_path):
    rows = [locator.facility(Address="1 Harbor Way\r\nSuite 200", Name="Harbor\tLight")]
    locator.run_import(locator.write_csv(tmp_path / "listings.csv", rows))
    assert Program.objects.get().name == "Harbor\tLight"


def test_a_nul_in_the_locators_download_csv_is_named_by_line_and_column(tmp_path):
    lines = workbooks.FLORIDA.read_text(encoding="utf-8-sig").splitlines()
    lines[2] = lines[2].replace(",", "\x00,", 1)  # the end of name1 on line 3
    path = tmp_path / "download.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    assert refusal(path) == ["Line 3: name1 contains a control character (NUL)."]
    assert workbooks.nothing_written()


def test_a_nul_in_a_workbook_as_excel_writes_it_is_named_by_line_and_column(tmp_path):
    """Excel keeps a control character in a cell as _xHHHH_."""
    rows = [workbooks.facility(), workbooks.facility(Name1="Bayside_x0000_ Counseling")]
    path = workbooks.write_workbook(tmp_path / "directory.xlsx", rows)

    assert refusal(path) == ["Line 3: name1 contains a control character (NUL)."]
    assert workbooks.nothing_written()


def test_a_raw_control_character_in_a_workbooks_sheet_is_a_problem_not_a_crash(tmp_path):
    """Such a sheet is not XML: the reading stops there, with a line and nothing written."""
    made = workbooks.write_workbook(
        tmp_path / "made.xlsx", [workbooks.facility(), workbooks.facility(Name1="Bayside")]
    )
    damaged = io.BytesIO()
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(damaged, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                data = data.replace(b">Bayside<", b">Bay\x00side<")
            target.writestr(name, data)
    path = tmp_path / "directory.xlsx"
    path.write_bytes(damaged.getvalue())

    [problem] = refusal(path)
    assert problem.startswith("Line 3: The sheet cannot be read from about this row on:")
    assert workbooks.nothing_written()
