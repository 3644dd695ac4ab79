"""What every page of one build shares, computed once: code lists, the cube, the points,
the simplified geometry, the classes and the programme records.

Everything is kept per loaded level (``result.boundaries.levels``, top down), keyed by
the level's key: no level is named here.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..._geo import simplify_boundaries, simplify_units
from ..._join import JoinResult
from ..._measure import Classes
from ..._reference import Level
from .._pages import unit_names
from ._cube import build_cube, unit_classes
from ._programmes import programme_records, programme_table
from ._values import texts

__all__ = ["Build", "prepare"]

#: Simplification tolerance (degrees) of a level that :func:`simplify_boundaries` does
#: not simplify (a level below those it knows).
FINER_TOLERANCE = 0.001


@dataclass
class Build:
    """What every page of one build shares: codes, the cube, points, geometry, classes."""

    result: JoinResult
    levels: tuple[Level, ...]               # the loaded levels, top down
    geometry: dict[str, gpd.GeoDataFrame]   # level key -> simplified units
    neighbours: gpd.GeoDataFrame | None
    units: dict[str, list[str]]             # level key -> P-codes (cube codes 0..n-1)
    parents: dict[str, list[str]]           # level key -> each unit's parent P-code
    sectors: list[str]
    orgs: list[str]
    statuses: list[str]
    spans: list[tuple[int, int]]
    cube: pd.DataFrame        # dims: each level's unit column, sector, ..., copy
    points: pd.DataFrame      # one row per located and placed record: codes, lon, lat, index
    classes: dict[str, dict[str, Classes]]  # level key -> metric -> classes
    programmes: pd.DataFrame | None = None  # national and multi-unit records

    def unit_name_by_lang(self, lang: str) -> dict[str, str]:
        """P-code -> name in ``lang`` of every unit of every loaded level."""
        bounds = self.result.boundaries
        out: dict[str, str] = {}
        for lv in self.levels:
            out.update(zip(self.units[lv.key], unit_names(bounds.units(lv), lang), strict=True))
        return out

    def level_of(self, pcode: str | None) -> Level | None:
        """The loaded level ``pcode`` is a unit of (``None`` if none)."""
        for lv in self.levels:
            if pcode in self.units[lv.key]:
                return lv
        return None


def _geometry(result: JoinResult) -> tuple[dict[str, gpd.GeoDataFrame], gpd.GeoDataFrame | None]:
    """Every loaded level's units simplified once, and the neighbouring countries."""
    simple = simplify_boundaries(result.boundaries)
    out = {}
    for lv in result.boundaries.levels:
        layer = getattr(simple, lv.key, None)
        out[lv.key] = (layer if layer is not None else
                       simplify_units(result.boundaries.units(lv), FINER_TOLERANCE))
    return out, simple.neighbours


def prepare(result: JoinResult, scheme: str, k: int) -> Build:
    """Everything pages share, computed once per build (no per-record Python loop)."""
    levels = result.boundaries.levels
    table, vocab = build_cube(result)
    frame = vocab["frame"]
    geoms = result.records.geometry.values if "geometry" in result.records else None
    if geoms is not None:
        lon = shapely.get_x(np.asarray(geoms, dtype=object))
        lat = shapely.get_y(np.asarray(geoms, dtype=object))
    else:
        lon = lat = np.full(len(frame), np.nan)
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    usable = (np.isfinite(lon) & np.isfinite(lat)
              & (frame[levels[0].unit_column].to_numpy() >= 0))
    points = pd.DataFrame({
        **{lv.unit_column: frame[lv.unit_column].to_numpy()[usable] for lv in levels},
        "sector": frame["sector"].to_numpy()[usable],
        "organisation": np.nan_to_num(frame["organisation"].to_numpy()[usable], nan=-1)
        .astype(np.int64),
        "status": frame["status"].to_numpy()[usable],
        "span": frame["span"].to_numpy()[usable],
        "lon": lon[usable], "lat": lat[usable],
        "index": np.flatnonzero(usable),
    })
    parents = {}
    for lv in levels:
        units = result.boundaries.units(lv)
        parents[lv.key] = (texts(units["parent_pcode"]).tolist() if "parent_pcode" in units
                           else [""] * len(units))
    parent_of = {unit: parent for lv in levels[1:]
                 for unit, parent in zip(vocab["units"][lv.key], parents[lv.key], strict=True)}
    geometry, neighbours = _geometry(result)
    return Build(
        result=result, levels=levels, geometry=geometry, neighbours=neighbours,
        units=vocab["units"], parents=parents,
        sectors=vocab["sectors"], orgs=vocab["orgs"], statuses=vocab["statuses"],
        spans=vocab["spans"], cube=table, points=points,
        classes={lv.key: unit_classes(table, lv, scheme, k) for lv in levels},
        programmes=programme_table(programme_records(result), parent_of))
