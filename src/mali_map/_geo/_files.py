"""Reading a boundary file: any vector format GDAL reads (GeoJSON, GeoPackage, shapefile,
zipped shapefile, TopoJSON), one layer chosen (never silently), broken TopoJSON and
non-polygon features refused with one line naming the file and the feature."""

from __future__ import annotations

import json
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio

from .._core import InputFileNotFound, UnreadableFile

__all__ = ["POLYGONAL", "read_file", "read_trusted"]

_TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods"}
#: Geometry types a boundary file may hold.
POLYGONAL = {"Polygon", "MultiPolygon"}


def read_trusted(path: Path) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return gpd.read_file(path)



def read_file(path: str | Path, layer: str | None = None,
               notes: list[str] | None = None) -> gpd.GeoDataFrame:
    p = Path(path)
    if not p.exists():
        raise InputFileNotFound("boundary file not found", file=path)
    if p.suffix.lower() in _TABLE_SUFFIXES:
        raise UnreadableFile(
            f"is a table ({p.suffix.lower()}), not a boundary file: boundaries need polygons "
            "(GeoJSON, GeoPackage, shapefile or zipped shapefile, TopoJSON)", file=path)
    if p.is_dir() and not any(p.glob("*.shp")):
        raise UnreadableFile("is a folder without a shapefile", file=path)
    target = _zip_member(p, layer) if p.suffix.lower() == ".zip" else str(p)
    if target.startswith("/vsizip/"):
        layer = None  # the member chosen is the layer
    _check_topojson(p)
    try:
        layer = _choose_layer(target, layer, path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = gpd.read_file(target, layer=layer)
    except UnreadableFile:
        raise
    except Exception as exc:  # pyogrio raises many types; all mean "cannot read"
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UnreadableFile(f"cannot read as a boundary file ({reason[:160]})",
                             file=path) from None
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        raise UnreadableFile("has no geometry column: boundaries need polygons", file=path)
    if frame.empty or frame.geometry.isna().all():
        raise UnreadableFile("holds no geometries", file=path)
    return _check_geometries(frame, path, notes if notes is not None else [])


def _zip_member(p: Path, layer: str | None) -> str:
    """The GDAL path of the shapefile inside a zip, wherever it sits in the archive."""
    try:
        with zipfile.ZipFile(p) as archive:
            members = [n for n in archive.namelist() if n.lower().endswith(".shp")
                       and not n.startswith("__MACOSX/") and "/." not in f"/{n}"]
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFile(f"is not a readable zip archive ({exc})", file=p) from None
    if not members:
        return str(p)  # maybe a zipped GeoJSON/GeoPackage: let GDAL try
    if layer is not None:
        chosen = [m for m in members if Path(m).stem == layer or m == layer]
        if not chosen:
            raise UnreadableFile(f"no shapefile {layer!r} in the archive; it holds "
                                 f"{', '.join(members)}", file=p)
        members = chosen[:1]
    if len(members) > 1:
        raise UnreadableFile(f"holds {len(members)} shapefiles ({', '.join(members)}); "
                             "choose one with --layer NAME", file=p)
    return f"/vsizip/{p.resolve()}/{members[0]}"


def _choose_layer(target: str, layer: str | None, path: str | Path) -> str | None:
    """The layer to read: the one asked for, or the only spatial one; never a silent pick."""
    layers = pyogrio.list_layers(target)
    spatial = [str(name) for name, geometry_type in layers if geometry_type is not None]
    names = [str(name) for name, _ in layers]
    if layer is not None:
        if layer not in names:
            raise UnreadableFile(f"no layer {layer!r}; its layers are {', '.join(names)}",
                                 file=path)
        return layer
    if len(spatial) > 1:
        raise UnreadableFile(f"has {len(spatial)} layers ({', '.join(spatial)}); choose one "
                             "with --layer NAME", file=path)
    return spatial[0] if spatial else None


def _check_topojson(p: Path) -> None:
    """Refuse a TopoJSON file whose geometries point at arcs it does not have."""
    if p.is_dir() or p.suffix.lower() not in {".topojson", ".json"} or \
            p.stat().st_size > 200_000_000:
        return
    try:
        topology = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return  # not our concern here: GDAL's reader reports unreadable files
    if not isinstance(topology, dict) or topology.get("type") != "Topology":
        return
    arcs = topology.get("arcs")
    if not isinstance(arcs, list):
        raise UnreadableFile("broken TopoJSON: no 'arcs' list", file=p)
    for i, arc in enumerate(arcs):
        if not isinstance(arc, list) or len(arc) < 2 or not all(
                isinstance(pt, list) and len(pt) >= 2 and all(
                    isinstance(v, int | float) for v in pt[:2]) for pt in arc):
            raise UnreadableFile(f"broken TopoJSON: arc {i} is not a list of at least two "
                                 "positions", file=p)
    objects = topology.get("objects")
    if not isinstance(objects, dict):
        raise UnreadableFile("broken TopoJSON: no 'objects'", file=p)
    for name, obj in objects.items():
        geometries = obj.get("geometries", [obj]) if isinstance(obj, dict) else []
        for number, geometry in enumerate(geometries, start=1):
            bad = _bad_arc(geometry.get("arcs") if isinstance(geometry, dict) else None,
                           len(arcs))
            if bad is not None:
                raise UnreadableFile(f"broken TopoJSON: object {name!r}, geometry {number} "
                                     f"refers to arc {bad}, but the file has {len(arcs)} "
                                     f"arc{'s' if len(arcs) != 1 else ''}", file=p)


def _bad_arc(refs: object, count: int) -> object | None:
    """The first arc reference in a nested list that is not an arc index, else ``None``."""
    if refs is None:
        return None
    stack = [refs]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, bool) or not isinstance(item, int) or not -count <= item < count:
            return item
    return None


def _check_geometries(frame: gpd.GeoDataFrame, path: str | Path,
                      notes: list[str]) -> gpd.GeoDataFrame:
    """Refuse points and lines (naming the feature); skip null or empty geometries with a note."""
    types = frame.geometry.geom_type
    empty = frame.geometry.isna() | frame.geometry.is_empty
    wrong = ~empty & ~types.isin(POLYGONAL)
    if wrong.any():
        first = int(wrong.to_numpy().nonzero()[0][0])
        raise UnreadableFile(
            f"feature {first + 1} is a {types.iloc[first]}; boundaries must be polygons "
            f"({int(wrong.sum())} feature{'s are' if wrong.sum() > 1 else ' is'} not)", file=path)
    if empty.any():
        rows = [str(i + 1) for i in empty.to_numpy().nonzero()[0]]
        notes.append(f"{path}: skipped {len(rows)} feature{'s' if len(rows) > 1 else ''} with "
                     f"no geometry (feature {', '.join(rows[:10])}"
                     f"{', …' if len(rows) > 10 else ''})")
        frame = frame.loc[~empty]
    return frame

