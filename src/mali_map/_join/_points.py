"""Points in polygons: every row's coordinates located in the units of every loaded level,
swapped readings found, distances to a named unit measured."""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from .._core import join_message
from .._geo import Boundaries
from ._vectors import where

__all__ = ["NAME_POINT_TOLERANCE_KM", "Points", "locate", "nearest"]

#: How far (km) a point may lie outside the unit its name gives before it is a warning.
NAME_POINT_TOLERANCE_KM = 10.0
_KM_PER_DEGREE = 111.0  # rough, only used against the tolerance above


class Points:
    """Every row's coordinates, located in the units; swaps are decided by the caller.

    The top level decides whether a point lies in Mali (a point just outside a coarse
    outline takes the nearest unit within the tolerance) and whether a swapped reading
    falls in it; :meth:`apply_swaps` then locates every level: ``units[key]`` is the
    P-code of the unit of level ``key`` each row's point lies in (``None``: none).
    """

    def __init__(self, frame: pd.DataFrame, boundaries: Boundaries, lang: str) -> None:
        self.lang = lang
        lat = pd.to_numeric(frame["latitude"], errors="coerce").to_numpy(dtype=float)
        lon = pd.to_numeric(frame["longitude"], errors="coerce").to_numpy(dtype=float)
        n = len(frame)
        self.raw_lat, self.raw_lon = lat, lon
        self.has = ~(np.isnan(lat) | np.isnan(lon))
        self.x, self.y = lon.copy(), lat.copy()
        self._boundaries = boundaries
        self._top = boundaries.levels[0]
        top = boundaries.units(self._top)
        self._pcodes = top["pcode"].to_numpy(dtype=object)
        shapes = top.geometry.values
        hit = locate(self.x, self.y, self.has, shapes)
        nowhere = np.flatnonzero(self.has & (hit < 0))
        if len(nowhere):
            # Just outside a coarse outline: the nearest unit, unless too far.
            hit[nowhere] = nearest(shapes, self.x[nowhere], self.y[nowhere],
                                   NAME_POINT_TOLERANCE_KM / _KM_PER_DEGREE)
        self.outside = self.has & (hit < 0)
        # The swapped reading of a point outside Mali, when it falls inside a unit.
        swapped = locate(lat, lon, self.outside, shapes)
        self.swappable = swapped >= 0
        self.swap_unit = np.full(n, None, dtype=object)
        self.swap_unit[self.swappable] = self._pcodes[swapped[self.swappable]]
        self._hit, self._swapped = hit, swapped
        self.swap_note = np.full(n, None, dtype=object)
        self.units = {lv.key: np.full(n, None, dtype=object) for lv in boundaries.levels}
        self._geometry = dict(zip(self._pcodes, shapes, strict=True))
        self._names = boundaries.index(self._top.key).display

    @property
    def top(self) -> np.ndarray:
        """The P-code of the top-level unit of each row's point."""
        return self.units[self._top.key]

    def say(self, key: str, **values: object) -> str:
        return join_message(key, self.lang, **values)

    def apply_swaps(self, swap: np.ndarray) -> None:
        """Use the swapped reading where ``swap`` holds, then locate the finer levels."""
        self.x = np.where(swap, self.raw_lat, self.raw_lon)
        self.y = np.where(swap, self.raw_lon, self.raw_lat)
        hit = np.where(swap, self._swapped, self._hit)
        self.outside = self.outside & ~swap
        self.swap_note = where(swap, lambda i: self.say(
            "swapped", lat=f"{self.raw_lat[i]:g}", lon=f"{self.raw_lon[i]:g}"), len(swap))
        self.top[hit >= 0] = self._pcodes[hit[hit >= 0]]
        for lv in self._boundaries.levels[1:]:
            units = self._boundaries.units(lv)
            found = locate(self.x, self.y, self.has & ~self.outside, units.geometry.values)
            self.units[lv.key][found >= 0] = units["pcode"].to_numpy(dtype=object)[
                found[found >= 0]]

    def name(self, pcode: str | None) -> str:
        """The name of a top-level unit (the P-code itself when unknown)."""
        return self._names.get(pcode, str(pcode))

    def outside_note(self, i: int, refusal: str | None) -> str:
        lat, lon = f"{self.raw_lat[i]:g}", f"{self.raw_lon[i]:g}"
        notes = [self.say("outside", lat=lat, lon=lon)]
        if refusal:
            notes.append(self.say("outside_swap", lat=lat, lon=lon,
                                  unit=repr(self.name(self.swap_unit[i])), reason=refusal))
        return "; ".join([*notes, self.say("not_used")])

    def far_from(self, mask: np.ndarray, pcode: np.ndarray) -> np.ndarray:
        """Where ``mask`` holds and the point lies beyond the tolerance of unit ``pcode``."""
        out = np.zeros(len(mask), dtype=bool)
        rows = np.flatnonzero(mask)
        if len(rows):
            shapes = [self._geometry.get(p) for p in pcode[rows]]
            distance = shapely.distance(np.array(shapes, dtype=object),
                                        shapely.points(self.x[rows], self.y[rows]))
            out[rows] = distance * _KM_PER_DEGREE > NAME_POINT_TOLERANCE_KM
        return out

    def disagreement(self, i: int, pcode: str, named_by: str) -> str:
        return self.say("conflict_point", lat=f"{self.y[i]:g}", lon=f"{self.x[i]:g}",
                        found=repr(self.name(self.top[i])), named=repr(self.name(pcode)),
                        by=self.say(f"by.{named_by}"))


def locate(x: np.ndarray, y: np.ndarray, has: np.ndarray, shapes: np.ndarray) -> np.ndarray:
    """Index of the first of ``shapes`` containing each point (``-1``: none)."""
    hit = np.full(len(x), -1, dtype=np.int64)
    for number, shape in enumerate(shapes):
        if shape is None or shape.is_empty:
            continue
        xmin, ymin, xmax, ymax = shape.bounds
        rows = np.flatnonzero(has & (hit < 0) & (x >= xmin) & (x <= xmax)
                              & (y >= ymin) & (y <= ymax))
        if len(rows):
            shapely.prepare(shape)
            hit[rows[shapely.contains_xy(shape, x[rows], y[rows])]] = number
    return hit


def nearest(shapes: np.ndarray, x: np.ndarray, y: np.ndarray,
             within: float) -> np.ndarray:
    """The nearest of ``shapes`` to each point (lowest index on ties; ``-1`` if none is
    ``within`` that distance)."""
    points = shapely.points(x, y)
    source, target = shapely.STRtree(shapes).query(points, predicate="dwithin",
                                                   distance=within)
    distance = shapely.distance(points[source], shapes[target])
    order = np.lexsort((target, distance, source))  # per point: closest, then lowest index
    source, target = source[order], target[order]
    first = np.ones(len(source), dtype=bool)
    first[1:] = source[1:] != source[:-1]
    nearest = np.full(len(x), -1, dtype=np.int64)
    nearest[source[first]] = target[first]
    return nearest

