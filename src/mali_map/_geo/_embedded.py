"""The embedded boundaries: Mali's regions and cercles (geoBoundaries outlines with OCHA
P-codes), read once per process and handed out as fresh copies."""

from __future__ import annotations

from functools import cache

import geopandas as gpd

from .._core import label as text_of
from .._reference import LEVELS, embedded_cercles_path, embedded_regions_path
from ._columns import standardise
from ._files import read_trusted

__all__ = ["EMBEDDED_ATTRIBUTION", "embedded", "embedded_frames"]

#: Attribution of the embedded boundaries, shown on every map that uses them.
EMBEDDED_ATTRIBUTION = text_of("attribution.embedded")


def embedded() -> dict[str, gpd.GeoDataFrame]:
    """Fresh copies of the embedded units, by level key, top down (read once per process).

    >>> {key: len(units) for key, units in embedded().items()}
    {'adm1': 9, 'adm2': 50}
    """
    return {lv.key: units.copy() for lv, units in zip(LEVELS, embedded_frames(), strict=False)}


@cache
def embedded_frames() -> tuple[gpd.GeoDataFrame, ...]:
    """The embedded units of the top levels, top down (cached: copy before changing)."""
    path1 = embedded_regions_path()
    top = standardise(read_trusted(path1), path1, LEVELS[0], None, None, [], check=False)
    raw = read_trusted(embedded_cercles_path())
    code, parent = LEVELS[1].code_columns[0], LEVELS[0].code_columns[0]
    second = gpd.GeoDataFrame({
        "pcode": raw[code].astype(str), "name": raw["name_fr"].astype(str),
        "code": raw[code].astype(str), "name_fr": raw["name_fr"].astype(str),
        "name_en": raw["name_en"].astype(str), "aliases": raw["aliases"].fillna("").astype(str),
        "parent_pcode": raw[parent].astype(str),
    }, geometry=raw.geometry.values, crs="EPSG:4326")
    return top, second
