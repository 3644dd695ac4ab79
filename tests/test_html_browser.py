"""The interactive pages in a real browser (system Chromium via Playwright), offline.

Every request other than the page itself is aborted and counted; any console
error or page error fails the test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser import (
    CANARIES,
    canary_result,
    launch_browser,
    open_page,
    sample_result,
    sample_rows,
    serve,
)

from mali_map._measure._aggregate import metric_classes
from mali_map._measure._classify import NO_DATA_COLOUR
from mali_map._reference._vocabulary import sector_label
from mali_map._render.html import render_site
from mali_map._render.html._strings import status_label

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
LANGS = ("en", "fr")
#: page -> (records on it, pcode filter, sector filter, polygons drawn)
PAGES = {
    "index.html": (None, None, 9),
    "regions/gao.html": ("ML07", None, 1),
    "sectors/health.html": (None, "health", 9),
}
POLYGONS = "#mm-map .leaflet-overlay-pane path.leaflet-interactive"
DRAWN_POINTS_JS = """() => {
  const pane = document.querySelector('#mm-map .leaflet-marker-pane');
  const singles = pane.querySelectorAll('.mm-pt').length;
  let clustered = 0;
  pane.querySelectorAll('.mm-cluster span').forEach(s => {
    clustered += parseInt(s.textContent.replace(/\\D/g, ''), 10);
  });
  return singles + clustered;
}"""


# --------------------------------------------------------------------------- oracle

def rows_for(pcode: str | None = None, sector: str | None = None) -> list[dict]:
    rows = sample_rows()
    if pcode:
        rows = [r for r in rows if r["pcode"] == pcode]
    if sector:
        rows = [r for r in rows if r["sector"] == sector]
    return rows


def active_in(row: dict, year: int) -> bool:
    if not row["start"]:
        return False
    y0 = int(row["start"][:4])
    y1 = int(row["end"][:4]) if row["end"] else y0
    return y0 <= year <= max(y0, y1)


def expected_values(rows: list[dict], metric: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for pcode in {r["pcode"] for r in rows if r["pcode"]}:
        mine = [r for r in rows if r["pcode"] == pcode]
        if metric == "activities":
            out[pcode] = len(mine)
        elif metric == "organisations":
            out[pcode] = len({r["organisation"] for r in mine})
        else:
            out[pcode] = sum(r["reached"] for r in mine if r["reached"] is not None)
    return out


def points_of(rows: list[dict]) -> int:
    return sum(1 for r in rows if r["lat"] is not None and r["pcode"])


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def browser():
    with launch_browser() as b:
        yield b


@pytest.fixture(scope="module")
def result():
    return sample_result()


@pytest.fixture(scope="module")
def base(result, tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("html")
    for lang in LANGS:
        render_site(result, root / lang, lang=lang)
    render_site(result, root / "osm", lang="en", tiles="osm")
    render_site(canary_result(), root / "canary", lang="en")
    with serve(root) as url:
        yield url, root


def opened(browser, url: str, **kw):
    return open_page(browser, url, **kw)


def nonzero(values: dict) -> dict:
    return {k: v for k, v in values.items() if v}


# --------------------------------------------------------------------------- tests

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders_offline_with_the_right_features(browser, base, lang: str,
                                                      path: str) -> None:
    url, _ = base
    pcode, sector, polygons = PAGES[path]
    rows = rows_for(pcode, sector)
    context, page, guard = opened(browser, f"{url}/{lang}/{path}")
    try:
        assert page.locator(POLYGONS).count() == polygons
        assert page.evaluate(DRAWN_POINTS_JS) == points_of(rows)
        state = page.evaluate("window.maliMap.state()")
        assert state["records"] == state["selected"] == len(rows)
        assert state["notOnMap"] == sum(1 for r in rows if not r["pcode"])
        assert nonzero(state["values"]) == expected_values(rows, "activities")
        shown = page.locator("#mm-not-on-map-n").inner_text()
        assert int(re.sub(r"\D", "", shown)) == state["notOnMap"]
        assert page.locator("#mm-report-link").get_attribute("href").endswith("join-report.csv")
        legend = page.locator("#mm-legend").inner_text()
        assert ("Activités" if lang == "fr" else "Activities") in legend
        assert page.locator("html").get_attribute("lang") == lang
        assert guard.clean(), guard.report()
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_filters_recompute_choropleth_counts_legend_and_points(browser, base, result,
                                                               lang: str) -> None:
    url, _ = base
    context, page, guard = opened(browser, f"{url}/{lang}/index.html")
    rows = sample_rows()
    classes = {m: metric_classes(result, m) for m in ("activities", "organisations", "reached")}

    def check(selected: list[dict], metric: str = "activities", hidden: tuple = ()) -> None:
        state = page.evaluate("window.maliMap.state()")
        assert state["selected"] == len(selected)
        assert state["notOnMap"] == sum(1 for r in selected if not r["pcode"])
        values = expected_values(selected, metric)
        assert nonzero(state["values"]) == nonzero(values)
        for pcode, fill in state["fills"].items():
            want = classes[metric].colour_for(values.get(pcode, 0))
            assert fill.lower() == want.lower(), (pcode, fill, want)
        visible = [r for r in selected if r["sector"] not in hidden]
        assert state["points"] == points_of(visible)
        assert page.evaluate(DRAWN_POINTS_JS) == points_of(visible)

    try:
        check(rows)
        page.select_option("#mm-f-sector", label=sector_label("wash", lang))
        check([r for r in rows if r["sector"] == "wash"])
        page.click("#mm-reset")
        page.select_option("#mm-f-org", label="Org B")
        check([r for r in rows if r["organisation"] == "Org B"])
        page.click("#mm-reset")
        page.select_option("#mm-f-status", label=status_label("ongoing", lang))
        check([r for r in rows if r["status"] == "ongoing"])
        page.click("#mm-reset")
        page.select_option("#mm-f-year", "2021")
        check([r for r in rows if active_in(r, 2021)])
        # filters combine
        page.select_option("#mm-f-org", label="Org A")
        check([r for r in rows if active_in(r, 2021) and r["organisation"] == "Org A"])
        page.click("#mm-reset")
        check(rows)
        # metric switch: values, fills and legend follow
        for metric, word in (("organisations", "Organisations"),
                             ("reached", "Personnes atteintes" if lang == "fr"
                              else "People reached")):
            page.select_option("#mm-metric", metric)
            check(rows, metric)
            legend = page.locator("#mm-legend .mm-legend-title").inner_text()
            assert legend == word
            assert page.locator("#mm-legend .mm-legend-row").count() == \
                len(classes[metric].bounds) + 1
        page.select_option("#mm-metric", "activities")
        # sector layer toggle hides that sector's points only
        page.uncheck("input.mm-layer-sector[data-sector='0']")  # health: first sector
        check(rows, hidden=("health",))
        counts = page.locator("#mm-counts").inner_text()
        assert str(points_of([r for r in rows if r["sector"] != "health"])) in counts
        page.check("input.mm-layer-sector[data-sector='0']")
        check(rows)
        page.uncheck("#mm-layer-units")
        assert page.locator(POLYGONS).count() == 0
        page.check("#mm-layer-units")
        assert page.locator(POLYGONS).count() == 9
        assert guard.clean(), guard.report()
    finally:
        context.close()


def colon(lang: str) -> str:
    return "\u00a0: " if lang == "fr" else ": "


def _hover_unit(page, pcode: str) -> None:
    x, y = page.evaluate("(p) => window.maliMap.unitCentre(p)", pcode)
    box = page.locator("#mm-map").bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)


@pytest.mark.parametrize("lang", LANGS)
def test_tooltip_and_popups_show_the_right_text(browser, base, lang: str) -> None:
    url, _ = base
    context, page, guard = opened(browser, f"{url}/{lang}/index.html")
    try:
        _hover_unit(page, "ML05")  # Mopti: T04, T05 (Org B, Org C), 200 reached
        tip = page.locator(".leaflet-tooltip").inner_text()
        assert page.locator(".leaflet-tooltip").bounding_box()["width"] > 120, "readable width"
        assert "Mopti" in tip
        word = "Activités" if lang == "fr" else "Activities"
        assert re.search(rf"{word}\s?: 2\b", tip), tip
        assert re.search(r"Organisations\s?: 2\b", tip), tip
        assert "200" in tip
        _hover_unit(page, "ML05")
        page.mouse.down()
        page.mouse.up()
        popup = page.locator(".leaflet-popup-content").inner_text()
        # the unit popup breaks the unit's activities down by sector and organisation
        # (from the page's cube: pages no longer carry a record list)
        assert f"{sector_label('wash', lang)}{colon(lang)}2" in popup, popup
        assert f"Org B{colon(lang)}1" in popup and f"Org C{colon(lang)}1" in popup, popup
        assert "Activity T04" not in popup
        page.evaluate("window.maliMap.map.closePopup()")
        # a point: zoom in on T04 so that it is drawn on its own, hover and click it
        page.evaluate("window.maliMap.map.setView([14.49, -4.19], 12, {animate: false})")
        marker = page.locator("#mm-map .leaflet-marker-pane .mm-pt")
        marker.first.wait_for()
        assert marker.count() == 1
        marker.first.hover()
        assert page.locator(".leaflet-tooltip").last.inner_text() == "Org B — Activity T04"
        marker.first.click()
        popup = page.locator(".leaflet-popup-content").inner_text()
        for text in ("Org B", sector_label("wash", lang), "Activity T04",
                     status_label("ongoing", lang), "2021-03 – 2023-06", "200", "Place T04",
                     "sample.csv", "Ligne\n5" if lang == "fr" else "Row\n5"):
            assert text in popup, (text, popup)
        assert guard.clean(), guard.report()
    finally:
        context.close()


def test_canary_payloads_show_as_text_and_never_run(browser, base) -> None:
    url, root = base
    regions = sorted((root / "canary").glob("regions/*.html"))
    sectors = sorted((root / "canary").glob("sectors/*.html"))
    assert len(regions) == 3 and len(sectors) == 6
    pages = ["index.html", f"regions/{regions[0].name}", f"sectors/{sectors[0].name}"]
    for path in pages:
        context, page, guard = opened(browser, f"{url}/canary/{path}")
        try:
            state = page.evaluate("window.maliMap.state()")
            names = dict(page.evaluate(
                "JSON.parse(document.getElementById('mm-data').textContent)"
                ".units.features.map(f => [f.properties.p, f.properties.n])"))
            seen = []
            first = next(iter(state["values"]))
            for pcode in [first] + [p for p, v in state["values"].items() if v and p != first]:
                _hover_unit(page, pcode)
                tip = page.locator(".leaflet-tooltip").last.inner_text()
                assert names[pcode] in tip, (path, pcode, tip)
                page.mouse.down()
                page.mouse.up()
                popup = page.locator(".leaflet-popup-content").inner_text()
                assert names[pcode] in popup, (path, pcode, popup)
                seen += [tip, popup]
                page.evaluate("window.maliMap.map.closePopup()")
            points = 0
            located = page.evaluate("window.maliMap.markerLatLngs()")
            for lat, lon in located:
                page.evaluate(f"window.maliMap.map.setView([{lat}, {lon}], 14, {{animate: false}})")
                marker = page.locator("#mm-map .leaflet-marker-pane .mm-pt")
                marker.first.wait_for(timeout=5000)
                marker.first.click()
                popup = page.locator(".leaflet-popup-content").inner_text()
                assert any(c in popup for c in CANARIES[:4]), popup
                seen.append(popup)
                points += 1
                page.evaluate("window.maliMap.map.closePopup()")
            assert points == state["markers"] > 0, (path, points, state["markers"])
            seen.append(page.locator("body").inner_text())
            seen.append(" ".join(page.locator("select option").all_inner_texts()))
            text = "\n".join(seen)
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert page.locator("#mm-map img, body img, body svg image, iframe").count() == 0
            for canary in CANARIES[:4]:
                assert canary in text, (path, canary)
            assert guard.clean(), (path, guard.report())
        finally:
            context.close()


def test_the_network_guard_really_counts(browser, base) -> None:
    url, root = base
    page_html = (root / "en" / "index.html").read_text("utf-8")
    probe = '<img src="http://example.invalid/x.png" alt="">'
    no_csp = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page_html)
    (root / "en" / "probe.html").write_text(no_csp.replace("<body>", "<body>" + probe, 1))
    (root / "en" / "probe-csp.html").write_text(page_html.replace("<body>", "<body>" + probe, 1))
    context, _page, guard = opened(browser, f"{url}/en/probe.html")
    try:
        assert guard.requests == ["http://example.invalid/x.png"]
    finally:
        context.close()
    context, _page, guard = opened(browser, f"{url}/en/probe-csp.html")
    try:  # with the page's policy the image is refused before any request
        assert guard.requests == []
        assert any("Content Security Policy" in e for e in guard.console_errors), guard.report()
    finally:
        context.close()


def test_osm_tiles_fail_quietly_offline(browser, base) -> None:
    url, _ = base
    context, page, guard = opened(browser, f"{url}/osm/index.html")
    try:
        page.wait_for_timeout(300)
        assert page.locator(POLYGONS).count() == 9
        assert guard.requests, "tile requests are attempted"
        assert all(u.startswith("https://tile.openstreetmap.org/") for u in guard.requests)
        assert guard.page_errors == []
        assert all("Failed to load resource" in e for e in guard.console_errors), guard.report()
        assert "OpenStreetMap" in page.locator(".mm-attribution").inner_text()
    finally:
        context.close()


def _overlap(a: dict, b: dict) -> bool:
    return not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])


@pytest.mark.parametrize("path", ["index.html", "regions/gao.html"])
def test_phone_screen(browser, base, path: str) -> None:
    url, _ = base
    context, page, guard = opened(browser, f"{url}/fr/{path}", width=375, height=667)
    try:
        panels = page.locator("details.mm-panel")
        # filters, legend, layers, and the national programmes (T09 is national-level)
        programmes = page.evaluate(
            "JSON.parse(document.getElementById('mm-data').textContent).programmes.rows.length")
        assert programmes > 0 or path != "index.html"
        assert panels.count() == 3 + (programmes > 0)
        assert all(not panels.nth(i).evaluate("d => d.open") for i in range(panels.count()))
        mapbox = page.locator("#mm-map").bounding_box()
        assert mapbox["width"] >= 360 and mapbox["height"] >= 250
        assert mapbox["y"] + mapbox["height"] <= 667 + 1, "map fits on the first screen"
        others = ["header.mm-header", "#mm-side", "#mm-counts", "details.mm-panel"]
        for selector in others:
            for i in range(page.locator(selector).count()):
                assert not _overlap(mapbox, page.locator(selector).nth(i).bounding_box()), selector
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        slug = path.replace("/", "-").replace(".html", "")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"mobile-375x667-{slug}.png"))
        # opening the filters pushes the map down instead of covering it
        page.click("#mm-filters > summary")
        mapbox = page.locator("#mm-map").bounding_box()
        filters = page.locator("#mm-filters").bounding_box()
        assert not _overlap(mapbox, filters)
        assert filters["width"] <= 375
        page.select_option("#mm-f-org", label="Org A")
        assert page.evaluate("window.maliMap.state()")["selected"] == len(
            [r for r in rows_for(PAGES[path][0]) if r["organisation"] == "Org A"])
        page.screenshot(path=str(ARTIFACTS / f"mobile-375x667-{slug}-filters.png"),
                        full_page=True)
        assert guard.clean(), guard.report()
    finally:
        context.close()


def test_region_page_with_adm2_subdivisions(browser, geoboundaries: Path,
                                            tmp_path: Path) -> None:
    result = sample_result(adm2=geoboundaries / "geoBoundaries-MLI-ADM2_simplified.geojson")
    _check_gao_cercles(browser, result, tmp_path)


def test_region_page_shows_the_embedded_cercles_by_default(browser, tmp_path: Path) -> None:
    # Issue 9: no ADM2 file given, the region page still maps Gao's four cercles.
    result = sample_result(cercles=True)
    assert sorted(result.boundaries.adm2.loc[result.boundaries.adm2["parent_pcode"] == "ML07",
                                             "pcode"]) == ["ML0701", "ML0702", "ML0703",
                                                           "ML0704"]
    _check_gao_cercles(browser, result, tmp_path)


def _check_gao_cercles(browser, result, tmp_path: Path) -> None:
    render_site(result, tmp_path, lang="fr")
    adm2 = result.boundaries.adm2
    units = set(adm2.loc[adm2["parent_pcode"] == "ML07", "pcode"])
    with serve(tmp_path) as url:
        context, page, guard = opened(browser, f"{url}/regions/gao.html")
        try:
            assert page.locator(POLYGONS).count() == len(units)
            state = page.evaluate("window.maliMap.state()")
            assert set(state["values"]) == units
            placed = {p: v for p, v in state["values"].items() if v}
            recs = result.records[result.records["pcode"] == "ML07"]
            assert sum(placed.values()) == recs["adm2"].notna().sum()
            assert state["notOnMap"] == recs["adm2"].isna().sum()
            assert all(f != NO_DATA_COLOUR or not state["values"][p]
                       for p, f in state["fills"].items())
            assert guard.clean(), guard.report()
        finally:
            context.close()
