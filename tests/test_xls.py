"""Records in .ods and .xls workbooks, read with python-calamine (the mali-map[xls] extra)."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

import mali_map
from mali_map import MissingExtra, UnreadableFile
from mali_map._read._io import read_records

pytest.importorskip("python_calamine", reason="reading .xls/.ods needs mali-map[xls]")

_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _cell(value: object) -> str:
    if isinstance(value, int | float):
        return (f'<table:table-cell office:value-type="float" office:value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return (f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}'
            "</text:p></table:table-cell>")


_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
    'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>")


def write_ods(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A minimal OpenDocument spreadsheet, as LibreOffice would save it (content only)."""
    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join("<table:table-row>" + "".join(_cell(v) for v in row) + "</table:table-row>"
                  for row in rows) + "</table:table>" for name, rows in sheets.items())
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS} '
               'office:version="1.2"><office:body><office:spreadsheet>' + tables
               + "</office:spreadsheet></office:body></office:document-content>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", _MANIFEST)
        archive.writestr("content.xml", content)
    path.write_bytes(buffer.getvalue())
    return path


SHEET = [["Qui fait quoi où — Mali", "", ""],
         ["Organisation", "Région", "Bénéficiaires"],
         ["HI", "Mopti", 12],
         ["UNICEF", "Ségou", 3.5],
         ["=HYPERLINK(\"x\")", "Kidal", 7]]


def test_an_ods_sheet_reads_like_the_same_table_in_csv(tmp_path):
    ods = read_records(write_ods(tmp_path / "3w.ods", {"3W": SHEET}))
    csv = tmp_path / "3w.csv"
    csv.write_text("\n".join(",".join(str(c) for c in row) for row in SHEET[1:]) + "\n",
                   encoding="utf-8")
    text = read_records(csv)
    assert ods["organisation"].tolist() == text["organisation"].tolist()
    assert ods["adm1_name"].tolist() == ["Mopti", "Ségou", "Kidal"]
    assert ods["reached"].tolist() == text["reached"].tolist() == ["12", "3.5", "7"]
    assert ods["row"].tolist() == [3, 4, 5]  # sheet row numbers, after the title row


def test_the_sheet_is_chosen_by_name_or_number(tmp_path):
    path = write_ods(tmp_path / "3w.ods", {"Notes": [["nothing here"]], "3W": SHEET})
    assert len(read_records(path, sheet="3w")) == 3
    assert len(read_records(path, sheet=1)) == 3
    with pytest.raises(UnreadableFile, match="has no sheet named 'Budget'; sheets: 'Notes'"):
        read_records(path, sheet="Budget")


def test_an_ods_joins_through_the_whole_pipeline(tmp_path):
    result = mali_map.join_files(write_ods(tmp_path / "3w.ods", {"3W": SHEET}))
    assert result.report["status"].tolist() == ["matched"] * 3
    assert result.report["pcode"].tolist() == ["ML05", "ML04", "ML08"]


def test_a_damaged_ods_is_one_line(tmp_path):
    path = tmp_path / "broken.ods"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UnreadableFile) as info:
        read_records(path)
    message = str(info.value)
    assert "broken.ods" in message and ".xls or .ods workbook" in message
    assert "\n" not in message


def test_without_the_extra_the_error_says_what_to_install(tmp_path, monkeypatch):
    path = write_ods(tmp_path / "3w.ods", {"3W": SHEET})
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # as if not installed
    with pytest.raises(MissingExtra, match=r"pip install 'mali-map\[xls\]'"):
        read_records(path)
