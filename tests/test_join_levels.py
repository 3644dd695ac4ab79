"""The join for any number of levels (issue 16 item 3): a fictional fourth level, registered
at runtime on a tiny synthetic geography, flows through ``mali_map.join``."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

import mali_map
from mali_map import Boundaries
from mali_map._join import joined_levels, report_columns
from mali_map._join._model import REPORT_COLUMNS
from mali_map._reference import Level, registered_level

QUARTER = Level(key="adm4", number=4, code_columns=("adm4_pcode",),
                name_columns=("adm4_name",), hints=("adm4_pcode",), max_units=100000,
                record_code="adm4_pcode", record_name="adm4_name", unit_column="adm4",
                report_code="adm4_pcode", report_name="adm4_name",
                labels={"en": ("Quarter", "Quarters"), "fr": ("Quartier", "Quartiers")})


def _units(rows: list[tuple[str, str, str | None, tuple[float, float, float, float]]]
           ) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"pcode": [r[0] for r in rows], "name": [r[1] for r in rows],
                             "parent_pcode": [r[2] for r in rows]},
                            geometry=[box(*r[3]) for r in rows], crs="EPSG:4326")


@pytest.fixture
def geography():
    """One region, one cercle, one commune and two quarters side by side (as squares); a
    second region beside the first, for a row naming the wrong region."""
    whole = (-8.0, 12.0, -7.0, 13.0)
    with registered_level(QUARTER):
        yield Boundaries(
            adm1=_units([("ML01", "Région Un", None, whole),
                         ("ML02", "Région Deux", None, (-7.0, 12.0, -6.0, 13.0))]
                        ).drop(columns="parent_pcode"),
            adm2=_units([("ML0101", "Cercle Un", "ML01", whole)]),
            adm3=_units([("ML010101", "Commune Un", "ML0101", whole)]),
            finer={"adm4": _units([
                ("ML01010101", "Quartier Nord", "ML010101", (-8.0, 12.5, -7.0, 13.0)),
                ("ML01010102", "Quartier Sud", "ML010101", (-8.0, 12.0, -7.0, 12.5))])})


def _records() -> pd.DataFrame:
    return pd.DataFrame({
        "organisation": ["A", "B", "C", "D"],
        "adm1_pcode": [None, None, None, "ML02"],
        "adm4_pcode": ["ML01010101", None, None, "ML01010102"],
        "adm4_name": [None, "Quartier Sud", None, None],
        "latitude": [None, None, 12.25, None],
        "longitude": [None, None, -7.5, None],
    })


def test_the_fourth_level_is_loaded_and_joined(geography):
    assert [lv.key for lv in geography.levels] == ["adm1", "adm2", "adm3", "adm4"]
    assert [lv.key for lv in joined_levels(geography)] == ["adm1", "adm2", "adm3", "adm4"]
    result = mali_map.join(_records(), geography)
    records, report = result.records, result.report
    assert records["adm4"].tolist() == ["ML01010101", "ML01010102", "ML01010102",
                                        "ML01010102"]
    assert records["adm3"].tolist() == ["ML010101"] * 4
    assert records["adm2"].tolist() == ["ML0101"] * 4
    assert records["pcode"].tolist() == ["ML01"] * 4
    assert records["admin_name"].tolist() == ["Région Un"] * 4
    assert report["method"].tolist()[:3] == ["pcode", "name", "coordinates"]
    assert report["status"].tolist() == ["matched", "matched", "matched", "warning"]


def test_a_contradictory_row_keeps_the_finer_unit_with_a_conflict(geography):
    result = mali_map.join(_records(), geography)
    row = result.report.iloc[3]
    assert row["adm4_pcode"] == "ML01010102" and row["pcode"] == "ML01"
    assert bool(result.records["conflict"].iloc[3]) and row["status"] == "warning"
    assert row["message"] == ("conflict: region 'ML02' is 'Région Deux' but quarter "
                              "'ML01010102' lies in 'Région Un'; used the quarter (the more "
                              "precise unit)")


def test_the_report_has_the_fourth_level_columns(geography):
    report = mali_map.join(_records(), geography).report
    columns = report_columns(joined_levels(geography))
    assert list(report.columns) == list(columns)
    assert columns[:10] == ("row", "status", "pcode", "admin_name", "adm2_pcode", "adm2_name",
                            "adm3_pcode", "adm3_name", "adm4_pcode", "adm4_name")
    assert report["adm4_name"].tolist() == ["Quartier Nord", "Quartier Sud", "Quartier Sud",
                                            "Quartier Sud"]
    assert report["adm3_name"].tolist() == ["Commune Un"] * 4
    assert report["adm2_name"].tolist() == ["Cercle Un"] * 4


def test_a_quarter_named_without_its_boundaries_is_a_failure():
    top = _units([("ML01", "Région Un", None, (-8.0, 12.0, -7.0, 13.0))])
    with registered_level(QUARTER):
        result = mali_map.join(pd.DataFrame({"adm4_name": ["Quartier Sud"]}),
                               Boundaries(adm1=top.drop(columns="parent_pcode")), lang="fr")
    assert result.report["status"].tolist() == ["unmatched"]
    assert result.report["message"].iloc[0] == ("quartier 'Quartier Sud' indiqué mais aucune "
                                                 "limite ADM4 chargée")
    assert result.records["adm4"].tolist() == [None]
    assert list(result.report.columns)[4:8] == ["adm2_pcode", "adm2_name", "adm4_pcode",
                                                "adm4_name"]


def test_two_levels_keep_todays_columns():
    assert REPORT_COLUMNS == report_columns() == (
        "row", "status", "pcode", "admin_name", "adm2_pcode", "adm2_name", "units", "method",
        "score", "message", "suggestion", "organisation", "sector", "activity", "location")
    records = mali_map.join(pd.DataFrame({"adm1_name": ["Mopti"]}),
                            mali_map.load_boundaries()).records
    assert [c for c in records.columns if c in ("pcode", "admin_name", "adm2", "adm3")] == [
        "pcode", "admin_name", "adm2"]
