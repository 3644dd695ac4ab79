"""Cartographic context: the countries around Mali, drawn in grey with their names."""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd

from .._core import label
from ._data import _shipped

#: Attribution of the context layer, shown on every map that draws it.
NEIGHBOURS_ATTRIBUTION = label("attribution.natural_earth")


@lru_cache(maxsize=1)
def _neighbours() -> gpd.GeoDataFrame:
    path = _shipped("neighbours.geojson", "context/neighbours.geojson")
    return gpd.read_file(path).set_crs("EPSG:4326", allow_override=True)


def load_neighbours() -> gpd.GeoDataFrame:
    """Mali's neighbouring countries (clipped to the region around Mali), in EPSG:4326.

    Columns: ``iso3``, ``name_fr``, ``name_en``, ``label_lon``, ``label_lat`` (where to
    write the name) and ``geometry``. Loaded once; a copy is returned.

    >>> sorted(set(load_neighbours()["iso3"]) & {"DZA", "NER", "SEN"})
    ['DZA', 'NER', 'SEN']
    """
    return _neighbours().copy()
