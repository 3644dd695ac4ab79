"""One page's share of the build: its scope, units, context, view, cube and points."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from ._build import Build
from ._cube import DIMS, SINGLE, regroup, value_columns

__all__ = ["Page", "Scope", "page"]


@dataclass(frozen=True)
class Scope:
    """What one page shows: the overview, one region (pcode) or one sector (key)."""

    kind: str = "overview"
    key: str | None = None



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
