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


# ------------------------------------------------------- outputs follow the level registry


def _square(x: float, y: float, size: float = 1.0):
    from shapely.geometry import box

    return box(x, y, x + size, y + size)


def _four_level_result():
    """A hand-built result on a tiny geography of 4 levels (the 4th fictional): 1 region,
    2 cercles, 3 communes, 4 quarters; 5 records placed at every level they can be."""
    import geopandas as gpd

    from mali_map._geo import Boundaries
    from mali_map._join import JoinResult

    def units(rows, parent=True):
        frame = pd.DataFrame(rows, columns=["pcode", "name", "parent_pcode", "x"])
        if not parent:
            frame = frame.drop(columns="parent_pcode")
        frame["name_fr"] = frame["name"]
        frame["name_en"] = frame["name"]
        return gpd.GeoDataFrame(frame.drop(columns="x"),
                                geometry=[_square(x, 0) for x in frame["x"]], crs="EPSG:4326")

    adm1 = units([("ML01", "Alpha", None, 0)], parent=False)
    adm2 = units([("ML0101", "Beta", "ML01", 0), ("ML0102", "Gamma", "ML01", 1)])
    adm3 = units([("ML010101", "Delta", "ML0101", 0), ("ML010102", "Eps", "ML0101", 0.5),
                  ("ML010201", "Zeta", "ML0102", 1)])
    adm4 = units([("ML01010101", "Q1", "ML010101", 0), ("ML01010102", "Q2", "ML010101", 0.2),
                  ("ML01010201", "Q3", "ML010102", 0.5), ("ML01020101", "Q4", "ML010201", 1)])
    boundaries = Boundaries(adm1=adm1, adm2=adm2, adm3=adm3, finer={"adm4": adm4})
    placed = [  # pcode, adm2, adm3, adm4, sector, organisation
        ("ML01", "ML0101", "ML010101", "ML01010101", "health", "HI"),
        ("ML01", "ML0101", "ML010101", "ML01010101", "wash", "HI"),
        ("ML01", "ML0101", "ML010101", "ML01010102", "health", "UNICEF"),
        ("ML01", "ML0101", "ML010102", None, "health", "HI"),
        ("ML01", "ML0102", "ML010201", "ML01020101", "wash", "ACF"),
    ]
    records = gpd.GeoDataFrame({
        "row": range(2, 2 + len(placed)),
        "pcode": [p[0] for p in placed], "admin_name": "Alpha",
        "adm2": [p[1] for p in placed], "adm3": [p[2] for p in placed],
        "adm4": [p[3] for p in placed],
        "sector": [p[4] for p in placed], "organisation": [p[5] for p in placed],
        "activity": "x", "reached": float("nan"), "targeted": float("nan"),
        "join_status": "matched", "units": pd.array([None] * len(placed), dtype="string"),
    }, geometry=[None] * len(placed), crs="EPSG:4326")
    report = pd.DataFrame({"row": records["row"], "status": records["join_status"]})
    return JoinResult(records, report, boundaries, source="four-levels.csv")


def test_a_fourth_registered_level_gets_its_own_layer_sheet_and_csvs(tmp_path):
    import dataclasses

    from mali_map._reference import LEVELS, registered_level

    third = LEVELS[2]
    quarter = dataclasses.replace(
        third, key="adm4", number=4, record_code="", record_name="", unit_column="adm4",
        report_code="adm4_pcode", report_name="adm4_name",
        labels={"en": ("Quarter", "Quarters"), "fr": ("Quartier", "Quartiers")})
    with registered_level(quarter):
        result = _four_level_result()
        assert [lv.key for lv in result.boundaries.levels] == ["adm1", "adm2", "adm3", "adm4"]
        written = [p.name for p in write_data_outputs(result, tmp_path, lang="fr", hxl=True)]
    for key in ("adm1", "adm2", "adm3", "adm4"):
        assert f"aggregates-{key}.csv" in written
        assert f"aggregates-{key}_sectors.csv" in written
    assert set(pyogrio.list_layers(tmp_path / "records.gpkg")[:, 0]) == {
        "records", "adm1", "adm1_sectors", "adm2", "adm2_sectors", "adm3", "adm3_sectors",
        "adm4", "adm4_sectors"}
    quarters = pyogrio.read_dataframe(tmp_path / "records.gpkg", layer="adm4")
    counts = dict(zip(quarters["admin4Pcode"], quarters["activities"], strict=True))
    assert counts == {"ML01010101": 2, "ML01010102": 1, "ML01010201": 0, "ML01020101": 1}
    assert dict(zip(quarters["admin4Pcode"], quarters["admin3Pcode"], strict=True))[
        "ML01010102"] == "ML010101"
    organisations = dict(zip(quarters["admin4Pcode"], quarters["organisations"], strict=True))
    assert organisations["ML01010101"] == 1
    by_sector = pyogrio.read_dataframe(tmp_path / "records.gpkg", layer="adm4_sectors")
    assert sorted(zip(by_sector["admin4Pcode"], by_sector["sector"],
                      by_sector["activities"], strict=True)) == [
        ("ML01010101", "health", 1), ("ML01010101", "wash", 1),
        ("ML01010102", "health", 1), ("ML01020101", "wash", 1)]
    communes = pyogrio.read_dataframe(tmp_path / "records.gpkg", layer="adm3")
    assert dict(zip(communes["admin3Pcode"], communes["activities"], strict=True)) == {
        "ML010101": 3, "ML010102": 1, "ML010201": 1}
    layer = pyogrio.read_dataframe(tmp_path / "records.gpkg", layer="records")
    assert [c for c in layer.columns if c.startswith("admin")][-3:] == [
        "admin4Pcode", "admin4Name_fr", "admin4Name_en"]
    book = openpyxl.load_workbook(tmp_path / "aggregates.xlsx", read_only=True)
    assert book.sheetnames[-2:] == ["Quartiers", "Quartiers x secteurs"]
    assert book.sheetnames[:2] == ["Régions", "Régions x secteurs"]
    with (tmp_path / "aggregates-adm4.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert "#adm4+code" in rows[1] and "#adm3+code" in rows[1]
    assert len(rows) == 2 + 4  # header, HXL row, one row per quarter
