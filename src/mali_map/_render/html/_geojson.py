"""Units and neighbouring countries as GeoJSON, with the points where their names go."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.ops import polylabel

from ..._core import cell_text
from ..._geo import COORD_DECIMALS
from .._pages import unit_names

__all__ = ["features", "label_point", "neighbours_json"]

#: A neighbouring country is named where its label point is in the page's view
#: (grown by this fraction on each side), else at the middle of its part in that
#: view if the part covers at least :data:`NEIGHBOUR_MIN_SHARE` of it.
VIEW_MARGIN = 0.25
NEIGHBOUR_MIN_SHARE = 0.02


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


def features(units: gpd.GeoDataFrame, lang: str) -> dict[str, Any]:
    """Units as GeoJSON: P-code ``p``, name ``n`` in ``lang``, label point ``c`` [lat, lon]."""
    feats = []
    names = unit_names(units, lang)
    for pcode, name, geom in zip(units["pcode"], names, units.geometry, strict=True):
        if geom is None or geom.is_empty:
            continue
        inner = label_point(geom)
        props = {"p": cell_text(pcode), "n": name,
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
                      "properties": {"n": cell_text(getattr(row, column)), "c": anchor},
                      "geometry": shapely.geometry.mapping(geom)})
    return {"type": "FeatureCollection", "features": feats}
