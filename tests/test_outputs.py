"""Data outputs of a build: the GeoPackage, the workbook and the CSV tables."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pyogrio
import pytest

from mali_map import aggregate, join_files, read_report, unit_totals, write_data_outputs
from mali_map._cli._main import main

RECORDS = (
    "Organisation,Secteur,Région,Cercle,Latitude,Longitude,Bénéficiaires\n"
    "HI,Santé,Mopti,,14.49,-4.19,120\n"
    "HI,EHA,Mopti,,,,30\n"
    "=HYPERLINK(\"http://evil\"),Santé,Gao,,,,\n"
    "UNICEF,@SUM(1),Kidal,,,,\n"
    "MSF,Santé,Atlantis,,,,\n"
)


@pytest.fixture
def records(tmp_path: Path) -> Path:
    path = tmp_path / "3w.csv"
    path.write_text(RECORDS, encoding="utf-8")
    return path


@pytest.fixture
def built(tmp_path: Path, records: Path, capsys) -> Path:
    out = tmp_path / "maps"
    assert main(["build", "--records", str(records), "--out", str(out), "--lang", "fr"]) == 0
    capsys.readouterr()
    return out


def test_geopackage_has_records_units_and_sector_tables(built: Path, records: Path) -> None:
    path = built / "records.gpkg"
    layers = dict(pyogrio.list_layers(path).tolist())
    assert layers == {"records": "Point", "adm1": "MultiPolygon", "adm1_sectors": None,
                      "adm2": "MultiPolygon", "adm2_sectors": None}  # embedded cercles
    result = join_files(records)
    located = pyogrio.read_dataframe(path, layer="records")
    assert len(located) == len(result.mapped) == 4  # Atlantis is unmatched: not located
    assert located["admin1Pcode"].tolist() == result.mapped["pcode"].tolist()
    mopti = located[located["admin1Pcode"] == "ML05"]
    assert mopti["admin1Name_fr"].tolist() == ["Mopti", "Mopti"]
    points = located.geometry[~located.geometry.is_empty & located.geometry.notna()]
    assert [(round(p.x, 2), round(p.y, 2)) for p in points] == [(-4.19, 14.49)]
    adm1 = pyogrio.read_dataframe(path, layer="adm1")
    assert len(adm1) == 9 and set(adm1.columns) >= {
        "admin0Pcode", "admin1Pcode", "admin1Name_fr", "admin1Name_en", "activities",
        "organisations", "reached"}
    totals = unit_totals(result).set_index("pcode")
    got = adm1.set_index("admin1Pcode")
    assert got.loc["ML05", "activities"] == totals.loc["ML05", "activities"] == 2
    assert got.loc["ML05", "reached"] == 150
    table = pyogrio.read_dataframe(path, layer="adm1_sectors", read_geometry=False)
    assert len(table) == len(aggregate(result))
    assert set(zip(table["admin1Pcode"], table["sector"], strict=True)) == set(
        zip(aggregate(result)["pcode"], aggregate(result)["sector"], strict=True))


def test_geopackage_has_adm2_layers_with_adm2_boundaries(tmp_path, geoboundaries) -> None:
    records = tmp_path / "3w.csv"
    records.write_text("Organisation,Secteur,Région,Cercle\nHI,Santé,Mopti,Bandiagara\n"
                       "HI,EHA,Mopti,Djenné\nHI,EHA,Gao,\n", encoding="utf-8")
    result = join_files(records, adm2=geoboundaries / "geoBoundaries-MLI-ADM2_simplified.geojson")
    files = write_data_outputs(result, tmp_path / "out")
    path = tmp_path / "out" / "records.gpkg"
    layers = dict(pyogrio.list_layers(path).tolist())
    assert set(layers) == {"records", "adm1", "adm1_sectors", "adm2", "adm2_sectors"}
    adm2 = pyogrio.read_dataframe(path, layer="adm2")
    assert len(adm2) == len(result.boundaries.adm2)
    assert adm2["activities"].sum() == int(result.records["adm2"].notna().sum())
    assert adm2["admin1Pcode"].notna().all()
    assert (tmp_path / "out" / "aggregates-adm2_sectors.csv") in files


def test_workbook_has_one_sheet_per_table_with_french_headers(built: Path) -> None:
    book = openpyxl.load_workbook(built / "aggregates.xlsx")
    assert book.sheetnames == ["Régions", "Régions x secteurs", "Cercles", "Cercles x secteurs"]
    sheet = book["Régions x secteurs"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["P-code région", "Région", "Région (anglais)", "Code secteur"]
    assert "Activités" in headers and "Personnes atteintes" in headers
    assert sheet.max_row - 1 == len(pd.read_csv(built / "aggregates-adm1_sectors.csv"))


def test_spreadsheet_outputs_never_hold_a_formula(built: Path) -> None:
    book = openpyxl.load_workbook(built / "aggregates.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    sectors = [c.value for c in cells if isinstance(c.value, str) and "SUM" in c.value]
    assert sectors and all(v.startswith("'@") for v in sectors)
    for csv_path in built.glob("*.csv"):
        with csv_path.open(encoding="utf-8-sig") as handle:
            values = [v for row in csv.reader(handle) for v in row]
        assert not [v for v in values if v[:1] in ("=", "+", "@")], csv_path.name
    located = pyogrio.read_dataframe(built / "records.gpkg", layer="records")
    assert "'=HYPERLINK(\"http://evil\")" not in located["organisation"].tolist()  # not a sheet
    assert "=HYPERLINK(\"http://evil\")" in located["organisation"].tolist()


def test_hxl_adds_a_hashtag_row_to_csvs_and_the_report(tmp_path, records, capsys) -> None:
    out = tmp_path / "maps"
    assert main(["build", "--records", str(records), "--out", str(out), "--hxl"]) == 0
    with (out / "aggregates-adm1.csv").open(encoding="utf-8-sig") as handle:
        header, tags = next(csv.reader(handle)), next(csv.reader(handle))
    assert header[:2] == ["Country P-code", "Region P-code"]
    assert tags[:3] == ["#country+code", "#adm1+code", "#adm1+name+i_fr"]
    with (out / "join-report.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    # Issue 9: the report gained the cercle, units, a suggested fix and the row as written.
    assert rows[1] == ["#meta+row", "#status", "#adm1+code", "#adm1+name", "#adm2+code",
                       "#adm2+name", "#adm1+code+list", "#meta+method", "#meta+score",
                       "#description", "#meta+fix", "#org", "#sector", "#activity", "#loc"]
    assert len(read_report(out / "join-report.csv")) == 5  # the tag row is not a record
    plain = tmp_path / "plain"
    assert main(["build", "--records", str(records), "--out", str(plain)]) == 0
    with (plain / "aggregates-adm1.csv").open(encoding="utf-8-sig") as handle:
        assert not next(csv.reader(handle))[0].startswith("#")
        assert not next(csv.reader(handle))[0].startswith("#")
