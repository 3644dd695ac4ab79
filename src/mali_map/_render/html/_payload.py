"""The one JSON document a page embeds: shared geometry, a cube of counts, points, strings.

A page carries aggregates, never one object per record:

- a sparse **cube** (:func:`mali_map._measure._metrics.cube`) of the page's records over
  unit × sector × organisation × status × year span × copy, with the partial sums
  of every registered metric. Records the map cannot place are in it with unit 0,
  so "not on the map" follows the filters too; a record placed in several units is
  in it once as itself and once per unit as a copy (see :data:`COPY`, :func:`counted`).
  The page script reduces it with the registry's
  :func:`~mali_map._measure._metrics.descriptors` for every number shown;
- the **points**: up to :data:`POINT_CAP` records with coordinates as columns
  (with the few fields their popups show); above the cap, a grid of cells with
  exact counts per sector, organisation, status and span (no record list);
- the boundaries, simplified once per build (:mod:`mali_map._geo._geometry`).

Category dimensions are coded ``1..n`` in the page's own lists, ``0`` meaning
missing (no organisation, no status, no start year, not on the map).

Everything is serialised by :func:`dump_json` with ``<``, ``>``, ``&``, U+2028 and
U+2029 escaped, so that it can sit in a ``<script type="application/json">``
element whatever the data holds; the page reads it with ``JSON.parse`` and puts
every string into the DOM as text.
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
from shapely.ops import polylabel

from ..._core import digits, label
from ..._core import number as spelt_number
from ..._geo import COORD_DECIMALS, SimpleBoundaries, simplify_boundaries
from ..._join import JoinResult
from ..._measure import (
    METRIC_KEYS,
    NO_DATA_COLOUR,
    REGISTRY,
    ROWS,
    UNIT,
    Classes,
    classify,
    cube,
    descriptors,
    placed_records,
    reduce_cube,
    sum_columns,
)
from ..._reference import sector_label
from .._pages import sector_order, unit_names
from .._style import sector_styles
from ._encode import encode_table
from ._strings import status_label, ui

POINT_DECIMALS = 5
#: Most records drawn as individual markers (with popups) on one page; above it the
#: page shows its points as grid cells with exact counts.
POINT_CAP = 2000
#: Grid cell sizes tried, finest first (degrees; each twice the previous, same origin).
GRID_SIZES: tuple[float, ...] = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4)
GRID_ORIGIN = (-20.0, 0.0)
#: Bytes a page aims to stay under (the overview's budget is 1.5 MB): the point grid
#: takes what the rest of the page leaves, and a coarser grid is used until it fits.
PAGE_TARGET = 1_400_000
#: The point grid may always take this much (base64 characters), at its coarsest.
GRID_MIN_BUDGET = 60_000
#: Longest texts kept in a marker popup (characters).
TEXT_LIMITS = {"activity": 120, "place": 80, "source": 80, "id": 40}
#: The dimensions of a page cube, in key order.
DIMS: tuple[str, ...] = ("unit", "sector", "organisation", "status", "span", "copy")
#: Values of the ``copy`` dimension. A record placed in one unit or none is ``SINGLE``;
#: a record placed in several units (join status ``multi``) is there once as itself,
#: ``MULTI`` (no unit: it counts once in the selected and on-map totals, with its people
#: reached), and once per unit as a ``COPY`` (counted only in that unit's values).
SINGLE, COPY, MULTI = 0, 1, 2
#: A neighbouring country is named where its label point is in the page's view
#: (grown by this fraction on each side), else at the middle of its part in that
#: view if the part covers at least :data:`NEIGHBOUR_MIN_SHARE` of it.
VIEW_MARGIN = 0.25
NEIGHBOUR_MIN_SHARE = 0.02
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
    "no_records", "dates", "reached", "place", "row", "tiles", "units_layer", "colon",
    "by_sector", "by_organisation", "no_organisation", "grid_note", "grid_cell", "records_n",
    "records_gpkg", "unknown_sector", "number.thousands", "number.decimal", "programmes",
    "programmes_n", "kind_national", "kind_multi", "programmes_cap", "no_programmes",
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


def texts(values: pd.Series) -> pd.Series:
    """A column as trimmed text, missing values as ``''`` (vectorised :func:`text`).

    Each distinct value is converted once.

    >>> texts(pd.Series([" a", None, 3, " a"])).tolist()
    ['a', '', '3', 'a']
    """
    codes, uniques = pd.factorize(pd.Series(values).astype(object), use_na_sentinel=True)
    cleaned = np.array([text(u) for u in uniques] + [""], dtype=object)
    return pd.Series(cleaned[codes], index=getattr(values, "index", None), dtype=object)


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


def years(values: pd.Series) -> pd.Series:
    """The year of each ISO date text as a float, ``NaN`` where none (vectorised :func:`year`)."""
    codes, uniques = pd.factorize(pd.Series(values).astype(object), use_na_sentinel=True)
    found = np.array([year(u) for u in uniques] + [None], dtype=float)
    return pd.Series(found[codes], index=getattr(values, "index", None))


def format_number(value: float, lang: str) -> str:
    """A count for display: ``12,345`` in English, ``12 345`` in French; ``–`` if missing.

    >>> format_number(12345.0, "fr")
    '12\\u202f345'
    >>> format_number(2.5, "en"), format_number(float("nan"), "en")
    ('2.5', '–')
    """
    if value is None or not math.isfinite(value):
        return "–"
    return spelt_number(value, lang, 0 if float(value).is_integer() else 1)


def value_columns() -> list[str]:
    """The cube columns holding partial sums: rows, then each sum metric's sum and count."""
    out = [ROWS]
    for m in REGISTRY:
        if m.kind == "sum":
            out += list(sum_columns(m))
    return out


def counted(table: pd.DataFrame) -> pd.Series:
    """Rows of a page cube that are records (not copies): each record counts once."""
    return table["copy"] != COPY


def on_map(table: pd.DataFrame) -> pd.Series:
    """Rows of a page cube counted as on the map (in a unit, or placed in several)."""
    return (table["copy"] == MULTI) | ((table["copy"] == SINGLE) & (table["unit"] > 0))


def regroup(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """A cube's partial sums added up over fewer (or recoded) key columns."""
    if table.empty:
        return table[[*keys, *value_columns()]].reset_index(drop=True)
    return table.groupby(keys, sort=True)[value_columns()].sum().reset_index()


# --------------------------------------------------------------------------- the build

@dataclass
class Build:
    """What every page of one build shares: codes, the cube, points, geometry, classes."""

    result: JoinResult
    geometry: SimpleBoundaries
    pcodes: list[str]
    adm2_pcodes: list[str]
    adm2_parents: list[str]
    sectors: list[str]
    orgs: list[str]
    statuses: list[str]
    spans: list[tuple[int, int]]
    cube: pd.DataFrame        # dims pcode, adm2, sector, organisation, status, span, copy
    points: pd.DataFrame      # one row per located and placed record: codes, lon, lat, index
    adm1_classes: dict[str, Classes]
    adm2_classes: dict[str, Classes] | None
    programmes: pd.DataFrame | None = None   # national and multi-unit records (see below)

    def unit_name_by_lang(self, lang: str) -> dict[str, str]:
        """P-code -> name in ``lang`` of every unit (regions and cercles)."""
        bounds = self.result.boundaries
        out = dict(zip(self.pcodes, unit_names(bounds.adm1, lang), strict=True))
        if bounds.adm2 is not None:
            out.update(zip(self.adm2_pcodes, unit_names(bounds.adm2, lang), strict=True))
        return out


_BUILD_DIMS = ["pcode", "adm2", "sector", "organisation", "status", "span", "copy"]


def _codes(values: pd.Series, vocabulary: list[str]) -> np.ndarray:
    """Index of each text in ``vocabulary`` (-1 where absent)."""
    index = pd.Index(list(dict.fromkeys(vocabulary)))
    return index.get_indexer(texts(values)).astype(np.int64)


def _org_order(values: pd.Series) -> list[str]:
    return sorted(set(values.unique()) - {""}, key=lambda o: (o.casefold(), o))


def _span_keys(records: pd.DataFrame) -> np.ndarray:
    """Each record's year span as ``start * 10000 + end`` (``NaN`` without a start year)."""
    y0 = years(records["start_date"]).to_numpy(dtype=float)
    y1 = years(records["end_date"]).to_numpy(dtype=float)
    y1 = np.where(np.isnan(y1) | (y1 < y0), y0, y1)
    return np.where(np.isnan(y0), np.nan, y0 * 10_000 + y1)


def _coded(records: pd.DataFrame, vocab: dict[str, Any], copy: np.ndarray) -> pd.DataFrame:
    """Records as build-cube codes (-1 = none) plus their ``sum`` fields."""
    span_key = _span_keys(records)
    span_code = np.full(len(records), -1, dtype=np.int64)
    located = ~np.isnan(span_key)
    span_code[located] = np.searchsorted(vocab["span_values"], span_key[located])
    organisation = _codes(records["organisation"], vocab["orgs"])
    adm2_col = records["adm2"] if "adm2" in records else pd.Series(None, index=records.index)
    frame = pd.DataFrame({
        "pcode": _codes(records["pcode"], vocab["pcodes"]),
        "adm2": _codes(adm2_col, vocab["adm2_pcodes"]),
        "sector": _codes(records["sector"], vocab["sectors"]),
        "organisation": np.where(organisation < 0, np.nan, organisation.astype(float)),
        "status": _codes(records["status"], vocab["statuses"]),
        "span": span_code,
        "copy": copy,
    }, index=records.index)
    for m in REGISTRY:
        if m.kind == "sum" and m.field in records:
            frame[m.field] = records[m.field]
    return frame


def build_cube(result: JoinResult) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The build's cube over every page dimension, and the code lists it uses.

    Its records are those of :func:`mali_map._measure._aggregate.placed_records` (one
    definition of where a record counts): a record placed in several units is in
    the cube as itself (``copy`` = :data:`MULTI`, no unit) and once per unit as a
    :data:`COPY`, whose people reached/targeted are blank.
    """
    records = result.records
    adm1 = result.boundaries.adm1
    adm2 = result.boundaries.adm2
    sector_text = texts(records["sector"])
    span_key = _span_keys(records)
    span_values = np.unique(span_key[~np.isnan(span_key)])
    vocab: dict[str, Any] = {
        "pcodes": texts(adm1["pcode"]).tolist(),
        "adm2_pcodes": [] if adm2 is None else texts(adm2["pcode"]).tolist(),
        "sectors": sector_order(sector_text.unique()) + (
            [""] if (sector_text == "").any() else []),
        "orgs": _org_order(texts(records["organisation"])),
        "statuses": sorted(set(texts(records["status"]).unique()) - {""}),
        "span_values": span_values,
        "spans": [(int(k // 10_000), int(k % 10_000)) for k in span_values],
    }
    placed = placed_records(result)
    copies = placed[placed[UNIT].ne(placed["pcode"]).to_numpy()]
    copies = copies.assign(pcode=copies[UNIT], adm2=None)
    def column(name: str) -> np.ndarray:
        return (texts(records[name]) if name in records
                else pd.Series("", index=records.index)).to_numpy()

    # the records placed_records copied: multi-unit, with their units, in no one unit
    multi = ((column("join_status") == "multi") & (column("units") != "")
             & records["pcode"].isna().to_numpy())
    frame = _coded(records, vocab, np.where(multi, MULTI, SINGLE))
    both = pd.concat([frame, _coded(copies, vocab, np.full(len(copies), COPY))],
                     ignore_index=True)
    table = cube(both, _BUILD_DIMS)
    table["organisation"] = table["organisation"].fillna(-1)
    table[_BUILD_DIMS] = table[_BUILD_DIMS].astype(np.int64)
    vocab["frame"] = frame
    return table, vocab


def unit_classes(table: pd.DataFrame, level: str, scheme: str, k: int) -> dict[str, Classes]:
    """Classes of every metric over the country-wide totals of each unit of ``level``.

    ``level`` is the build cube's ``pcode`` (ADM1) or ``adm2`` column; the same
    values as :func:`mali_map._measure._aggregate.metric_classes` (a test checks it).
    """
    placed = table[table[level] >= 0]
    totals = reduce_cube(placed, [level])
    return {m: classify(totals[m].astype(float).tolist(), scheme=scheme, k=k)
            for m in METRIC_KEYS}


def overview_classes(result: JoinResult, scheme: str, k: int) -> dict[str, Classes]:
    """The ADM1 classes of each metric, shared by every page and every export."""
    return unit_classes(build_cube(result)[0], "pcode", scheme, k)


def adm2_classes(result: JoinResult, scheme: str, k: int) -> dict[str, Classes]:
    """Classes of ADM2 unit totals over the whole country (same on every region page)."""
    return unit_classes(build_cube(result)[0], "adm2", scheme, k)


def prepare(result: JoinResult, scheme: str, k: int) -> Build:
    """Everything pages share, computed once per build (no per-record Python loop)."""
    table, vocab = build_cube(result)
    frame = vocab["frame"]
    geoms = result.records.geometry.values if "geometry" in result.records else None
    if geoms is not None:
        lon = shapely.get_x(np.asarray(geoms, dtype=object))
        lat = shapely.get_y(np.asarray(geoms, dtype=object))
    else:
        lon = lat = np.full(len(frame), np.nan)
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    usable = np.isfinite(lon) & np.isfinite(lat) & (frame["pcode"].to_numpy() >= 0)
    points = pd.DataFrame({
        "pcode": frame["pcode"].to_numpy()[usable],
        "sector": frame["sector"].to_numpy()[usable],
        "organisation": np.nan_to_num(frame["organisation"].to_numpy()[usable], nan=-1)
        .astype(np.int64),
        "status": frame["status"].to_numpy()[usable],
        "span": frame["span"].to_numpy()[usable],
        "lon": lon[usable], "lat": lat[usable],
        "index": np.flatnonzero(usable),
    })
    adm2 = result.boundaries.adm2
    parents = [] if adm2 is None else texts(adm2["parent_pcode"]).tolist()
    progs = programme_records(result)
    if not progs.empty:
        parent_of = dict(zip(vocab["adm2_pcodes"], parents, strict=True))
        y0 = years(progs["start_date"]).to_numpy(dtype=float)
        y1 = years(progs["end_date"]).to_numpy(dtype=float)
        progs = pd.DataFrame({
            "kind": progs["kind"].to_numpy(), "units": list(progs["units"]),
            "regions": [{parent_of.get(u, u) for u in units} for units in progs["units"]],
            "org_text": texts(progs["organisation"]).to_numpy(),
            "sector_text": texts(progs["sector"]).to_numpy(),
            "activity_text": (texts(progs["activity"]).to_numpy() if "activity" in progs
                              else ""),
            "status_text": texts(progs["status"]).to_numpy(),
            "y0": y0, "y1": np.where(np.isnan(y1) | (y1 < y0), y0, y1)})
    return Build(
        result=result, geometry=simplify_boundaries(result.boundaries),
        pcodes=vocab["pcodes"], adm2_pcodes=vocab["adm2_pcodes"], adm2_parents=parents,
        sectors=vocab["sectors"], orgs=vocab["orgs"], statuses=vocab["statuses"],
        spans=vocab["spans"], cube=table, points=points,
        adm1_classes=unit_classes(table, "pcode", scheme, k),
        adm2_classes=None if adm2 is None else unit_classes(table, "adm2", scheme, k),
        programmes=progs)


# --------------------------------------------------------------------------- one page

@dataclass
class Page:
    """One page's share of the build: its units, its cube (page codes) and vocabularies."""

    scope: Scope
    level: str
    units: gpd.GeoDataFrame
    context: gpd.GeoDataFrame | None
    view: np.ndarray
    cube: pd.DataFrame          # DIMS (page codes, 0 = none) + value columns
    sectors: list[str]
    orgs: list[str]
    statuses: list[str]
    spans: list[tuple[int, int]]
    points: pd.DataFrame        # the build's points on this page, codes recoded like the cube


def _recode(global_codes: pd.Series, keep: np.ndarray) -> np.ndarray:
    """Global codes (-1 = none) as 1-based positions in ``keep`` (0 = none)."""
    codes = np.asarray(global_codes, dtype=np.int64)
    lookup = np.zeros(int(max(keep.max(initial=-1), codes.max(initial=-1))) + 2,
                      dtype=np.int64)
    lookup[keep + 1] = np.arange(1, len(keep) + 1)
    return lookup[codes + 1]


def page(build: Build, scope: Scope) -> Page:
    """Select and recode the build's cube and points for one page."""
    table, points = build.cube, build.points
    adm1 = build.geometry.adm1
    units, context, level = adm1, None, "adm1"
    unit_codes = None
    view = adm1.total_bounds
    if scope.kind == "region":
        ix = build.pcodes.index(scope.key) if scope.key in build.pcodes else -1
        table = table[table["pcode"] == ix]
        points = points[points["pcode"] == ix]
        region = adm1.iloc[[ix]] if ix >= 0 else adm1.iloc[[]]
        view = region.total_bounds
        adm2 = build.geometry.adm2
        subs = ([i for i, p in enumerate(build.adm2_parents) if p == scope.key]
                if adm2 is not None else [])
        if subs:
            units, context, level = adm2.iloc[subs], adm1, "adm2"
            lookup = np.full(len(build.adm2_pcodes) + 1, -1, dtype=np.int64)
            lookup[np.asarray(subs) + 1] = np.arange(len(subs))
            unit_codes = pd.Series(lookup[table["adm2"].to_numpy() + 1], index=table.index)
        else:
            units, context = region, adm1.drop(adm1.index[[ix]]) if ix >= 0 else adm1
            unit_codes = table["pcode"].where(table["pcode"] < 0, 0)
    elif scope.kind == "sector":
        ix = build.sectors.index(scope.key) if scope.key in build.sectors else -1
        table = table[table["sector"] == ix]
        points = points[points["sector"] == ix]
    if unit_codes is None:
        unit_codes = table["pcode"]
    keep = {dim: np.unique(table[dim].to_numpy()) for dim in
            ("sector", "organisation", "status", "span")}
    keep = {dim: codes[codes >= 0] for dim, codes in keep.items()}
    recoded = pd.DataFrame({"unit": unit_codes.to_numpy() + 1}, index=table.index)
    # on a region page a record's share in the region is the page's record
    recoded["copy"] = SINGLE if scope.kind == "region" else table["copy"].to_numpy()
    for dim, codes in keep.items():
        recoded[dim] = _recode(table[dim], codes)
    for column in value_columns():
        recoded[column] = table[column].to_numpy()
    page_points = pd.DataFrame({dim: _recode(points[dim], codes) for dim, codes in keep.items()})
    for column in ("lon", "lat", "index"):
        page_points[column] = points[column].to_numpy()
    return Page(scope, level, units, context, view, regroup(recoded, list(DIMS)),
                [build.sectors[i] for i in keep["sector"]], [build.orgs[i] for i in
                                                             keep["organisation"]],
                [build.statuses[i] for i in keep["status"]],
                [build.spans[i] for i in keep["span"]], page_points)


def label_point(geom: shapely.Geometry) -> shapely.Point:
    """Where to write a unit's name: the pole of inaccessibility of its largest part.

    >>> [round(v, 6) for v in label_point(shapely.box(0, 0, 2, 2)).coords[0]]
    [1.0, 1.0]
    """
    parts = getattr(geom, "geoms", [geom])
    largest = max(parts, key=lambda g: g.area)
    if largest.geom_type != "Polygon" or largest.area == 0:
        return geom.representative_point()
    minx, miny, maxx, maxy = largest.bounds
    return polylabel(largest, tolerance=max(maxx - minx, maxy - miny) / 200)


def _features(units: gpd.GeoDataFrame, lang: str) -> dict[str, Any]:
    """Units as GeoJSON: P-code ``p``, name ``n`` in ``lang``, label point ``c`` [lat, lon]."""
    feats = []
    names = unit_names(units, lang)
    for pcode, name, geom in zip(units["pcode"], names, units.geometry, strict=True):
        if geom is None or geom.is_empty:
            continue
        inner = label_point(geom)
        props = {"p": text(pcode), "n": name,
                 "c": [round(inner.y, COORD_DECIMALS), round(inner.x, COORD_DECIMALS)]}
        feats.append({"type": "Feature", "properties": props,
                      "geometry": shapely.geometry.mapping(geom)})
    return {"type": "FeatureCollection", "features": feats}


def neighbours_json(neighbours: gpd.GeoDataFrame | None, view: np.ndarray,
                    lang: str) -> dict[str, Any] | None:
    """The neighbouring countries (grey context) with their name ``n`` in ``lang``.

    ``c`` is where the page writes the name: the country's label point when it is
    in the page's view (grown by :data:`VIEW_MARGIN`), else the middle of the
    country's part of that view, or nothing when too little of it shows.
    """
    if neighbours is None or neighbours.empty:
        return None
    minx, miny, maxx, maxy = (float(v) for v in view)
    dx, dy = (maxx - minx) * VIEW_MARGIN, (maxy - miny) * VIEW_MARGIN
    box = shapely.box(minx - dx, miny - dy, maxx + dx, maxy + dy)
    feats = []
    column = f"name_{lang}"
    for row in neighbours.itertuples(index=False):
        geom = row.geometry
        if geom is None or geom.is_empty:
            continue
        anchor = None
        if box.contains(shapely.Point(row.label_lon, row.label_lat)):
            anchor = [float(row.label_lat), float(row.label_lon)]
        else:
            part = geom.intersection(box)
            if not part.is_empty and part.area >= NEIGHBOUR_MIN_SHARE * box.area:
                inner = label_point(part)
                anchor = [round(inner.y, 3), round(inner.x, 3)]
        feats.append({"type": "Feature",
                      "properties": {"n": text(getattr(row, column)), "c": anchor},
                      "geometry": shapely.geometry.mapping(geom)})
    return {"type": "FeatureCollection", "features": feats}


def _classes_json(classes: dict[str, Classes], lang: str) -> dict[str, Any]:
    out = {}
    for metric, cls in classes.items():
        labels = [digits(lbl, lang) for lbl in cls.labels()]
        out[metric] = {"bounds": list(cls.bounds), "colours": list(cls.colours),
                       "labels": labels}
    return out


def cube_json(pg: Page) -> dict[str, Any]:
    """The page cube in the columnar encoding of :mod:`._encode`."""
    sizes = {"unit": len(pg.units) + 1, "sector": len(pg.sectors) + 1,
             "organisation": len(pg.orgs) + 1, "status": len(pg.statuses) + 1,
             "span": len(pg.spans) + 1, "copy": MULTI + 1}
    relative = {stated: ROWS for m in REGISTRY if m.kind == "sum"
                for stated in [sum_columns(m)[1]]}
    return encode_table([(d, pg.cube[d].to_numpy(), sizes[d]) for d in DIMS],
                        [(c, pg.cube[c].to_numpy()) for c in value_columns()], relative)


def _clip(values: pd.Series, limit: int) -> list[str]:
    return [t[:limit] for t in texts(values)]


def _markers_json(build: Build, pts: pd.DataFrame) -> dict[str, Any]:
    records = build.result.records.iloc[pts["index"].to_numpy()]
    reached = pd.to_numeric(records["reached"], errors="coerce") if "reached" in records \
        else pd.Series(np.nan, index=records.index)
    rows = pd.to_numeric(records["row"], errors="coerce") if "row" in records \
        else pd.Series(np.nan, index=records.index)

    def optional(values: pd.Series) -> list[float | None]:
        return [None if not math.isfinite(v) else (int(v) if v.is_integer() else v)
                for v in values.astype(float)]

    out: dict[str, Any] = {
        "mode": "markers",
        "lat": [round(float(v), POINT_DECIMALS) for v in pts["lat"]],
        "lon": [round(float(v), POINT_DECIMALS) for v in pts["lon"]],
        **{dim: pts[dim].astype(int).tolist() for dim in ("sector", "organisation", "status",
                                                           "span")},
        "reached": optional(reached), "row": optional(rows),
        "d0": texts(records["start_date"]).tolist(), "d1": texts(records["end_date"]).tolist(),
    }
    for field, limit in TEXT_LIMITS.items():
        out[field] = (_clip(records[field], limit) if field in records
                      else [""] * len(records))
    return out


def _grid_json(pts: pd.DataFrame, budget: int) -> dict[str, Any]:
    """Points as grid cells, the finest grid whose encoding takes at most ``budget`` characters."""
    fine = GRID_SIZES[0]
    ix = np.floor((pts["lon"].to_numpy() - GRID_ORIGIN[0]) / fine).astype(np.int64)
    iy = np.floor((pts["lat"].to_numpy() - GRID_ORIGIN[1]) / fine).astype(np.int64)
    base = cube(pd.DataFrame({"ix": ix, "iy": iy, "sector": pts["sector"].to_numpy(),
                              "organisation": pts["organisation"].to_numpy(),
                              "status": pts["status"].to_numpy(),
                              "span": pts["span"].to_numpy()}),
                ["ix", "iy", "sector", "organisation", "status", "span"])
    sizes = {d: int(base[d].max()) + 1 for d in ("sector", "organisation", "status", "span")}
    chosen: dict[str, Any] = {}
    for step, size in enumerate(GRID_SIZES):
        factor = 2 ** step
        cells = base.assign(ix=base["ix"] // factor, iy=base["iy"] // factor)
        cells = cells.groupby(["ix", "iy", "sector", "organisation", "status", "span"],
                              sort=True)[ROWS].sum().reset_index()
        x0, y0 = int(cells["ix"].min()), int(cells["iy"].min())
        nx = int(cells["ix"].max()) - x0 + 1
        ny = int(cells["iy"].max()) - y0 + 1
        cell = (cells["iy"].to_numpy() - y0) * nx + (cells["ix"].to_numpy() - x0)
        table = encode_table(
            [("cell", cell, nx * ny)]
            + [(d, cells[d].to_numpy(), sizes[d]) for d in ("sector", "organisation", "status",
                                                           "span")],
            [(ROWS, cells[ROWS].to_numpy())])
        chosen = {"mode": "grid", "size": size, "west": GRID_ORIGIN[0] + x0 * size,
                  "south": GRID_ORIGIN[1] + y0 * size, "nx": nx, "ny": ny, "cells": table}
        if len(table["data"]) <= budget:
            break
    chosen["total"] = len(pts)
    return chosen


def points_json(build: Build, pg: Page, budget: int = PAGE_TARGET) -> dict[str, Any]:
    """Markers with popups up to :data:`POINT_CAP`, grid cells above it (within ``budget``)."""
    if len(pg.points) <= POINT_CAP:
        return _markers_json(build, pg.points)
    return _grid_json(pg.points, max(budget, GRID_MIN_BUDGET))


#: Join statuses of the records the programmes panel lists, and their ``kind`` code.
PROGRAMME_STATUSES: dict[str, int] = {"national": 0, "multi": 1}
#: Most programme lines one page carries (groups of identical records count as one).
PROGRAMME_CAP = 300
_UNIT_SPLIT = re.compile(r"\s*[;,|]\s*")


def _report_column(result: JoinResult, column: str) -> pd.Series | None:
    """A join report column aligned with ``result.records`` (by row number), if present."""
    report, records = result.report, result.records
    if column not in report:
        return None
    if len(report) == len(records) and "row" in report and "row" in records and (
            report["row"].to_numpy() == records["row"].to_numpy()).all():
        return pd.Series(report[column].to_numpy(), index=records.index)
    if "row" not in report or "row" not in records or report["row"].duplicated().any():
        return None
    return records["row"].map(report.set_index("row")[column])


def programme_records(result: JoinResult) -> pd.DataFrame:
    """Records the join report calls ``national`` or ``multi``, with ``kind`` and ``units``.

    ``units`` is the tuple of P-codes of a multi-unit record (report column
    ``units``, codes separated by ``;``), empty for a national record.
    """
    status = _report_column(result, "status")
    if status is None:
        return result.records.iloc[0:0].assign(kind=[], units=[])
    status = texts(status)
    chosen = status.isin(PROGRAMME_STATUSES.keys())
    records = result.records[chosen.to_numpy()]
    units = _report_column(result, "units")
    if units is None and "units" in result.records:
        units = result.records["units"]
    unit_text = (texts(units[chosen.to_numpy()]) if units is not None
                 else pd.Series("", index=records.index))
    kinds = status[chosen.to_numpy()].map(PROGRAMME_STATUSES).to_numpy()
    unit_lists = [tuple(u for u in _UNIT_SPLIT.split(t) if u) if k == 1 else ()
                  for t, k in zip(unit_text, kinds, strict=True)]
    return records.assign(kind=kinds, units=unit_lists)


def programmes_json(build: Build, scope: Scope, lang: str) -> dict[str, Any]:
    """The national and multi-unit records that apply to one page, grouped into lines.

    The overview lists them all; a region page the national ones and the
    multi-unit ones that name the region or one of its cercles; a sector page
    those of its sector. Identical lines (same kind, organisation, sector,
    activity, status, years and units) are counted once with their number ``n``.
    """
    progs = build.programmes
    if progs is None or progs.empty:
        return {"rows": [], "lines": 0}
    if scope.kind == "region":
        keep = [k == 0 or scope.key in regions for k, regions in
                zip(progs["kind"], progs["regions"], strict=True)]
        progs = progs[np.asarray(keep, dtype=bool)]
    elif scope.kind == "sector":
        progs = progs[progs["sector_text"] == scope.key]
    if progs.empty:
        return {"rows": [], "lines": 0}
    out = {"rows": _programme_lines(build, progs, lang), "lines": 0, **_programme_counts(progs)}
    out["lines"] = out["rows"].pop()
    return out


def _programme_counts(progs: pd.DataFrame) -> dict[str, Any]:
    """Every programme record counted by sector, organisation, status and year span.

    The panel's count comes from this table, so that it stays exact under every
    filter even when the list of lines is cut at :data:`PROGRAMME_CAP`.
    """
    def coded(values: pd.Series) -> tuple[list[str], np.ndarray]:
        vocab = sorted(set(values) - {""})
        lookup = {v: i + 1 for i, v in enumerate(vocab)}
        return vocab, np.array([lookup.get(v, 0) for v in values], dtype=np.int64)

    sectors, sector = coded(progs["sector_text"])
    orgs, org = coded(progs["org_text"])
    statuses, status = coded(progs["status_text"])
    has_span = ~np.isnan(progs["y0"].to_numpy(dtype=float))
    span_key = np.where(has_span, progs["y0"].fillna(0) * 10_000 + progs["y1"].fillna(0), -1)
    span_values = np.unique(span_key[has_span])
    span = np.where(has_span, np.searchsorted(span_values, span_key) + 1, 0)
    frame = pd.DataFrame({"sector": sector, "organisation": org, "status": status,
                          "span": span})
    dims = list(frame.columns)
    counts = frame.groupby(dims, sort=True).size().reset_index(name=ROWS)
    sizes = {"sector": len(sectors) + 1, "organisation": len(orgs) + 1,
             "status": len(statuses) + 1, "span": len(span_values) + 1}
    table = encode_table([(d, counts[d].to_numpy(), sizes[d]) for d in dims],
                         [(ROWS, counts[ROWS].to_numpy())])
    return {"sectors": sectors, "orgs": orgs, "statuses": statuses,
            "spans": [[int(k // 10_000), int(k % 10_000)] for k in span_values],
            "counts": table}


def _programme_lines(build: Build, progs: pd.DataFrame, lang: str) -> list[Any]:
    """Up to :data:`PROGRAMME_CAP` lines, then the number of lines before the cut."""
    names = build.unit_name_by_lang(lang)
    lines = progs.assign(unit_names=[", ".join(names.get(u, u) for u in units)
                                     for units in progs["units"]])
    keys = ["kind", "org_text", "sector_text", "activity_text", "status_text", "y0", "y1",
            "unit_names"]
    grouped = (lines.assign(y0=lines["y0"].fillna(-1), y1=lines["y1"].fillna(-1))
               .groupby(keys, sort=False, dropna=False).size().reset_index(name="n"))
    grouped["_org"] = grouped["org_text"].str.casefold()
    grouped = grouped.sort_values(["kind", "_org", "sector_text", "activity_text"],
                                  kind="stable")
    rows = []
    for r in grouped.head(PROGRAMME_CAP).itertuples(index=False):
        rows.append({"k": int(r.kind), "o": r.org_text, "s": r.sector_text,
                     "sl": sector_label(r.sector_text, lang) if r.sector_text
                     else ui("unknown_sector", lang),
                     "a": r.activity_text[:TEXT_LIMITS["activity"]], "st": r.status_text,
                     "stl": status_label(r.status_text, lang) if r.status_text else "",
                     "y": None if r.y0 < 0 else [int(r.y0), int(r.y1)],
                     "u": r.unit_names, "n": int(r.n)})
    return [*rows, len(grouped)]


def year_options(spans: list[tuple[int, int]]) -> list[int]:
    """Every year some span covers (at most 50 years after its start)."""
    out: set[int] = set()
    for y0, y1 in spans:
        out.update(range(y0, min(y1, y0 + 50) + 1))
    return sorted(out)


def build_payload(
    build: Build,
    pg: Page,
    *,
    lang: str,
    metric: str,
    tiles: str,
    report_href: str | None,
    records_href: str | None,
    attribution: list[str],
    tables: list[dict[str, Any]],
    page_bytes: int = 0,
) -> dict[str, Any]:
    """The JSON document of one page; ``page_bytes`` is the size of the rest of the page."""
    classes = build.adm2_classes if pg.level == "adm2" else build.adm1_classes
    strings = {key: ui(key, lang) for key in SCRIPT_STRINGS}
    strings.update({key: label(key, lang) for key in SHARED_STRINGS})
    strings.update({f"metric.{m}": label(m, lang) for m in METRIC_KEYS})
    view = pg.view
    units = _features(pg.units, lang)
    context = None if pg.context is None else _features(pg.context, lang)
    neighbours = neighbours_json(build.geometry.neighbours, view, lang)
    cube_table = cube_json(pg)
    styles = sector_styles(build.sectors)
    left = (PAGE_TARGET - page_bytes - len(cube_table["data"]) - len(dump_json(units))
            - (len(dump_json(context)) if context else 0)
            - (len(dump_json(neighbours)) if neighbours else 0))
    return {
        "lang": lang,
        "kind": pg.scope.kind,
        "level": pg.level,
        "metric": metric,
        "metrics": list(METRIC_KEYS),
        "descriptors": descriptors(),
        "tiles": tiles,
        "tileUrl": OSM_TILE_URL if tiles == "osm" else None,
        "report": report_href,
        "recordsFile": records_href,
        "view": [[float(view[1]), float(view[0])], [float(view[3]), float(view[2])]],
        "units": units,
        "context": context,
        "classes": _classes_json(classes or {}, lang),
        "noData": {"colour": NO_DATA_COLOUR, "label": label("no_data", lang)},
        "neighbours": neighbours,
        "sectors": [{"k": k, "l": sector_label(k, lang) if k else ui("unknown_sector", lang),
                     "c": styles[k].colour, "s": styles[k].shape}
                    for k in pg.sectors],
        "orgs": pg.orgs,
        "statuses": [status_label(s, lang) for s in pg.statuses],
        "statusKeys": pg.statuses,
        "programmes": programmes_json(build, pg.scope, lang),
        "programmeCap": PROGRAMME_CAP,
        "spans": [list(s) for s in pg.spans],
        "years": year_options(pg.spans),
        "cube": cube_table,
        "points": points_json(build, pg, left),
        "pointCap": POINT_CAP,
        "tables": tables,
        "attribution": attribution,
        "t": strings,
    }
