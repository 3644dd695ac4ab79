"""Sanity of a boundary file's units: a CRS (or degrees), valid polygons with an area,
units located in Mali, unique codes, OCHA P-codes recognised by outline."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely import make_valid

from .._core import UnreadableFile
from .._reference import UNIT_BY_PCODE, Level, embedded_regions_path
from ._files import POLYGONAL, read_trusted
from ._lookup import UnitIndex

__all__ = ["check_duplicates", "check_in_mali", "recognise_by_outline", "repair", "to_wgs84"]

#: Share of a unit's area that must lie in Mali (the embedded outline, widened a little).
_IN_MALI_SHARE = 0.5
_MALI_MARGIN_DEGREES = 0.05


@cache
def _mali_outline() -> shapely.Geometry:
    """Mali as one polygon (the embedded regions), widened by a small margin."""
    outline = shapely.union_all(read_trusted(embedded_regions_path()).geometry.values)
    outline = outline.buffer(_MALI_MARGIN_DEGREES)
    shapely.prepare(outline)
    return outline


def check_in_mali(frame: gpd.GeoDataFrame, labels: pd.Series, path: str | Path) -> None:
    """Refuse units that lie mostly outside Mali (wrong file, wrong CRS, swapped axes)."""
    outline = _mali_outline()
    for index, geom, label in zip(frame.index, frame.geometry, labels, strict=True):
        if outline.contains(geom):
            continue
        inside = geom.intersection(outline).area if outline.intersects(geom) else 0.0
        if inside < _IN_MALI_SHARE * geom.area:
            x, y = geom.representative_point().coords[0]
            raise UnreadableFile(
                f"feature {index + 1} ({str(label)[:60]!r}) lies outside Mali (a point of it "
                f"is at longitude {x:.2f}, latitude {y:.2f}); these boundaries are not Mali's "
                "or their CRS is wrong", file=path)


def recognise_by_outline(out: gpd.GeoDataFrame, lv: Level, reference: gpd.GeoDataFrame,
                         path: str | Path, notes: list[str]) -> None:
    """Give the OCHA P-code to units whose code is not one but whose outline is a known unit's.

    A file of Mali's regions with its own codes ("1".."9", "Z0"…) then keeps the P-code
    semantics every look-up relies on; the file's code stays in ``code``. ``reference``
    holds the embedded units of level ``lv``.
    """
    known = set(reference["pcode"])
    unknown = [i for i, p in zip(out.index, out["pcode"], strict=True) if p not in known]
    if not unknown:
        return
    taken = set(out["pcode"])
    recognised = []
    tree = reference.sindex
    for i in unknown:
        geom = out.at[i, "geometry"]
        candidates = reference.iloc[tree.query(geom, predicate="intersects")]
        for pcode, ref in zip(candidates["pcode"], candidates.geometry, strict=True):
            union = geom.union(ref).area
            if pcode not in taken and union and geom.intersection(ref).area / union >= 0.8:
                out.at[i, "pcode"] = pcode
                if lv.parent is None:  # the gazetteer's own units
                    unit = UNIT_BY_PCODE[pcode]
                    out.at[i, "name_fr"], out.at[i, "name_en"] = unit.name_fr, unit.name_en
                    out.at[i, "iso"] = unit.iso
                taken.add(pcode)
                recognised.append(f"{out.at[i, 'code']}={pcode}")
                break
    if recognised:
        notes.append(f"{path}: {len(recognised)} unit{'s' if len(recognised) > 1 else ''} "
                     f"without an OCHA P-code recognised by outline ({', '.join(recognised[:9])}"
                     f"{', …' if len(recognised) > 9 else ''})")


def check_duplicates(out: gpd.GeoDataFrame, path: str | Path, column: str | None,
                     notes: list[str], lv: Level) -> None:
    """Refuse a code used twice (naming both features); note a name used twice (two units
    the unit look-up cannot tell apart by name)."""
    seen: dict[str, int] = {}
    for index, pcode in zip(out.index, out["pcode"], strict=True):
        if pcode in seen:
            raise UnreadableFile(f"code {pcode!r} appears on features {seen[pcode] + 1} and "
                                 f"{index + 1}; each unit needs its own code", file=path,
                                 column=column)
        seen[pcode] = index
    index = UnitIndex.from_units(out[["pcode", "name"]], lv)
    for pcodes in index.shared.values():
        if len(pcodes) > 1:
            shown = index.display[pcodes[0]]
            notes.append(f"{path}: the name {str(shown)[:60]!r} is used by {len(pcodes)} units "
                         f"({', '.join(pcodes)}); a record giving only this name is ambiguous, "
                         "give its code")


def to_wgs84(frame: gpd.GeoDataFrame, path: str | Path, notes: list[str]) -> gpd.GeoDataFrame:
    x_min, y_min, x_max, y_max = frame.total_bounds
    largest = max(abs(x_min), abs(x_max), abs(y_min), abs(y_max))
    not_degrees = max(abs(x_min), abs(x_max)) > 180 or max(abs(y_min), abs(y_max)) > 90
    if frame.crs is None or (frame.crs.is_geographic and not_degrees):
        if not_degrees:
            given = "has no CRS" if frame.crs is None else "says longitude/latitude"
            raise UnreadableFile(
                f"{given} but its coordinates reach {largest:,.0f}, so they are not degrees "
                "(metres of a projected CRS?); add the .prj file beside the .shp, or save "
                "the file with its CRS", file=path)
        notes.append(f"{path}: no CRS given; assumed EPSG:4326 (longitude/latitude)")
        return frame.set_crs("EPSG:4326")
    if frame.crs.to_epsg() != 4326:
        try:
            out = frame.to_crs("EPSG:4326")
        except Exception as exc:  # pyproj raises several types for unusable CRSs
            raise UnreadableFile(f"cannot convert its CRS to longitude/latitude ({exc})"[:200],
                                 file=path) from None
        if not all(abs(v) <= 360 for v in out.total_bounds):
            raise UnreadableFile("its coordinates do not fit its CRS", file=path)
        return out
    return frame


def repair(frame: gpd.GeoDataFrame, path: str | Path, notes: list[str]) -> gpd.GeoDataFrame:
    invalid = ~frame.geometry.is_valid
    if invalid.any():
        notes.append(f"{path}: repaired {int(invalid.sum())} invalid geometr"
                     f"{'y' if invalid.sum() == 1 else 'ies'}")
        frame = frame.copy()
        repaired = [_polygonal(g) for g in make_valid(frame.geometry[invalid].values)]
        frame.loc[invalid, frame.geometry.name] = repaired
    flat = frame.geometry.is_empty | (shapely.area(frame.geometry.values) <= 0)
    if flat.any():
        raise UnreadableFile(f"feature {int(frame.index[flat.to_numpy()][0]) + 1} has no area "
                             "(a polygon collapsed to a line or a point)", file=path)
    return frame


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygon parts of a repaired geometry (make_valid may add stray lines or points)."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in POLYGONAL]
    return shapely.union_all(parts) if parts else shapely.Polygon()

