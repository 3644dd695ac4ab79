"""One page's share of the build: its scope, units, context, view, cube and points."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from ..._reference import Level
from .._pages import drawn_level, units_within
from ._build import Build
from ._cube import DIMS, SINGLE, regroup, value_columns
from ._values import texts

__all__ = ["Page", "Scope", "page"]


@dataclass(frozen=True)
class Scope:
    """What one page shows: the overview, one unit (kind ``"region"``, a P-code of any
    loaded level) or one sector (key)."""

    kind: str = "overview"
    key: str | None = None


@dataclass
class Page:
    """One page's share of the build: its units, its cube (page codes) and vocabularies."""

    scope: Scope
    level: Level                # the level of the units the page draws
    top: bool                   # whether that is the top level (the overview's)
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


def _inside(build: Build, pcode: str, own: Level) -> tuple[Level, list[int]]:
    """The level a unit's page draws and the positions of its units there: the units of
    the level below inside the unit (:func:`~mali_map._render._pages.drawn_level`,
    :func:`~mali_map._render._pages.units_within`), else none."""
    bounds = build.result.boundaries
    level = drawn_level(bounds, pcode)
    if level.number == own.number:
        return own, []
    inside = set(texts(units_within(bounds, pcode, level)["pcode"]))
    return level, [i for i, p in enumerate(build.units[level.key]) if p in inside]


def page(build: Build, scope: Scope) -> Page:
    """Select and recode the build's cube and points for one page.

    The overview and a sector page draw the top level; the page of a unit of level L
    draws the units of level L + 1 inside it (over the units of level L as context),
    or the unit itself when none is loaded.
    """
    table, points = build.cube, build.points
    top = build.levels[0]
    units = build.geometry[top.key]
    context, level = None, top
    unit_codes = None
    view = units.total_bounds
    if scope.kind == "region":
        own = build.level_of(scope.key) or top
        column, codes = own.unit_column, build.units[own.key]
        ix = codes.index(scope.key) if scope.key in codes else -1
        table = table[table[column] == ix]
        points = points[points[column] == ix]
        peers = build.geometry[own.key]
        unit = peers.iloc[[ix]] if ix >= 0 else peers.iloc[[]]
        view = unit.total_bounds
        below, subs = _inside(build, scope.key, own) if ix >= 0 else (own, [])
        if subs:
            units, context, level = build.geometry[below.key].iloc[subs], peers, below
            lookup = np.full(len(build.units[below.key]) + 1, -1, dtype=np.int64)
            lookup[np.asarray(subs) + 1] = np.arange(len(subs))
            unit_codes = pd.Series(lookup[table[below.unit_column].to_numpy() + 1],
                                   index=table.index)
        else:
            units, context, level = unit, peers.drop(peers.index[[ix]]) if ix >= 0 else peers, own
            unit_codes = table[column].where(table[column] < 0, 0)
    elif scope.kind == "sector":
        ix = build.sectors.index(scope.key) if scope.key in build.sectors else -1
        table = table[table["sector"] == ix]
        points = points[points["sector"] == ix]
    if unit_codes is None:
        unit_codes = table[top.unit_column]
    keep = {dim: np.unique(table[dim].to_numpy()) for dim in
            ("sector", "organisation", "status", "span")}
    keep = {dim: codes[codes >= 0] for dim, codes in keep.items()}
    recoded = pd.DataFrame({"unit": unit_codes.to_numpy() + 1}, index=table.index)
    # on a unit's page a record's share in the unit is the page's record
    recoded["copy"] = SINGLE if scope.kind == "region" else table["copy"].to_numpy()
    for dim, codes in keep.items():
        recoded[dim] = _recode(table[dim], codes)
    for column in value_columns():
        recoded[column] = table[column].to_numpy()
    page_points = pd.DataFrame({dim: _recode(points[dim], codes) for dim, codes in keep.items()})
    for column in ("lon", "lat", "index"):
        page_points[column] = points[column].to_numpy()
    return Page(scope, level, level.key == top.key, units, context, view,
                regroup(recoded, list(DIMS)),
                [build.sectors[i] for i in keep["sector"]],
                [build.orgs[i] for i in keep["organisation"]],
                [build.statuses[i] for i in keep["status"]],
                [build.spans[i] for i in keep["span"]], page_points)
