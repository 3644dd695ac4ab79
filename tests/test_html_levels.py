"""Levels are data in the HTML pages: a fourth, fictional level registered at run time is
drawn on the page of a level-3 unit, with its units' names and counts.

The geography is a tiny synthetic one (squares); the JoinResult is built by hand with
the records already carrying every level's unit column, as the join writes them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from browser import launch_browser, open_page, serve

from mali_map._geo import Boundaries
from mali_map._join import JoinResult
from mali_map._reference import LEVEL_BY_KEY, Level, registered_level
from mali_map._render.html import interactive_map

DATA_RE = re.compile(r'<script type="application/json" id="mm-data">(.*?)</script>', re.S)

#: A fourth level, as a registry entry would describe it.
ADM4 = Level(key="adm4", number=4, code_columns=("adm4_pcode",), name_columns=("adm4_name",),
             hints=("adm4_pcode",), max_units=100_000, record_code="adm4_pcode",
             record_name="adm4_name", unit_column="adm4", report_code="adm4_pcode",
             report_name="adm4_name",
             labels={"en": ("Quarter", "Quarters"), "fr": ("Quartier", "Quartiers")})

COMMUNE = "ML010101"
QUARTERS = {"ML01010101": ("Kappa", 3), "ML01010102": ("Lambda", 2)}


def _frame(rows: list[tuple[str, str, str | None, tuple[float, float, float, float]]],
           top: bool = False) -> gpd.GeoDataFrame:
    data = {"pcode": [r[0] for r in rows], "name": [r[1] for r in rows],
            "geometry": [shapely.box(*r[3]) for r in rows]}
    if top:
        data.update(name_fr=data["name"], name_en=data["name"],
                    iso=[f"ML-{i + 1}" for i in range(len(rows))])
    else:
        data["parent_pcode"] = [r[2] for r in rows]
    return gpd.GeoDataFrame(data, geometry="geometry", crs="EPSG:4326")


def _boundaries() -> Boundaries:
    adm1 = _frame([("ML01", "Alpha", None, (-8, 12, -6, 14)),
                   ("ML02", "Beta", None, (-6, 12, -4, 14))], top=True)
    adm2 = _frame([("ML0101", "Gamma", "ML01", (-8, 12, -7, 14)),
                   ("ML0102", "Delta", "ML01", (-7, 12, -6, 14)),
                   ("ML0201", "Epsilon", "ML02", (-6, 12, -4, 14))])
    adm3 = _frame([(COMMUNE, "Zeta", "ML0101", (-8, 12, -7, 13)),
                   ("ML010102", "Eta", "ML0101", (-8, 13, -7, 14)),
                   ("ML010201", "Theta", "ML0102", (-7, 12, -6, 14)),
                   ("ML020101", "Iota", "ML0201", (-6, 12, -4, 14))])
    adm4 = _frame([("ML01010101", "Kappa", COMMUNE, (-8, 12.5, -7, 13)),
                   ("ML01010102", "Lambda", COMMUNE, (-8, 12, -7, 12.5))])
    return Boundaries(adm1=adm1, adm2=adm2, adm3=adm3, finer={"adm4": adm4})


def _result(bounds: Boundaries) -> JoinResult:
    units = [(q, "ML010101") for q, (_, n) in QUARTERS.items() for _ in range(n)]
    units += [(None, "ML010102"), (None, "ML020101")]
    rows = []
    for i, (quarter, commune) in enumerate(units):
        cercle = commune[:6] if commune else None
        lat = 12.75 if quarter == "ML01010101" else 12.25
        rows.append({
            "id": f"R{i}", "organisation": f"Org {i % 2}", "sector": "health",
            "activity": f"Activity {i}", "place": None, "start_date": "2022",
            "end_date": "2023", "status": "ongoing", "reached": 10.0 * (i + 1),
            "targeted": None, "source": "levels.csv", "row": i + 2,
            "pcode": cercle[:4], "admin_name": None, "adm2": cercle, "adm3": commune,
            "adm4": quarter, "join_status": "matched", "units": None, "method": None,
            "score": None, "message": None,
            "geometry": shapely.Point(-7.5, lat) if quarter else None,
        })
    records = gpd.GeoDataFrame(pd.DataFrame(rows), geometry="geometry", crs="EPSG:4326")
    report = pd.DataFrame({"row": records["row"], "status": records["join_status"],
                           "units": records["units"]})
    return JoinResult(records, report, bounds, source="levels.csv")


@pytest.fixture(scope="module")
def fourth_level():
    assert "adm4" not in LEVEL_BY_KEY
    with registered_level(ADM4):
        bounds = _boundaries()
        assert [lv.key for lv in bounds.levels] == ["adm1", "adm2", "adm3", "adm4"]
        yield _result(bounds)
    assert "adm4" not in LEVEL_BY_KEY


def _payload(html: str) -> dict:
    return json.loads(DATA_RE.search(html).group(1))


def test_a_level_3_page_draws_the_fourth_level(fourth_level) -> None:
    page = interactive_map(fourth_level, region=COMMUNE, lang="fr")
    data = _payload(page.html)
    assert data["kind"] == "region" and data["level"] == "adm4"
    drawn = {f["properties"]["p"]: f["properties"]["n"] for f in data["units"]["features"]}
    assert drawn == {p: name for p, (name, _) in QUARTERS.items()}
    # the communes are the context; the heading names the commune with its level
    assert {f["properties"]["p"] for f in data["context"]["features"]} >= {COMMUNE}
    assert "Commune\xa0: Zeta" in page.html
    assert "Quartiers" in page.html  # the drawn level's own label heads its table
    # a unit of any level is found by its name too, and a cercle's page draws communes
    assert _payload(interactive_map(fourth_level, region="Zeta").html)["level"] == "adm4"
    cercle = _payload(interactive_map(fourth_level, region="ML0101").html)
    assert cercle["level"] == "adm3"
    assert {f["properties"]["p"] for f in cercle["units"]["features"]} == {COMMUNE, "ML010102"}


def test_the_fourth_level_in_the_browser(fourth_level, tmp_path: Path) -> None:
    interactive_map(fourth_level, region=COMMUNE, lang="en").save(tmp_path / "commune.html")
    with launch_browser() as browser, serve(tmp_path) as url:
        context, page, guard = open_page(browser, f"{url}/commune.html")
        try:
            state = page.evaluate("window.maliMap.state()")
            assert state["units"] == len(QUARTERS)
            assert state["values"] == {p: n for p, (_, n) in QUARTERS.items()}
            assert state["selected"] == state["onMap"] == sum(n for _, n in QUARTERS.values())
            labels = page.evaluate("""() => Array.from(document.querySelectorAll(
                '.mm-label-unit')).map(s => s.textContent)""")
            assert sorted(labels) == sorted(name for name, _ in QUARTERS.values())
            rows = state["tables"]["mm-units"]
            assert [rows[str(i + 1)]["activities"] for i in range(len(QUARTERS))] == [
                n for _, n in QUARTERS.values()]
            cells = page.locator("#mm-units tbody tr td:first-child").all_inner_texts()
            assert [c for c in cells if c in {"Kappa", "Lambda"}] == [
                name for name, _ in QUARTERS.values()]
            assert guard.clean(), guard.report()
        finally:
            context.close()
