"""The records drawn as points: markers with popups up to :data:`POINT_CAP`, above it a
grid of cells with exact counts, as coarse as the page's byte budget needs."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..._measure import ROWS, cube
from ._build import Build
from ._encode import encode_table
from ._selection import Page
from ._values import TEXT_LIMITS, texts

__all__ = ["GRID_SIZES", "PAGE_TARGET", "POINT_CAP", "points_json"]

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
