"""Pages that carry aggregates: every number against a record-level oracle, size budgets,
points above and below the cap, shared geometry, parallel rendering.

The oracle (``synthetic.oracle``) counts record by record from the JoinResult in
plain Python; it never touches the page cube or the metric registry.
"""

from __future__ import annotations

import itertools
import json
import math
import random
import re
from pathlib import Path

import numpy as np
import pytest
import shapely
from browser import launch_browser, open_page, serve
from synthetic_result import active, oracle, several_units, synthetic_result

import mali_map
from mali_map._geo import _geometry
from mali_map._measure._classify import classify
from mali_map._reference._names import unit_name
from mali_map._reference._vocabulary import sector_label
from mali_map._render.html import interactive_map, render_site
from mali_map._render.html._encode import decode_table, encode_table
from mali_map._render.html._points import POINT_CAP
from mali_map._render.html._strings import status_label
from mali_map._render.html._values import format_number

DATA_RE = re.compile(r'<script type="application/json" id="mm-data">(.*?)</script>', re.S)
METRICS = ("activities", "organisations", "reached", "targeted")
TABLES_JS = """() => Array.from(document.querySelectorAll('table.mm-table')).map(t => ({
  id: t.id,
  rows: Array.from(t.querySelectorAll('tbody tr')).map(tr => ({
    g: tr.getAttribute('data-g'), hidden: tr.hidden,
    label: tr.querySelector('td').textContent,
    cells: Object.fromEntries(Array.from(tr.querySelectorAll('td[data-m]')).map(
      td => [td.getAttribute('data-m'), td.textContent]))}))}))"""


def payload_of(path: Path) -> dict:
    return json.loads(DATA_RE.search(path.read_text("utf-8")).group(1))


def records_of(result) -> list[dict]:
    frame = result.records
    out = []
    for r in frame.drop(columns="geometry").to_dict("records"):
        for key in ("organisation", "status", "sector"):
            value = r[key]
            r[key] = value.strip() if isinstance(value, str) else ""
        r["pcode"] = r["pcode"] if isinstance(r["pcode"], str) and r["pcode"] else None
        out.append(r)
    for r, geom in zip(out, frame.geometry, strict=True):
        r["located"] = geom is not None and not geom.is_empty
        r["lon"], r["lat"] = (geom.x, geom.y) if r["located"] else (None, None)
    return out


def same(got: object, want: float) -> bool:
    if want != want:  # nan: the page shows no value
        return got is None
    return got is not None and math.isclose(float(got), want, rel_tol=1e-9, abs_tol=1e-9)


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def browser():
    with launch_browser() as b:
        yield b


@pytest.fixture(scope="module")
def messy():
    return synthetic_result(3000, seed=11, orgs=25, located=0.3, multi=0.08)


@pytest.fixture(scope="module")
def messy_site(messy, tmp_path_factory):
    root = tmp_path_factory.mktemp("messy")
    render_site(messy, root, lang="en")
    with serve(root) as url:
        yield url, root


# --------------------------------------------------------------------------- oracle

class Combo:
    """One random filter combination and the records it selects."""

    def __init__(self, rng: random.Random, records: list[dict], options: dict) -> None:
        def pick(values: list) -> object:
            return rng.choice(values) if values and rng.random() < 0.6 else None

        self.sector = pick(options["sectors"])
        self.org = pick(options["orgs"])
        self.status = pick(options["statuses"])
        self.year = pick(options["years"])
        self.metric = rng.choice(METRICS)

    def keeps(self, r: dict) -> bool:
        return ((self.sector is None or r["sector"] == self.sector)
                and (self.org is None or r["organisation"] == self.org)
                and (self.status is None or r["status"] == self.status)
                and (self.year is None or active(r, self.year)))

    def apply(self, page) -> None:
        page.click("#mm-reset")
        page.select_option("#mm-metric", self.metric)
        if self.sector is not None:
            page.select_option("#mm-f-sector", label=sector_label(self.sector, "en")
                               if self.sector else "(no sector)")
        if self.org is not None:
            page.select_option("#mm-f-org", label=self.org)
        if self.status is not None:
            page.select_option("#mm-f-status", label=status_label(self.status, "en"))
        if self.year is not None:
            page.select_option("#mm-f-year", str(self.year))

    def __repr__(self) -> str:
        return (f"Combo(sector={self.sector!r}, org={self.org!r}, status={self.status!r}, "
                f"year={self.year!r}, metric={self.metric!r})")


def _options(records: list[dict]) -> dict:
    years = sorted({y for r in records for y in range(2010, 2030) if active(r, y)})
    return {"sectors": sorted({r["sector"] for r in records}),
            "orgs": sorted({r["organisation"] for r in records} - {""}),
            "statuses": sorted({r["status"] for r in records} - {""}),
            "years": years}


def _check_table(table: dict, expected: dict, label_of, combo: Combo) -> int:
    """Visible rows equal ``expected`` (group -> metric -> value); returns rows checked."""
    checked = 0
    for row in table["rows"]:
        if row["g"] in ("all", "off"):
            continue
        key = label_of(row)
        want = expected.get(key)
        if want is None or want["activities"] == 0:
            assert row["hidden"] or all(t in ("0", "–") for t in row["cells"].values()), (
                combo, table["id"], row)
            continue
        assert not row["hidden"], (combo, table["id"], row)
        for m, shown in row["cells"].items():
            if m == "units":
                continue
            assert shown == format_number(want[m], "en"), (combo, table["id"], row, m, want)
        checked += 1
    return checked


def _by(records: list[dict], key: str) -> dict:
    """Oracle per value of ``key``: {value: {metric: number}}."""
    stats = oracle(records, unit_key=key)
    return {g: {m: stats[m][g] for m in METRICS} for g in stats["activities"]}


def test_every_number_equals_a_record_level_count(browser, messy, messy_site) -> None:
    """50 random filter x metric combinations on the overview, 12 on a sector page and
    12 on a region page: unit values of every metric, choropleth class of every unit,
    counts, legend and every summary table cell equal the oracle's. Some records are
    placed in several regions: per region they count in each (not their people), in
    the counts and the other tables once; on a region page they are that region's
    records not placed in a cercle, without their people (a region's share of them is
    not known)."""
    url, _root = messy_site
    records = records_of(messy)
    classes = {}
    for key in ("pcode", "adm2"):  # regions, cercles: classes of the country-wide totals
        unfiltered = oracle(records, unit_key=key)
        classes[key] = {m: classify([v for u, v in unfiltered[m].items() if u is not None])
                        for m in METRICS}
    rng = random.Random(2024)
    assert (messy.boundaries.adm2["parent_pcode"] == "ML07").any()  # Gao's page maps cercles
    assert sum("ML07" in several_units(r) for r in records) > 100  # some placed in several
    gao = [r for r in records if r["pcode"] == "ML07"] + [  # Gao's share: no people
        dict(r, reached=None, targeted=None) for r in records if "ML07" in several_units(r)]
    pages = [("index.html", records, 50, "pcode"),
             ("sectors/wash.html", [r for r in records if r["sector"] == "wash"], 12, "pcode"),
             ("regions/gao.html", gao, 12, "adm2")]
    cells = 0
    for path, mine, rounds, key in pages:
        options = _options(mine)
        context, page, guard = open_page(browser, f"{url}/{path}")
        try:
            units = page.evaluate("Object.keys(window.maliMap.state().values)")
            for _ in range(rounds):
                combo = Combo(rng, mine, options)
                before = page.evaluate("window.maliMap.state().updates")
                combo.apply(page)
                state = page.evaluate("window.maliMap.state()")
                assert state["updates"] > before
                selected = [r for r in mine if combo.keeps(r)]
                want = oracle(selected, unit_key=key)
                placed = [r for r in selected if (isinstance(r[key], str) and r[key])
                          or (key == "pcode" and several_units(r))]
                assert state["selected"] == len(selected), combo
                assert state["onMap"] == len(placed), combo
                assert state["notOnMap"] == len(selected) - len(placed), combo
                shown = page.locator("#mm-not-on-map-n").inner_text()
                assert shown == format_number(len(selected) - len(placed), "en")
                for m in METRICS:
                    for unit in units:
                        value = want[m].get(unit, 0 if m in ("activities", "organisations")
                                            else float("nan"))
                        assert same(state["metrics"][m][unit], value), (combo, m, unit, value,
                                                                         state["metrics"][m])
                        cells += 1
                for unit in units:
                    value = want[combo.metric].get(unit, 0)
                    assert state["fills"][unit].lower() == classes[key][
                        combo.metric].colour_for(value if value == value else 0).lower(), (
                        combo, unit)
                legend = page.locator("#mm-legend .mm-legend-row")
                assert legend.count() == len(classes[key][combo.metric].bounds) + 1
                tables = {t["id"]: t for t in page.evaluate(TABLES_JS)}
                if path == "index.html":
                    summary = tables["mm-summary"]
                    by_name = {r["label"]: r for r in summary["rows"]}
                    names = {unit_name(p, "en"): p  # English page
                             for p in messy.boundaries.adm1["pcode"]}
                    expected = {u: {m: want[m].get(u, 0 if m in ("activities",
                                                                  "organisations")
                                                   else float("nan")) for m in METRICS}
                                for u in names.values()}
                    for name, pcode in names.items():
                        for m in METRICS:
                            assert by_name[name]["cells"][m] == format_number(
                                expected[pcode][m], "en"), (combo, name, m)
                            cells += 1
                    total = {m: oracle([dict(r, pcode="x", units=None) for r in placed])[m].get(
                        "x", 0 if m in ("activities", "organisations") else float("nan"))
                        for m in METRICS}
                    off = {m: want[m].get(None, 0 if m in ("activities", "organisations")
                                          else float("nan")) for m in METRICS}
                    rows = {r["g"]: r for r in summary["rows"]}
                    for m in METRICS:
                        assert rows["all"]["cells"][m] == format_number(total[m], "en"), combo
                        assert rows["off"]["cells"][m] == format_number(off[m], "en"), combo
                else:
                    by_org = _by(selected, "organisation")
                    by_org[""] = by_org.pop(None, None)
                    table = tables["mm-organisations" if "sectors" in path else "mm-activities"]
                    cells += _check_table(
                        table, by_org,
                        lambda row: "" if row["label"] == "(no organisation)" else row["label"],
                        combo)
                    if "sectors" in path:
                        for row in table["rows"]:
                            if row["hidden"] or row["label"] == "(no organisation)":
                                continue
                            regions = {unit_name(p, "en") for r in placed
                                       if r["organisation"] == row["label"]
                                       for p in several_units(r) or [r["pcode"]]}
                            got = set(filter(None, row["cells"]["units"].split(", ")))
                            assert got == regions, (combo, row)
                    else:
                        labels = {sector_label(s, "en") if s else "(no sector)": s
                                  for s in options["sectors"]}
                        by_sector = _by([dict(r, sector=r["sector"] or "-") for r in selected],
                                        "sector")
                        cells += _check_table(
                            tables["mm-sectors"], by_sector,
                            lambda row, labels=labels: labels[row["label"]] or "-", combo)
            assert guard.clean(), guard.report()
        finally:
            context.close()
    assert cells > 3000  # numbers actually compared


def test_seed_overview_unit_values_equal_the_aggregates(browser, seed_result, tmp_path) -> None:
    """The seed's 2 "northern Mali" records count in each of Tombouctou, Gao and Kidal on
    the overview as in ``unit_totals``/``aggregate`` (so as on the static maps and in the
    data outputs): every metric, every unit, all sectors and each sector, choropleth
    colours and the summary table; the counts show each record once."""
    records = seed_result.records
    assert (records["join_status"] == "multi").sum() == 2
    placed = int(records["pcode"].notna().sum())
    render_site(seed_result, tmp_path, lang="en")
    totals = mali_map.unit_totals(seed_result).set_index("pcode")
    assert totals.loc["ML08", "activities"] == 2  # Kidal: only the northern Mali rows
    by_sector = mali_map.aggregate(seed_result).set_index(["sector", "pcode"])
    names = {unit_name(p, "en"): p for p in totals.index}  # English page
    colours = {m: mali_map.metric_classes(seed_result, m) for m in METRICS}
    checked = 0
    with serve(tmp_path) as url:
        context, page, guard = open_page(browser, f"{url}/index.html")
        try:
            state = page.evaluate("window.maliMap.state()")
            assert state["selected"] == state["records"] == len(records)
            assert state["onMap"] == placed + 2 and state["notOnMap"] == len(records) - placed - 2
            summary = {r["label"]: r for t in page.evaluate(TABLES_JS) if t["id"] == "mm-summary"
                       for r in t["rows"]}
            for m in METRICS:
                page.select_option("#mm-metric", m)
                fills = page.evaluate("window.maliMap.state().fills")
                for pcode, want in totals[m].items():
                    assert same(state["metrics"][m][pcode], want), (m, pcode, want)
                    assert fills[pcode].lower() == colours[m].colour_for(
                        want if want == want else 0).lower(), (m, pcode)
                    checked += 1
                for name, pcode in names.items():
                    assert summary[name]["cells"][m] == format_number(totals.loc[pcode, m],
                                                                      "en"), (m, name)
            for sector in by_sector.index.get_level_values("sector").unique():
                page.select_option("#mm-f-sector", label=sector_label(sector, "en"))
                got = page.evaluate("window.maliMap.state().metrics")
                for m in METRICS:
                    for pcode in totals.index:
                        want = (by_sector.loc[(sector, pcode), m] if (sector, pcode) in
                                by_sector.index else
                                0 if m in ("activities", "organisations") else float("nan"))
                        assert same(got[m][pcode], want), (sector, m, pcode, want)
                        checked += 1
            assert guard.clean(), guard.report()
        finally:
            context.close()
    assert checked > 100


# --------------------------------------------------------------------------- size

def test_100k_rows_overview_stays_under_its_budget(tmp_path: Path) -> None:
    """Every field drawn independently (the worst case for the cube); no page over 3 MB."""
    result = synthetic_result(100_000, seed=5)
    files = render_site(result, tmp_path)
    sizes = {p.relative_to(tmp_path.resolve()).as_posix(): p.stat().st_size for p in files}
    assert sizes["index.html"] <= 1_500_000, sizes["index.html"]
    assert max(sizes.values()) <= 3_000_000, sizes
    payload = payload_of(tmp_path / "index.html")
    assert "records" not in payload and payload["points"]["mode"] == "grid"
    cube = decode_table(payload["cube"])
    assert cube["n"].sum() == 100_000


# --------------------------------------------------------------------------- points

def _cells(points: list[dict], grid: dict) -> dict[int, int]:
    out: dict[int, int] = {}
    for r in points:
        ix = math.floor(round((r["lon"] - grid["west"]) / grid["size"], 9))
        iy = math.floor(round((r["lat"] - grid["south"]) / grid["size"], 9))
        cell = iy * grid["nx"] + ix
        out[cell] = out.get(cell, 0) + 1
    return out


def test_points_markers_below_the_cap_grid_cells_above(browser, tmp_path: Path) -> None:
    result = synthetic_result(6000, seed=3, located=0.6)
    render_site(result, tmp_path)
    records = records_of(result)
    located = [r for r in records if r["located"] and r["pcode"]]
    assert len(located) > POINT_CAP
    gao = [r for r in located if r["pcode"] == "ML07"]
    assert 0 < len(gao) <= POINT_CAP
    overview = payload_of(tmp_path / "index.html")["points"]
    assert overview["mode"] == "grid"
    assert not {"id", "activity", "lat", "lon", "place"} & set(overview), "no record list"
    with serve(tmp_path) as url:
        context, page, guard = open_page(browser, f"{url}/index.html")
        try:
            state = page.evaluate("window.maliMap.state()")
            assert state["mode"] == "grid" and state["markers"] == 0
            assert state["points"] == len(located)
            grid = {k: overview[k] for k in ("west", "south", "size", "nx")}
            assert {int(k): v for k, v in state["grid"].items()} == _cells(located, grid)
            note = page.locator("#mm-points-note")
            assert str(POINT_CAP) in note.inner_text().replace(",", "")
            assert note.locator("a").first.get_attribute("href") == "join-report.csv"
            assert page.locator("#mm-records-link").get_attribute("href") == "records.gpkg"
            assert page.locator("#mm-legend-grid").count() == 1
            # counts follow the filters and the sector layers
            page.select_option("#mm-f-status", label=status_label("ongoing", "en"))
            page.select_option("#mm-f-year", "2020")
            chosen = [r for r in located if r["status"] == "ongoing" and active(r, 2020)]
            state = page.evaluate("window.maliMap.state()")
            assert state["points"] == len(chosen) > 0
            assert {int(k): v for k, v in state["grid"].items()} == _cells(chosen, grid)
            page.uncheck("input.mm-layer-sector[data-sector='0']")
            first = payload_of(tmp_path / "index.html")["sectors"][0]["k"]
            visible = [r for r in chosen if r["sector"] != first]
            state = page.evaluate("window.maliMap.state()")
            assert {int(k): v for k, v in state["grid"].items()} == _cells(visible, grid)
            # a grid cell shows its count when hovered
            cell, count = max(state["grid"].items(), key=lambda kv: kv[1])
            cell = int(cell)
            lat = grid["south"] + (cell // grid["nx"] + 0.5) * grid["size"]
            lon = grid["west"] + (cell % grid["nx"] + 0.5) * grid["size"]
            page.evaluate(f"window.maliMap.map.setView([{lat}, {lon}], 9, {{animate: false}})")
            box = page.locator("#mm-map").bounding_box()
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            tip = page.locator(".leaflet-tooltip").last.inner_text()
            assert tip == f"{format_number(count, 'en')} records", tip
            assert guard.clean(), guard.report()
        finally:
            context.close()
        context, page, guard = open_page(browser, f"{url}/regions/gao.html")
        try:
            state = page.evaluate("window.maliMap.state()")
            assert state["mode"] == "markers" and state["markers"] == len(gao)
            assert state["points"] == len(gao)
            assert page.locator("#mm-points-note").count() == 0
            lat, lon = page.evaluate("window.maliMap.markerLatLngs()")[0]
            page.evaluate(f"window.maliMap.map.setView([{lat}, {lon}], 16, {{animate: false}})")
            marker = page.locator("#mm-map .leaflet-marker-pane .mm-pt")
            marker.first.wait_for()
            marker.first.click()
            popup = page.locator(".leaflet-popup-content").inner_text()
            assert "Activity " in popup and "Row" in popup
            assert guard.clean(), guard.report()
        finally:
            context.close()


# --------------------------------------------------------------------------- geometry

def test_boundaries_are_simplified_once_as_a_coverage(geoboundaries: Path, tmp_path: Path,
                                                      monkeypatch) -> None:
    from mali_map._geo._boundaries import load_boundaries
    bounds = load_boundaries(adm2=geoboundaries / "geoBoundaries-MLI-ADM2_simplified.geojson")
    simple = _geometry.simplify_units(bounds.adm2, _geometry.ADM2_TOLERANCE)
    geoms = list(simple.geometry)
    assert all(g.is_valid for g in geoms)
    tree = shapely.STRtree(geoms)
    overlap = sum(shapely.area(shapely.intersection(geoms[i], geoms[j]))
                  for i, j in zip(*tree.query(geoms, predicate="intersects"), strict=True)
                  if i < j)
    assert overlap < 1e-9, overlap  # neighbours share their simplified edges exactly
    before = shapely.union_all(list(bounds.adm2.geometry)).area
    assert abs(shapely.union_all(geoms).area - before) < 1e-3 * before
    fewer = shapely.get_num_coordinates(np.asarray(geoms)).sum()
    assert fewer < shapely.get_num_coordinates(bounds.adm2.geometry.values).sum()
    # once per build, shared by every page
    calls = []
    original = _geometry.simplify_boundaries

    def counting(b):
        calls.append(b)
        return original(b)

    monkeypatch.setattr("mali_map._render.html._build.simplify_boundaries", counting)
    result = synthetic_result(500, seed=2, boundaries=bounds)
    files = render_site(result, tmp_path)
    assert len(files) > 5 and len(calls) == 1
    gao = payload_of(tmp_path / "regions" / "gao.html")
    want = {p: g for p, g in zip(simple["pcode"], simple.geometry, strict=True)}
    for feature in gao["units"]["features"]:
        got = shapely.geometry.shape(feature["geometry"])
        assert got.equals_exact(want[feature["properties"]["p"]], 1e-9)


# --------------------------------------------------------------------------- build

def test_parallel_rendering_writes_the_same_files(tmp_path: Path) -> None:
    result = synthetic_result(4000, seed=9)
    one = render_site(result, tmp_path / "one", workers=1)
    two = render_site(result, tmp_path / "two", workers=2)
    assert [p.relative_to(tmp_path / "one") for p in one] == [
        p.relative_to(tmp_path / "two") for p in two]
    for a, b in zip(one, two, strict=True):
        assert a.read_bytes() == b.read_bytes(), a


def test_encoding_round_trips_every_kind_of_column() -> None:
    rng = np.random.default_rng(0)
    rows = 5000
    dims = [("a", rng.integers(0, 7, rows), 7), ("b", rng.integers(0, 300, rows), 300)]
    key = dims[0][1] * 300 + dims[1][1]
    _, first = np.unique(key, return_index=True)
    dims = [(name, codes[first], size) for name, codes, size in dims]
    n = rng.integers(1, 9, len(first)).astype(float)
    values = [("n", n), ("half", rng.integers(0, 10**6, len(first)) / 2),
              ("neg", rng.integers(-5, 5, len(first)).astype(float)),
              ("big", rng.integers(0, 2**50, len(first)).astype(float)),
              ("real", rng.random(len(first))), ("stated", n - rng.integers(0, 2, len(first)))]
    table = encode_table(dims, values, {"stated": "n"})
    decoded = decode_table(table)
    order = np.argsort(dims[0][1] * 300 + dims[1][1], kind="stable")
    for name, codes, _ in dims:
        assert decoded[name].tolist() == codes[order].tolist()
    for name, column in values:
        assert np.array_equal(decoded[name], column[order]), name
    kinds = {c["name"]: c for c in table["columns"]}
    assert kinds["half"]["scale"] == 10 and kinds["real"]["enc"] == "f"
    assert kinds["stated"]["minus"] == "n"


def test_single_page_api_still_works_at_scale() -> None:
    result = synthetic_result(20_000, seed=4)
    page = interactive_map(result, sector="health", lang="fr")
    assert len(page) < 1_500_000
    payload = json.loads(DATA_RE.search(page.html).group(1))
    assert decode_table(payload["cube"])["n"].sum() == int(
        (result.records["sector"] == "health").sum())
    assert list(itertools.islice(payload["metrics"], 4)) == list(METRICS)
