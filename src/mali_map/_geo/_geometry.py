"""Boundaries simplified once per build, shared by every page (and any other renderer).

:func:`simplify_units` simplifies a whole layer of units as one polygonal coverage
(``shapely.coverage_simplify``, Visvalingam-Whyatt on shared edges): neighbours
keep exactly the same simplified edge, so no slivers or overlaps open between
them, unlike simplifying each polygon on its own. Coordinates are then rounded;
shared vertices round alike, so edges stay matched.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from .._reference import load_neighbours
from ._model import Boundaries

#: Simplification tolerance (degrees, about the side of the smallest triangle kept).
ADM1_TOLERANCE = 0.004
ADM2_TOLERANCE = 0.002
#: The neighbouring countries are context: coarser, and rounded to about 110 m.
NEIGHBOUR_TOLERANCE = 0.02
NEIGHBOUR_DECIMALS = 3
#: Decimals kept in simplified coordinates (about 11 m).
COORD_DECIMALS = 4


def simplify_units(units: gpd.GeoDataFrame, tolerance: float,
                   decimals: int = COORD_DECIMALS) -> gpd.GeoDataFrame:
    """``units`` with their geometry simplified as one coverage and rounded.

    A unit whose geometry would vanish keeps its original (rounded) geometry; a
    layer that is not polygonal falls back to per-unit topology-preserving
    simplification.

    >>> from mali_map._geo._boundaries import load_boundaries
    >>> adm1 = load_boundaries().adm1
    >>> simple = simplify_units(adm1, 0.004)
    >>> len(simple) == len(adm1) and bool(simple.geometry.is_valid.all())
    True
    >>> int(shapely.get_num_coordinates(simple.geometry.values).sum()) < int(
    ...     shapely.get_num_coordinates(adm1.geometry.values).sum())
    True
    """
    geoms = np.asarray(units.geometry.values, dtype=object)
    present = np.array([g is not None and not g.is_empty for g in geoms], dtype=bool)
    out = geoms.copy()
    if present.any():
        valid = geoms[present]
        try:
            simple = shapely.coverage_simplify(valid, tolerance)
        except Exception:  # not a polygonal coverage: simplify unit by unit
            simple = shapely.simplify(valid, tolerance, preserve_topology=True)
        vanished = shapely.is_empty(simple) | shapely.is_missing(simple)
        simple = np.where(vanished, valid, simple)
        out[present] = shapely.set_precision(simple, 10.0 ** -decimals, mode="pointwise")
    frame = units.copy()
    frame["geometry"] = gpd.GeoSeries(list(out), index=units.index, crs=units.crs)
    return frame


@dataclass(frozen=True)
class SimpleBoundaries:
    """The simplified layers of one :class:`~mali_map._join._model.Boundaries`."""

    adm1: gpd.GeoDataFrame
    adm2: gpd.GeoDataFrame | None
    neighbours: gpd.GeoDataFrame | None = None


def simplify_boundaries(boundaries: Boundaries) -> SimpleBoundaries:
    """Both layers of ``boundaries`` and the neighbouring countries, simplified once.

    See :func:`simplify_units`; the neighbours come from
    :func:`mali_map._reference._context.load_neighbours`.

    >>> from mali_map._geo._boundaries import load_boundaries
    >>> simple = simplify_boundaries(load_boundaries())
    >>> len(simple.adm1), len(simple.adm2), "NER" in set(simple.neighbours["iso3"])
    (9, 50, True)
    """
    adm2 = boundaries.adm2
    return SimpleBoundaries(
        simplify_units(boundaries.adm1, ADM1_TOLERANCE),
        None if adm2 is None else simplify_units(adm2, ADM2_TOLERANCE),
        simplify_units(load_neighbours(), NEIGHBOUR_TOLERANCE, NEIGHBOUR_DECIMALS))
