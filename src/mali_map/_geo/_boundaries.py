"""Load administrative boundaries: the embedded default or a user's file.

Any vector format GDAL reads (GeoJSON, GeoPackage, shapefile, zipped shapefile,
TopoJSON), any CRS: everything comes out in EPSG:4326 with the columns of
:class:`mali_map._join._model.Boundaries`. Name and code columns are detected for OCHA
COD-AB and geoBoundaries files and can be named explicitly.

A user's file is checked before use: polygons only, null or empty geometries
skipped with a note, a CRS (or degrees), units located in Mali, one layer, unique
codes (duplicate names are noted). Each refusal is one line naming the file and
the feature.
"""

from __future__ import annotations

import json
import warnings
import zipfile
from functools import cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from shapely import make_valid

from .._core import InputFileNotFound, MissingColumns, UnreadableFile
from .._core import label as text_of
from .._reference import (
    ADM1,
    LEVELS,
    UNIT_BY_PCODE,
    Level,
    detect_level,
    embedded_cercles_path,
    embedded_regions_path,
    normalise_pcode,
)
from ._lookup import UnitIndex
from ._model import Boundaries

#: Attribution of the embedded boundaries, shown on every map that uses them.
EMBEDDED_ATTRIBUTION = text_of("attribution.embedded")
_TABLE_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".ods"}
_POLYGONAL = {"Polygon", "MultiPolygon"}
#: Share of a unit's area that must lie in Mali (the embedded outline, widened a little).
_IN_MALI_SHARE = 0.5
_MALI_MARGIN_DEGREES = 0.05


def load_boundaries(
    path: str | Path | None = None,
    *,
    adm2: str | Path | None = None,
    name_column: str | None = None,
    code_column: str | None = None,
    layer: str | None = None,
    adm2_layer: str | None = None,
    adm3: str | Path | None = None,
    adm3_layer: str | None = None,
) -> Boundaries:
    """Load first- and second-level boundaries (and communes, third-level, when given).

    With no argument: the embedded regions (ADM1) and cercles (ADM2), from
    geoBoundaries with OCHA P-codes. ``path`` is a user's ADM1 file (then no
    cercles unless ``adm2`` is given) or ADM2 file (then the embedded regions
    serve as ADM1). ``adm2`` names an ADM2 file explicitly; without it and
    without ``path`` the embedded cercles are used. An ADM2 file without a parent
    column gets its parent derived spatially from ADM1. ``layer`` / ``adm2_layer``
    choose a layer of a multi-layer file (GeoPackage, folder or zip of shapefiles).
    ``adm3`` is a communes (ADM3) file: loaded, checked and given parent cercles like
    ADM2, and served by ``Boundaries.index("adm3")``; the join and the maps do not use
    communes yet.

    >>> b = load_boundaries()
    >>> len(b.adm1), len(b.adm2), b.adm1.crs.to_epsg()
    (9, 50, 4326)
    >>> b.adm2.set_index("pcode").loc["ML0503", ["name", "parent_pcode"]].tolist()
    ['Djenné', 'ML05']
    """
    notes: list[str] = []
    attribution: list[str] = []
    frame2 = None
    adm2_frame = None
    if path is None:
        adm1, embedded2 = _embedded()
        attribution.append(EMBEDDED_ATTRIBUTION)
        source = "embedded"
        if adm2 is None:
            adm2_frame = embedded2
    else:
        frame = _read_file(path, layer, notes)
        level = _detect_level(frame, path)
        if level.number >= 2 and adm2 is None:
            adm1 = _embedded()[0]
            attribution.append(EMBEDDED_ATTRIBUTION)
            adm2, frame2 = path, frame
        else:
            adm1 = _standardise(frame, path, 1, name_column, code_column, notes)
            attribution.append(_attribution(frame, path))
        source = str(path)
    if adm2 is not None:
        raw2 = frame2 if frame2 is not None else _read_file(adm2, adm2_layer, notes)
        _detect_level(raw2, adm2)  # refuses communes given as cercles
        adm2_frame = _standardise(raw2, adm2, 2, name_column if path is None else None,
                                  code_column if path is None else None, notes)
        adm2_frame = _attach_parents(adm2_frame, raw2, adm1, adm2, notes)
        attribution.append(_attribution(raw2, adm2))
    adm3_frame = None
    if adm3 is not None:
        if adm2_frame is None:
            raise UnreadableFile("communes need their cercles: give an ADM2 file too",
                                 file=adm3)
        raw3 = _read_file(adm3, adm3_layer, notes)
        adm3_frame = _standardise(raw3, adm3, 3, None, None, notes)
        adm3_frame = _attach_parents(adm3_frame, raw3, adm2_frame, adm3, notes, level=3)
        attribution.append(_attribution(raw3, adm3))
    unique = tuple(dict.fromkeys(attribution))
    return Boundaries(adm1=adm1, adm2=adm2_frame, attribution=unique, source=source,
                      warnings=notes, adm3=adm3_frame)


def _embedded() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Fresh copies of the embedded ADM1 and ADM2 frames (read once per process)."""
    adm1, adm2 = _embedded_frames()
    return adm1.copy(), adm2.copy()


@cache
def _embedded_frames() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    path1 = embedded_regions_path()
    adm1 = _standardise(_read_trusted(path1), path1, 1, None, None, [], check=False)
    raw = _read_trusted(embedded_cercles_path())
    adm2 = gpd.GeoDataFrame({
        "pcode": raw["adm2_pcode"].astype(str), "name": raw["name_fr"].astype(str),
        "code": raw["adm2_pcode"].astype(str), "name_fr": raw["name_fr"].astype(str),
        "name_en": raw["name_en"].astype(str), "aliases": raw["aliases"].fillna("").astype(str),
        "parent_pcode": raw["adm1_pcode"].astype(str),
    }, geometry=raw.geometry.values, crs="EPSG:4326")
    return adm1, adm2


def _read_trusted(path: Path) -> gpd.GeoDataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return gpd.read_file(path)


@cache
def _mali_outline() -> shapely.Geometry:
    """Mali as one polygon (the embedded regions), widened by a small margin."""
    outline = shapely.union_all(_read_trusted(embedded_regions_path()).geometry.values)
    outline = outline.buffer(_MALI_MARGIN_DEGREES)
    shapely.prepare(outline)
    return outline


def _read_file(path: str | Path, layer: str | None = None,
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
    wrong = ~empty & ~types.isin(_POLYGONAL)
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


def _check_in_mali(frame: gpd.GeoDataFrame, labels: pd.Series, path: str | Path) -> None:
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


def _find(frame: pd.DataFrame, candidates: tuple[str, ...]) -> str | None:
    lower = {c.lower(): c for c in frame.columns if c != "geometry"}
    for candidate in candidates:
        if candidate in lower and frame[lower[candidate]].notna().any():
            return lower[candidate]
    return None


def _detect_level(frame: gpd.GeoDataFrame, path: str | Path) -> Level:
    """The level of a user's ADM1/ADM2 file (see :func:`mali_map._reference._levels.detect_level`);
    communes (ADM3) are refused here: they load with ``adm3=``."""
    shape_type = _find(frame, ("shapetype",))
    found = detect_level(frame.columns, len(frame),
                         frame[shape_type].dropna().unique() if shape_type else ())
    if found.number > 2:
        raise UnreadableFile(f"holds {found.label('en').lower()}s ({found.key.upper()}); "
                             "give regions (ADM1) and cercles (ADM2) here; communes load with "
                             "load_boundaries(adm3=...)", file=path)
    return found


def _attribution(frame: pd.DataFrame, path: str | Path) -> str:
    lower = {c.lower() for c in frame.columns}
    if "shapeid" in lower or "shapegroup" in lower:
        return text_of("attribution.geoboundaries")
    if lower & {"admin1pcode", "adm1_pcode", "admin2pcode", "adm2_pcode"} and "ne_id" not in lower:
        return text_of("attribution.cod")
    if "ne_id" in lower:
        return text_of("attribution.natural_earth")
    return Path(path).name


def _standardise(frame: gpd.GeoDataFrame, path: str | Path, level: int | Level,
                 name_column: str | None, code_column: str | None,
                 notes: list[str], *, check: bool = True) -> gpd.GeoDataFrame:
    """The standard columns of one level; ``pcode`` is the OCHA P-code when the unit is one of
    Mali's known units, else the file's own code (kept as given in ``code``).
    Which columns hold codes and names comes from the level registry (:mod:`._levels`)."""
    lv = level if isinstance(level, Level) else LEVELS[level - 1]
    for given in (name_column, code_column):
        if given is not None and given not in frame.columns:
            raise MissingColumns(f"no column {given!r}; columns are "
                                 f"{', '.join(map(str, frame.columns))}", file=path)
    name_col = name_column or _find(frame, lv.name_columns)
    code_col = code_column or _find(frame, lv.code_columns)
    if name_col is None and code_col is None:
        raise MissingColumns(
            f"no name or code column for admin level {lv.number}; columns are "
            f"{', '.join(c for c in map(str, frame.columns) if c != 'geometry')} "
            "(use --name-column / --code-column)", file=path)
    frame = _to_wgs84(frame, path, notes)
    frame = _repair(frame, path, notes)
    names = frame[name_col].astype("string").str.strip() if name_col else None
    codes = frame[code_col].astype("string").str.strip() if code_col else None
    names = names.replace("", pd.NA) if names is not None else codes.replace("", pd.NA)
    codes = codes.replace("", pd.NA) if codes is not None else names
    nameless = (names.isna() & codes.isna()).to_numpy()
    if nameless.any():
        raise UnreadableFile(f"feature {int(frame.index[nameless][0]) + 1} has neither a name "
                             "nor a code", file=path, column=name_col or code_col)
    names, codes = names.fillna(codes), codes.fillna(names)
    if check:
        _check_in_mali(frame, names, path)
    out = gpd.GeoDataFrame({"name": names.str.strip()}, geometry=frame.geometry.values,
                           crs="EPSG:4326", index=frame.index)
    if lv.number == 1:
        canonical = [_canonical_adm1(code, name) for code, name in zip(codes, names, strict=True)]
        out.insert(0, "pcode", [c or str(code).strip() for c, code in zip(canonical, codes,
                                                                           strict=True)])
        units = [UNIT_BY_PCODE.get(c) if c else None for c in canonical]
        out["name_fr"] = [u.name_fr if u else n for u, n in zip(units, out["name"], strict=True)]
        out["name_en"] = [u.name_en if u else n for u, n in zip(units, out["name"], strict=True)]
        out["iso"] = [u.iso if u else None for u in units]
        alias_col = _find(frame, ("aliases",))
        out["aliases"] = frame[alias_col].fillna("").astype(str).values if alias_col else ""
    else:
        out.insert(0, "pcode", [normalise_pcode(c) or str(c).strip() for c in codes])
    out.insert(2, "code", [str(c).strip() for c in codes])
    if check and lv.number <= 2:  # the embedded reference has regions and cercles
        _recognise_by_outline(out, lv.number, path, notes)
    _check_duplicates(out, path, code_col or name_col, notes, lv)
    return out.reset_index(drop=True)


def _recognise_by_outline(out: gpd.GeoDataFrame, level: int, path: str | Path,
                          notes: list[str]) -> None:
    """Give the OCHA P-code to units whose code is not one but whose outline is a known unit's.

    A file of Mali's regions with its own codes ("1".."9", "Z0"…) then keeps the P-code
    semantics every look-up relies on; the file's code stays in ``code``.
    """
    reference = _embedded_frames()[level - 1]
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
                if level == 1:
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


def _check_duplicates(out: gpd.GeoDataFrame, path: str | Path, column: str | None,
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


@cache
def _reference_index() -> UnitIndex:
    """Mali's first-level units as the gazetteer knows them (codes, names, aliases)."""
    table = pd.DataFrame({"pcode": [u.pcode for u in ADM1], "name": [u.name_fr for u in ADM1],
                          "name_en": [u.name_en for u in ADM1], "iso": [u.iso for u in ADM1]})
    return UnitIndex.from_units(table, "adm1")


def _canonical_adm1(code: object, name: object) -> str | None:
    """The OCHA P-code of a first-level unit from its code or name, if it is one of Mali's
    (the units themselves: not a cercle's code, nor a post-2016 region inside one)."""
    reference = _reference_index()
    found = reference.code(code)
    if found is not None and found.note is None and (
            found.method != "pcode" or normalise_pcode(code) == found.pcode):
        return found.pcode
    found = reference.name(name)
    return found.pcode if found is not None and found.note is None else None


def _to_wgs84(frame: gpd.GeoDataFrame, path: str | Path, notes: list[str]) -> gpd.GeoDataFrame:
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


def _repair(frame: gpd.GeoDataFrame, path: str | Path, notes: list[str]) -> gpd.GeoDataFrame:
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
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in _POLYGONAL]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _attach_parents(adm2: gpd.GeoDataFrame, raw: gpd.GeoDataFrame, adm1: gpd.GeoDataFrame,
                    path: str | Path, notes: list[str], level: int = 2) -> gpd.GeoDataFrame:
    """``parent_pcode`` of each unit of ``level`` (here ``adm2``) in the level above (here
    ``adm1``): from the file's parent column, else by containment."""
    lv = LEVELS[level - 1]
    parent_col = _find(raw, lv.parent_columns)
    if parent_col is not None:
        adm2["parent_pcode"] = [normalise_pcode(v) or str(v) for v in raw[parent_col]]
        return adm2
    points = gpd.GeoDataFrame(geometry=adm2.geometry.representative_point(), crs="EPSG:4326")
    hits = gpd.sjoin(points, adm1[["pcode", "geometry"]], how="left", predicate="within")
    hits = hits[~hits.index.duplicated()]
    parents = hits["pcode"].reindex(adm2.index)
    missing = parents.isna()
    if missing.any():
        # Coarse ADM1 outlines can miss a point near a border: take the largest overlap.
        for idx in adm2.index[missing]:
            overlaps = adm1.geometry.intersection(adm2.geometry[idx]).area
            parents[idx] = adm1["pcode"].iloc[int(overlaps.values.argmax())]
    adm2["parent_pcode"] = parents.values
    above = lv.parent.label("en").lower() if lv.parent else "unit"
    notes.append(f"{path}: parent {above}s of {len(adm2)} {lv.key.upper()} units derived "
                 "spatially")
    return adm2
