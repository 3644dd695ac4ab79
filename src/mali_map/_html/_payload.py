"""The one JSON document a page embeds: boundaries, slim records, classes, strings.

Everything a page shows comes from this payload. It is serialised by
:func:`dump_json` with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, so that it
can sit in a ``<script type="application/json">`` element whatever the data
holds; the page reads it with ``JSON.parse(element.textContent)`` and puts every
string into the DOM as text.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._aggregate import metric_classes
from .._classify import NO_DATA_COLOUR, Classes
from .._i18n import label
from .._metrics import cube, reduce_cube
from .._model import METRICS, JoinResult
from .._pages import sector_order
from .._vocabulary import sector_label
from ._strings import status_label, ui

#: Simplification tolerance (degrees) and decimals kept for boundary coordinates.
ADM1_TOLERANCE = 0.004
ADM2_TOLERANCE = 0.002
COORD_DECIMALS = 4
POINT_DECIMALS = 5
#: Longest source quotation kept in a page (characters).
QUOTE_LIMIT = 400
#: Colour-blind-safe categorical colours for the sector points (Okabe & Ito).
SECTOR_COLOURS: tuple[str, ...] = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#555555",
)
#: OpenStreetMap's standard tile layer, used only with ``tiles="osm"``.
OSM_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
_YEAR = re.compile(r"^\s*(\d{4})")
_JS_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
               "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JS_UNSAFE = re.compile("[<>&\u2028\u2029]")

#: Interface strings the page script needs.
SCRIPT_STRINGS: tuple[str, ...] = (
    "filters", "layers", "legend", "counts", "map_shows", "all_sectors", "all_organisations",
    "all_statuses", "all_years", "year", "reset", "points_by_sector", "records_selected",
    "on_map", "not_on_map", "not_on_map_adm2", "join_report", "points_shown", "more",
    "no_records", "dates", "reached", "place", "quote", "row", "tiles", "units_layer", "colon",
)
SHARED_STRINGS: tuple[str, ...] = (
    "activities", "organisations", "sector", "organisation", "activity", "status",
    "source", "no_data", "boundaries",
)


@dataclass(frozen=True)
class Scope:
    """What one page shows: the overview, one region (pcode) or one sector (key)."""

    kind: str = "overview"
    key: str | None = None


def dump_json(payload: Any) -> str:
    """Compact JSON that is inert inside an HTML ``<script>`` element.

    >>> dump_json({"a": "</script><b>&"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JS_UNSAFE.sub(lambda m: _JS_ESCAPES[m.group(0)], text)


def text(value: object) -> str:
    """``value`` as trimmed text; missing values give ``''``."""
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).strip()


def number(value: object) -> float | None:
    """``value`` as a finite float, or ``None``."""
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def year(value: object) -> int | None:
    """The year of an ISO date text (``'2016-03'`` -> 2016), or ``None``."""
    match = _YEAR.match(text(value))
    return int(match.group(1)) if match else None


def format_number(value: float, lang: str) -> str:
    """A count for display: ``12,345`` in English, ``12 345`` in French.

    >>> format_number(12345.0, "fr")
    '12\\u202f345'
    >>> format_number(2.5, "en")
    '2.5'
    """
    out = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if lang == "fr":
        out = out.replace(",", "\u202f").replace(".", ",")
    return out


# --------------------------------------------------------------------------- tallies

def tally(records: pd.DataFrame, key: str) -> pd.DataFrame:
    """Per-unit values of every registered metric (:mod:`mali_map._metrics`), 0 where none.

    The page script computes the same numbers from the filtered records.
    """
    rows = records[records[key].notna()]
    if rows.empty:
        return pd.DataFrame(columns=list(METRICS), dtype=float)
    units = rows.assign(_unit=rows[key].map(text).to_numpy())
    table = reduce_cube(cube(units, ["_unit"]), ["_unit"]).set_index("_unit")
    return table[list(METRICS)].astype(float).fillna(0.0)


def overview_classes(result: JoinResult, scheme: str, k: int) -> dict[str, Classes]:
    """The ADM1 classes of each metric, shared by every page and every export."""
    return {m: metric_classes(result, metric=m, scheme=scheme, k=k) for m in METRICS}


def adm2_classes(result: JoinResult, scheme: str, k: int) -> dict[str, Classes]:
    """Classes of ADM2 unit totals over the whole country (same on every region page)."""
    return {m: metric_classes(result, metric=m, scheme=scheme, k=k, level="adm2")
            for m in METRICS}


def _classes_json(classes: dict[str, Classes], lang: str) -> dict[str, Any]:
    out = {}
    for metric, cls in classes.items():
        labels = [lbl.replace(",", "\u202f").replace(".", ",") if lang == "fr" else lbl
                  for lbl in cls.labels()]
        out[metric] = {"bounds": list(cls.bounds), "colours": list(cls.colours),
                       "labels": labels}
    return out


# --------------------------------------------------------------------------- geometry

def _round_coords(geom: shapely.Geometry, decimals: int) -> shapely.Geometry:
    return shapely.transform(geom, lambda xy: np.round(xy, decimals))


def web_geometry(geom: shapely.Geometry, tolerance: float) -> dict[str, Any] | None:
    """A simplified, rounded GeoJSON geometry for the page (``None`` if it vanishes)."""
    if geom is None or geom.is_empty:
        return None
    simple = geom.simplify(tolerance, preserve_topology=True)
    if simple.is_empty:
        simple = geom
    simple = _round_coords(simple, COORD_DECIMALS)
    return shapely.geometry.mapping(simple)


def _features(units: gpd.GeoDataFrame, tolerance: float) -> dict[str, Any]:
    feats = []
    for pcode, name, geom in zip(units["pcode"], units["name"], units.geometry, strict=True):
        shape = web_geometry(geom, tolerance)
        if shape is not None:
            inner = geom.representative_point()
            props = {"p": text(pcode), "n": text(name),
                     "c": [round(inner.y, COORD_DECIMALS), round(inner.x, COORD_DECIMALS)]}
            feats.append({"type": "Feature", "properties": props, "geometry": shape})
    return {"type": "FeatureCollection", "features": feats}


# --------------------------------------------------------------------------- records

def scope_records(result: JoinResult, scope: Scope) -> pd.DataFrame:
    """The records a page covers (including those it cannot place on its map)."""
    records = result.records
    if scope.kind == "region":
        return records[records["pcode"].map(text) == scope.key]
    if scope.kind == "sector":
        return records[records["sector"].map(text) == scope.key]
    return records


def _record_json(row: Any, idx: dict[str, dict[str, int]], unit_key: str) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "i": text(row.id), "r": int(row.row) if number(row.row) is not None else None,
        "o": idx["org"].get(text(row.organisation)), "s": idx["sector"][text(row.sector)],
        "a": text(row.activity), "st": idx["status"].get(text(row.status)),
        "d0": text(row.start_date), "d1": text(row.end_date),
        "y0": year(row.start_date), "y1": year(row.end_date),
        "n": number(row.reached), "p": text(row.place), "src": text(row.source),
        "q": text(row.source_text)[:QUOTE_LIMIT],
        "k": text(getattr(row, unit_key)) or None, "m": 1 if text(row.pcode) else 0,
    }
    geom = row.geometry
    if geom is not None and not geom.is_empty and geom.geom_type == "Point":
        lat, lon = number(geom.y), number(geom.x)
        if lat is not None and lon is not None:
            rec["lat"], rec["lon"] = round(lat, POINT_DECIMALS), round(lon, POINT_DECIMALS)
    return {k: v for k, v in rec.items() if v not in (None, "")}


def _year_options(frame: pd.DataFrame) -> list[int]:
    years: set[int] = set()
    for start, end in zip(frame["start_date"], frame["end_date"], strict=True):
        y0, y1 = year(start), year(end)
        if y0 is None:
            continue
        y1 = y0 if y1 is None or y1 < y0 else y1
        years.update(range(y0, min(y1, y0 + 50) + 1))
    return sorted(years)


def build_payload(
    result: JoinResult,
    scope: Scope,
    *,
    lang: str,
    metric: str,
    adm1: dict[str, Classes],
    adm2: dict[str, Classes] | None,
    tiles: str,
    report_href: str | None,
    attribution: list[str],
) -> dict[str, Any]:
    """The JSON document of one page."""
    records = scope_records(result, scope)
    bounds_units = result.boundaries.adm1
    context = None
    unit_key, classes, level = "pcode", adm1, "adm1"
    units = bounds_units
    if scope.kind == "region":
        region = bounds_units[bounds_units["pcode"].map(text) == scope.key]
        others = bounds_units[bounds_units["pcode"].map(text) != scope.key]
        sub = result.boundaries.adm2
        if sub is not None and adm2 is not None:
            sub = sub[sub["parent_pcode"].map(text) == scope.key]
        if sub is not None and adm2 is not None and not sub.empty:
            units, unit_key, classes, level = sub, "adm2", adm2, "adm2"
            context = bounds_units
        else:
            units, context = region, others
        view = region.total_bounds
    else:
        view = bounds_units.total_bounds

    sector_texts = records["sector"].map(text)
    sectors = sector_order(sector_texts) + ([""] if (sector_texts == "").any() else [])
    orgs = sorted({text(o) for o in records["organisation"]} - {""}, key=str.casefold)
    statuses = sorted({text(s) for s in records["status"]} - {""})
    idx = {"sector": {k: i for i, k in enumerate(sectors)},
           "org": {o: i for i, o in enumerate(orgs)},
           "status": {s: i for i, s in enumerate(statuses)}}
    rows = [_record_json(row, idx, unit_key) for row in records.itertuples(index=False)]

    strings = {key: ui(key, lang) for key in SCRIPT_STRINGS}
    strings.update({key: label(key, lang) for key in SHARED_STRINGS})
    strings.update({f"metric.{m}": label(m, lang) for m in METRICS})
    return {
        "lang": lang,
        "kind": scope.kind,
        "level": level,
        "metric": metric,
        "tiles": tiles,
        "tileUrl": OSM_TILE_URL if tiles == "osm" else None,
        "report": report_href,
        "view": [[float(view[1]), float(view[0])], [float(view[3]), float(view[2])]],
        "units": _features(units, ADM2_TOLERANCE if level == "adm2" else ADM1_TOLERANCE),
        "context": None if context is None else _features(context, ADM1_TOLERANCE),
        "classes": _classes_json(classes, lang),
        "noData": {"colour": NO_DATA_COLOUR, "label": label("no_data", lang)},
        "sectors": [{"k": k, "l": sector_label(k, lang) if k else ui("unknown_sector", lang),
                     "c": SECTOR_COLOURS[i % len(SECTOR_COLOURS)]}
                    for i, k in enumerate(sectors)],
        "orgs": orgs,
        "statuses": [status_label(s, lang) for s in statuses],
        "years": _year_options(records),
        "records": rows,
        "attribution": attribution,
        "t": strings,
    }
