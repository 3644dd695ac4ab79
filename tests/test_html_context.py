"""Cartographic context on the HTML pages: neighbouring countries with their names,
unit labels that never overlap at 375 px, one name per unit per language, sectors
told apart by colour and shape."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from browser import launch_browser, open_page, serve
from synthetic_result import synthetic_result

from mali_map._core._i18n import attribution
from mali_map._reference._context import NEIGHBOURS_ATTRIBUTION, load_neighbours
from mali_map._reference._vocabulary import SECTORS
from mali_map._render import _pages
from mali_map._render._style import SECTOR_COLOURS, SECTOR_SHAPES, sector_styles, style_at
from mali_map._render.html import interactive_map, render_site
from mali_map._render.html._strings import ui

DATA_RE = re.compile(r'<script type="application/json" id="mm-data">(.*?)</script>', re.S)
LABELS_JS = """() => Array.from(document.querySelectorAll('.mm-label')).map(e => {
  const r = e.getBoundingClientRect();
  return {text: e.textContent, kind: e.dataset.kind,
          shown: getComputedStyle(e).visibility === 'visible',
          box: [r.left, r.top, r.right, r.bottom]};
})"""


def payload_of(html: str) -> dict:
    return json.loads(DATA_RE.search(html).group(1))


@pytest.fixture(scope="module")
def browser():
    with launch_browser() as b:
        yield b


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    result = synthetic_result(1500, seed=3, located=0.6)
    roots = {}
    for lang in ("en", "fr"):
        root = tmp_path_factory.mktemp(lang)
        render_site(result, root, lang=lang)
        roots[lang] = root
    return result, roots


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _check_labels(page) -> list[dict]:
    """The shown labels: inside the map, none touching another; returns them."""
    frame = page.locator("#mm-map").bounding_box()
    shown = [lb for lb in page.evaluate(LABELS_JS) if lb["shown"]]
    for lb in shown:
        x0, y0, x1, y1 = lb["box"]
        assert x1 - x0 > 0 and y1 - y0 > 0, lb
        assert frame["x"] - 0.5 <= x0 and x1 <= frame["x"] + frame["width"] + 0.5, lb
        assert frame["y"] - 0.5 <= y0 and y1 <= frame["y"] + frame["height"] + 0.5, lb
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            assert not _overlap(a["box"], b["box"]), (a, b)
    return shown


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_labels_readable_at_375px_and_never_overlapping(browser, site, lang) -> None:
    result, roots = site
    adm1, adm2 = result.boundaries.adm1, result.boundaries.adm2
    neighbours = set(load_neighbours()[f"name_{lang}"])
    with serve(roots[lang]) as url:
        for path, units in (("index.html", adm1),
                            ("regions/kayes.html", adm2[adm2["parent_pcode"] == "ML01"]),
                            ("regions/gao.html", adm2[adm2["parent_pcode"] == "ML07"])):
            context, page, guard = open_page(browser, f"{url}/{path}", width=375, height=740)
            try:
                names = set(_pages.unit_names(units, lang))  # the one naming rule
                for zoom in (0, 1, 2):
                    if zoom:
                        page.evaluate("void window.maliMap.map.setZoom("
                                      "window.maliMap.map.getZoom() + 1, {animate: false})")
                    shown = _check_labels(page)
                    unit_labels = {lb["text"] for lb in shown if lb["kind"] == "unit"}
                    countries = {lb["text"] for lb in shown if lb["kind"] == "country"}
                    assert unit_labels <= names and countries <= neighbours, (unit_labels,
                                                                              countries)
                    if zoom == 0:
                        # the whole view: most units named, and at least one neighbour
                        assert len(unit_labels) >= 0.6 * len(names), (path, unit_labels)
                        assert countries, path
                    style = page.locator(".mm-label").first.evaluate(
                        "e => parseFloat(getComputedStyle(e).fontSize)")
                    assert style >= 11  # readable on a phone
                assert guard.clean(), guard.report()
            finally:
                context.close()


def test_neighbours_on_every_page_with_their_attribution(site) -> None:
    _result, roots = site
    for lang in ("en", "fr"):
        pages = sorted(roots[lang].rglob("*.html"))
        assert len(pages) > 5
        for path in pages:
            html = path.read_text("utf-8")
            data = payload_of(html)
            names = {f["properties"]["n"] for f in data["neighbours"]["features"]}
            assert names == set(load_neighbours()[f"name_{lang}"]), path
            credit = attribution(NEIGHBOURS_ATTRIBUTION, lang)
            assert credit in data["attribution"]
            footer = html[html.index('<footer class="mm-footer">'):]
            assert credit in footer
    overview = payload_of((roots["en"] / "index.html").read_text("utf-8"))
    anchored = {f["properties"]["n"] for f in overview["neighbours"]["features"]
                if f["properties"]["c"]}
    assert {"Algeria", "Niger", "Mauritania", "Burkina Faso"} <= anchored


def test_attribution_shown_in_the_map(browser, site) -> None:
    _, roots = site
    with serve(roots["fr"]) as url:
        context, page, guard = open_page(browser, f"{url}/regions/gao.html")
        try:
            credit = attribution(NEIGHBOURS_ATTRIBUTION, "fr")
            assert credit == "Natural Earth (domaine public)"
            assert credit in page.locator(".mm-attribution").inner_text()
            assert page.locator("path.leaflet-interactive").count() > 0
            assert guard.clean(), guard.report()
        finally:
            context.close()


def test_one_name_per_unit_per_language(site) -> None:
    result, roots = site
    english = (roots["en"] / "index.html").read_text("utf-8")
    french = (roots["fr"] / "index.html").read_text("utf-8")
    en = {f["properties"]["p"]: f["properties"]["n"]
          for f in payload_of(english)["units"]["features"]}
    fr = {f["properties"]["p"]: f["properties"]["n"]
          for f in payload_of(french)["units"]["features"]}
    assert en["ML06"] == "Timbuktu" and fr["ML06"] == "Tombouctou"
    summary = english[english.index('id="mm-summary"'):]
    assert ">Timbuktu</a>" in summary and "Tombouctou<" not in summary
    assert "Tombouctou</a>" in french[french.index('id="mm-summary"'):]
    for lang, name in (("fr", "Tombouctou"), ("en", "Timbuktu")):
        heading = ui("region_page", lang).format(name=name)
        assert heading in (roots[lang] / "regions" / "tombouctou.html").read_text("utf-8")
    # the same look-up as the static maps (one definition)
    adm1 = result.boundaries.adm1
    for lang, names in (("en", en), ("fr", fr)):
        assert names == dict(zip(adm1["pcode"], _pages.unit_names(adm1, lang), strict=True))
    try:
        from mali_map._render.static import _export
    except ImportError:  # pragma: no cover - core-only install
        return
    assert _export.unit_name is _pages.unit_name


def test_sector_styles_distinct_for_20_sectors_and_stable() -> None:
    keys = [s.key for s in SECTORS] + [f"Other {i}" for i in range(22)]
    styles = sector_styles(keys)
    pairs = [(st.colour, st.shape) for st in styles.values()]
    assert len(set(pairs)) == len(pairs) == 40
    first20 = pairs[:20]
    assert len(set(first20)) == 20
    # neighbours in a legend differ in both colour and shape
    for a, b in itertools.pairwise(pairs):
        assert a[0] != b[0] and a[1] != b[1]
    assert {c for c, _ in pairs} == set(SECTOR_COLOURS)
    assert {s for _, s in pairs} == set(SECTOR_SHAPES)
    # a canonical sector keeps its style whatever else is present
    assert sector_styles(["wash"])["wash"] == styles["wash"] == style_at(
        [s.key for s in SECTORS].index("wash"))


def test_markers_and_layer_list_draw_each_sector_style(browser, tmp_path: Path) -> None:
    result = synthetic_result(1200, seed=8, located=0.9)
    page_html = interactive_map(result, region="Gao").html
    data = payload_of(page_html)
    styles = sector_styles([*_pages.sector_order(result.records["sector"]), ""])
    for sec in data["sectors"]:
        assert (sec["c"], sec["s"]) == (styles[sec["k"]].colour, styles[sec["k"]].shape)
    (tmp_path / "gao.html").write_text(page_html, "utf-8")
    with serve(tmp_path) as url:
        context, page, guard = open_page(browser, f"{url}/gao.html")
        try:
            symbols = page.evaluate("""() => Array.from(document.querySelectorAll(
                '.mm-check .mm-symbol svg')).map(s => [s.dataset.shape,
                s.firstChild.getAttribute('fill')])""")
            assert symbols == [[sec["s"], sec["c"]] for sec in data["sectors"]]
            page.evaluate("void window.maliMap.map.setZoom(11, {animate: false})")
            drawn = page.evaluate("""() => Array.from(document.querySelectorAll(
                '.leaflet-marker-pane .mm-pt svg')).map(s => [s.dataset.shape,
                s.firstChild.getAttribute('fill')])""")
            assert drawn and all(d in symbols for d in drawn)
            assert guard.clean(), guard.report()
        finally:
            context.close()
