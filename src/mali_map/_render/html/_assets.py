"""Scripts and stylesheets inlined into every page, read from pinned packages.

Leaflet (``xstatic-leaflet``) and Leaflet.markercluster
(``xstatic-leaflet-markercluster``) are read from the installed packages, their
source-map comments are removed (so that no tool ever fetches a ``.map`` file)
and the stylesheet's image references are dropped: the pages use neither the
layers control nor the default marker icons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

_HERE = Path(__file__).parent
_SOURCE_MAP = re.compile(r"^\s*//[#@]\s*sourceMappingURL=.*$", re.MULTILINE)
_CSS_SOURCE_MAP = re.compile(r"/\*[#@]\s*sourceMappingURL=.*?\*/", re.DOTALL)
_IMAGE_URL = re.compile(r"url\(\s*['\"]?images/[^)]*\)")

#: The page script's modules under ``js/``, in the order they are inlined and set up:
#: ``util`` and ``decode`` add helpers to the one namespace ``MM``; each later module
#: pushes onto ``MM.modules`` a function that takes the page's shared context ``X``,
#: and ``main`` runs them in this order once the payload is decoded.
MAP_MODULES: tuple[str, ...] = (
    "util.js", "decode.js", "reducer.js", "layers.js", "points.js", "labels.js",
    "panels.js", "programmes.js", "tables.js", "main.js",
)
#: What wraps the modules into one inline script: a closure with the namespace.
_MAP_HEAD = """/* mali-map interactive page.
 * Reads the one embedded JSON payload: a sparse cube of partial sums (unit x sector x
 * organisation x status x year span x copy), points (markers up to a cap, grid cells above),
 * shared boundaries and strings. One generic reducer, driven by the metric registry's
 * descriptors, computes every number shown: choropleth, legend, counts, tooltips,
 * popups and the summary tables. Every string from the data is put into the DOM as
 * text (textContent / text nodes), never as HTML.
 * Modules: mali_map/_render/html/js/ (order in _assets.MAP_MODULES).
 */
(function () {
'use strict';
var MM = {modules: []};
"""
_MAP_TAIL = "MM.main();\n}());\n"


@dataclass(frozen=True)
class Assets:
    """The texts inlined into a page."""

    leaflet_js: str
    cluster_js: str
    css: str
    map_js: str
    versions: dict[str, str]

    @property
    def scripts(self) -> tuple[str, ...]:
        """Executable inline scripts, in page order."""
        return (self.leaflet_js, self.cluster_js, self.map_js)


def _clean_js(text: str, name: str) -> str:
    text = _SOURCE_MAP.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip() + "\n"
    lowered = text.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise RuntimeError(f"{name} cannot be inlined safely: it contains '</script' or '<!--'")
    return text


def _clean_css(text: str) -> str:
    text = _CSS_SOURCE_MAP.sub("", text)
    text = _IMAGE_URL.sub("none", text)
    if "</style" in text.lower():
        raise RuntimeError("stylesheet cannot be inlined safely: it contains '</style'")
    return text


def map_script() -> str:
    """The page script: every module of :data:`MAP_MODULES` in order, in one closure."""
    parts = [(_HERE / "js" / name).read_text("utf-8") for name in MAP_MODULES]
    return _MAP_HEAD + "\n".join(parts) + _MAP_TAIL


@cache
def load_assets() -> Assets:
    """Read and clean the pinned Leaflet files and this package's own script and style."""
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as cluster

    lbase, cbase = Path(leaflet.BASE_DIR), Path(cluster.BASE_DIR)
    leaflet_js = _clean_js((lbase / "leaflet.js").read_text("utf-8"), "leaflet.js")
    cluster_js = _clean_js(
        (cbase / "leaflet.markercluster.js").read_text("utf-8"), "leaflet.markercluster.js")
    css = "\n".join((
        _clean_css((lbase / "leaflet.css").read_text("utf-8")),
        _clean_css((cbase / "MarkerCluster.css").read_text("utf-8")),
        _clean_css((_HERE / "map.css").read_text("utf-8")),
    ))
    map_js = _clean_js(map_script(), "the page script")
    return Assets(leaflet_js, cluster_js, css, map_js,
                  {"leaflet": leaflet.VERSION, "leaflet.markercluster": cluster.VERSION})
