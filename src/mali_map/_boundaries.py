"""Load administrative boundaries: the embedded default or a user's file.

Any vector format GDAL reads (GeoJSON, GeoPackage, shapefile, zipped shapefile,
TopoJSON), any CRS: everything comes out in EPSG:4326 with the columns of
:class:`mali_map._model.Boundaries`. Name and code columns are detected for OCHA
COD-AB and geoBoundaries files and can be named explicitly.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely import make_valid

from ._data import embedded_regions_path
from ._errors import InputFileNotFound, MissingColumns, UnreadableFile
from ._gazetteer import ADM1, UNIT_BY_PCODE, iso_to_pcode, name_key, normalise_pcode
from ._model import Boundaries

# Candidate columns, most specific first, compared case-insensitively.
_CODE_COLUMNS = {
    1: ("adm1_pcode", "admin1pcode", "adm1_pcode", "adm1pcode", "pcode", "shapeiso", "iso_3166_2"),
    2: ("adm2_pcode", "admin2pcode", "adm2pcode", "pcode", "shapeid"),
}
_NAME_COLUMNS = {
    1: ("name_fr", "admin1name", "admin1name_fr", "adm1_fr", "adm1_name", "adm1_en",
        "admin1name_en", "shapename", "name"),
    2: ("adm2_name", "admin2name", "admin2name_fr", "adm2_fr", "adm2_en", "admin2name_en",
        "shapename", "name"),
}
_NATURAL_EARTH = "Natural Earth (public domain)"
_PARENT_COLUMNS = ("admin1pcode", "adm1_pcode", "adm1pcode")
_LEVEL2_HINTS = ("admin2pcode", "adm2_pcode", "admin2name", "adm2_fr", "adm2_en")


def load_boundaries(
    path: str | Path | None = None,
    *,
    adm2: str | Path | None = None,
    name_column: str | None = None,
    code_column: str | None = None,
) -> Boundaries:
    """Load first-level boundaries, and optionally second-level ones.

    ``path`` is an ADM1 file (``None``: the embedded regions) or an ADM2 file, in
    which case the embedded regions serve as ADM1. ``adm2`` names an ADM2 file
    explicitly. An ADM2 file without a parent column gets its parent derived
    spatially from ADM1.

    >>> b = load_boundaries()
    >>> len(b.adm1), b.adm1.crs.to_epsg(), b.adm2 is None
    (9, 4326, True)
    """
    notes: list[str] = []
    attribution: list[str] = []
    frame2 = None
    if path is None:
        adm1 = _read_level(embedded_regions_path(), 1, None, None, notes)
        attribution.append(_NATURAL_EARTH)
        source = "embedded"
    else:
        frame = _read_file(path)
        level = _detect_level(frame, path)
        if level == 2 and adm2 is None:
            adm1 = _read_level(embedded_regions_path(), 1, None, None, notes)
            attribution.append(_NATURAL_EARTH)
            adm2, frame2 = path, frame
        else:
            adm1 = _standardise(frame, path, 1, name_column, code_column, notes)
            attribution.append(_attribution(frame, path))
        source = str(path)
    adm2_frame = None
    if adm2 is not None:
        raw2 = frame2 if frame2 is not None else _read_file(adm2)
        adm2_frame = _standardise(raw2, adm2, 2, name_column if path is None else None,
                                  code_column if path is None else None, notes)
        adm2_frame = _attach_parents(adm2_frame, raw2, adm1, adm2, notes)
        attribution.append(_attribution(raw2, adm2))
    unique = tuple(dict.fromkeys(attribution))
    return Boundaries(adm1=adm1, adm2=adm2_frame, attribution=unique, source=source,
                      warnings=notes)


def _read_file(path: str | Path) -> gpd.GeoDataFrame:
    p = Path(path)
    if not p.exists():
        raise InputFileNotFound("boundary file not found", file=path)
    if p.is_dir() and not any(p.glob("*.shp")):
        raise UnreadableFile("is a folder without a shapefile", file=path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = gpd.read_file(p)
    except Exception as exc:  # pyogrio raises many types; all mean "cannot read"
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise UnreadableFile(f"cannot read as a boundary file ({reason[:160]})",
                             file=path) from None
    if frame.empty or frame.geometry.isna().all():
        raise UnreadableFile("holds no geometries", file=path)
    return frame


def _read_level(path: Path, level: int, name_column: str | None, code_column: str | None,
                notes: list[str]) -> gpd.GeoDataFrame:
    return _standardise(_read_file(path), path, level, name_column, code_column, notes)


def _find(frame: pd.DataFrame, candidates: tuple[str, ...]) -> str | None:
    lower = {c.lower(): c for c in frame.columns if c != "geometry"}
    for candidate in candidates:
        if candidate in lower and frame[lower[candidate]].notna().any():
            return lower[candidate]
    return None


def _detect_level(frame: gpd.GeoDataFrame, path: str | Path) -> int:
    lower = {c.lower() for c in frame.columns}
    if any(h in lower for h in _LEVEL2_HINTS):
        return 2
    shape_type = _find(frame, ("shapetype",))
    if shape_type and frame[shape_type].astype(str).str.upper().eq("ADM2").any():
        return 2
    return 2 if len(frame) > 12 else 1


def _attribution(frame: pd.DataFrame, path: str | Path) -> str:
    lower = {c.lower() for c in frame.columns}
    if "shapeid" in lower or "shapegroup" in lower:
        return "geoBoundaries (CC BY 4.0)"
    if lower & {"admin1pcode", "adm1_pcode", "admin2pcode", "adm2_pcode"} and "ne_id" not in lower:
        return "OCHA COD-AB"
    if "ne_id" in lower:
        return _NATURAL_EARTH
    return Path(path).name


def _standardise(frame: gpd.GeoDataFrame, path: str | Path, level: int,
                 name_column: str | None, code_column: str | None,
                 notes: list[str]) -> gpd.GeoDataFrame:
    for given in (name_column, code_column):
        if given is not None and given not in frame.columns:
            raise MissingColumns(f"no column {given!r}; columns are "
                                 f"{', '.join(map(str, frame.columns))}", file=path)
    name_col = name_column or _find(frame, _NAME_COLUMNS[level])
    code_col = code_column or _find(frame, _CODE_COLUMNS[level])
    if name_col is None and code_col is None:
        raise MissingColumns(
            f"no name or code column for admin level {level}; columns are "
            f"{', '.join(c for c in map(str, frame.columns) if c != 'geometry')} "
            "(use --name-column / --code-column)", file=path)
    frame = _to_wgs84(frame, path, notes)
    frame = _repair(frame, path, notes)
    names = frame[name_col].astype("string") if name_col else frame[code_col].astype("string")
    codes = frame[code_col].astype("string") if code_col else names
    out = gpd.GeoDataFrame({"name": names.str.strip()}, geometry=frame.geometry.values,
                           crs="EPSG:4326")
    if level == 1:
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
    if out["pcode"].duplicated().any():
        dup = out.loc[out["pcode"].duplicated(), "pcode"].iloc[0]
        raise UnreadableFile(f"code {dup!r} appears on more than one feature", file=path,
                             column=code_col or name_col)
    return out


def _canonical_adm1(code: object, name: object) -> str | None:
    """The OCHA P-code of a first-level unit from its code or name, if it is one of Mali's."""
    pcode = normalise_pcode(code)
    if pcode in UNIT_BY_PCODE:
        return pcode
    iso_pcode, _ = iso_to_pcode(code)
    if iso_pcode and iso_to_pcode(code)[1] is None:
        return iso_pcode
    key = name_key(name)
    for unit in ADM1:
        if key in {name_key(n) for n in (unit.name_fr, unit.name_en, *unit.aliases)}:
            return unit.pcode
    return None


def _to_wgs84(frame: gpd.GeoDataFrame, path: str | Path, notes: list[str]) -> gpd.GeoDataFrame:
    if frame.crs is None:
        notes.append(f"{path}: no CRS given; assumed EPSG:4326 (longitude/latitude)")
        return frame.set_crs("EPSG:4326")
    if frame.crs.to_epsg() != 4326:
        return frame.to_crs("EPSG:4326")
    return frame


def _repair(frame: gpd.GeoDataFrame, path: str | Path, notes: list[str]) -> gpd.GeoDataFrame:
    invalid = ~frame.geometry.is_valid
    if invalid.any():
        notes.append(f"{path}: repaired {int(invalid.sum())} invalid geometr"
                     f"{'y' if invalid.sum() == 1 else 'ies'}")
        frame = frame.copy()
        frame.loc[invalid, frame.geometry.name] = make_valid(frame.geometry[invalid].values)
    return frame


def _attach_parents(adm2: gpd.GeoDataFrame, raw: gpd.GeoDataFrame, adm1: gpd.GeoDataFrame,
                    path: str | Path, notes: list[str]) -> gpd.GeoDataFrame:
    parent_col = _find(raw, _PARENT_COLUMNS)
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
    notes.append(f"{path}: parent regions of {len(adm2)} ADM2 units derived spatially")
    return adm2
