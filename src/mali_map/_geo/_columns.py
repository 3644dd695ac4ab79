"""Which columns of a boundary file hold each level's codes, names and parents (from the
level registry), and the standard columns of :class:`~mali_map._geo._model.Boundaries`
built from them."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import geopandas as gpd
import pandas as pd

from .._core import MissingColumns, UnreadableFile
from .._core import label as text_of
from .._reference import ADM1, LEVELS, UNIT_BY_PCODE, Level, detect_level, normalise_pcode
from ._lookup import UnitIndex
from ._sanity import check_duplicates, check_in_mali, recognise_by_outline, repair, to_wgs84

__all__ = ["attach_parents", "attribution", "detect_file_level", "find_column", "standardise"]


def find_column(frame: pd.DataFrame, candidates: tuple[str, ...]) -> str | None:
    """The first of ``candidates`` (lower case) that is a column of ``frame`` with a value."""
    lower = {c.lower(): c for c in frame.columns if c != "geometry"}
    for candidate in candidates:
        if candidate in lower and frame[lower[candidate]].notna().any():
            return lower[candidate]
    return None


def detect_file_level(frame: gpd.GeoDataFrame, path: str | Path, finest: Level) -> Level:
    """The level of a user's file (see :func:`mali_map._reference._levels.detect_level`); a
    file of a level finer than ``finest`` is refused here: it loads with its own argument."""
    shape_type = find_column(frame, ("shapetype",))
    found = detect_level(frame.columns, len(frame),
                         frame[shape_type].dropna().unique() if shape_type else ())
    if found.number > finest.number:
        allowed = " and ".join(f"{lv.label('en', plural=True).lower()} ({lv.key.upper()})"
                               for lv in LEVELS[:finest.number])
        raise UnreadableFile(f"holds {found.label('en', plural=True).lower()} "
                             f"({found.key.upper()}); give {allowed} here; "
                             f"{found.label('en', plural=True).lower()} load with "
                             f"load_boundaries({found.key}=...)", file=path)
    return found


def attribution(frame: pd.DataFrame, path: str | Path) -> str:
    """Who made a boundary file, from its columns: geoBoundaries, OCHA COD-AB, Natural
    Earth, else the file's name."""
    lower = {c.lower() for c in frame.columns}
    if "shapeid" in lower or "shapegroup" in lower:
        return text_of("attribution.geoboundaries")
    cod = {c for lv in LEVELS for c in lv.hints if c.endswith("pcode")}
    if lower & cod and "ne_id" not in lower:
        return text_of("attribution.cod")
    if "ne_id" in lower:
        return text_of("attribution.natural_earth")
    return Path(path).name


def standardise(frame: gpd.GeoDataFrame, path: str | Path, lv: Level,
                name_column: str | None, code_column: str | None,
                notes: list[str], *, check: bool = True,
                reference: gpd.GeoDataFrame | None = None) -> gpd.GeoDataFrame:
    """The standard columns of one level; ``pcode`` is the OCHA P-code when the unit is one of
    Mali's known units, else the file's own code (kept as given in ``code``).
    Which columns hold codes and names comes from the level registry (:mod:`._levels`);
    ``reference`` (the embedded units of the level, when there are) recognises P-codes by
    outline."""
    for given in (name_column, code_column):
        if given is not None and given not in frame.columns:
            raise MissingColumns(f"no column {given!r}; columns are "
                                 f"{', '.join(map(str, frame.columns))}", file=path)
    name_col = name_column or find_column(frame, lv.name_columns)
    code_col = code_column or find_column(frame, lv.code_columns)
    if name_col is None and code_col is None:
        raise MissingColumns(
            f"no name or code column for admin level {lv.number}; columns are "
            f"{', '.join(c for c in map(str, frame.columns) if c != 'geometry')} "
            "(use --name-column / --code-column)", file=path)
    frame = to_wgs84(frame, path, notes)
    frame = repair(frame, path, notes)
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
        check_in_mali(frame, names, path)
    out = gpd.GeoDataFrame({"name": names.str.strip()}, geometry=frame.geometry.values,
                           crs="EPSG:4326", index=frame.index)
    if lv.parent is None:  # the gazetteer's units
        canonical = [_canonical_top(code, name) for code, name in zip(codes, names, strict=True)]
        out.insert(0, "pcode", [c or str(code).strip() for c, code in zip(canonical, codes,
                                                                           strict=True)])
        units = [UNIT_BY_PCODE.get(c) if c else None for c in canonical]
        out["name_fr"] = [u.name_fr if u else n for u, n in zip(units, out["name"], strict=True)]
        out["name_en"] = [u.name_en if u else n for u, n in zip(units, out["name"], strict=True)]
        out["iso"] = [u.iso if u else None for u in units]
        alias_col = find_column(frame, ("aliases",))
        out["aliases"] = frame[alias_col].fillna("").astype(str).values if alias_col else ""
    else:
        out.insert(0, "pcode", [normalise_pcode(c) or str(c).strip() for c in codes])
    out.insert(2, "code", [str(c).strip() for c in codes])
    if check and reference is not None:
        recognise_by_outline(out, lv, reference, path, notes)
    check_duplicates(out, path, code_col or name_col, notes, lv)
    return out.reset_index(drop=True)


@cache
def _reference_index() -> UnitIndex:
    """Mali's first-level units as the gazetteer knows them (codes, names, aliases)."""
    table = pd.DataFrame({"pcode": [u.pcode for u in ADM1], "name": [u.name_fr for u in ADM1],
                          "name_en": [u.name_en for u in ADM1], "iso": [u.iso for u in ADM1]})
    return UnitIndex.from_units(table, LEVELS[0])


def _canonical_top(code: object, name: object) -> str | None:
    """The OCHA P-code of a first-level unit from its code or name, if it is one of Mali's
    (the units themselves: not a cercle's code, nor a post-2016 region inside one)."""
    reference = _reference_index()
    found = reference.code(code)
    if found is not None and found.note is None and (
            found.method != "pcode" or normalise_pcode(code) == found.pcode):
        return found.pcode
    found = reference.name(name)
    return found.pcode if found is not None and found.note is None else None


def attach_parents(units: gpd.GeoDataFrame, raw: gpd.GeoDataFrame, parents: gpd.GeoDataFrame,
                   path: str | Path, notes: list[str], lv: Level) -> gpd.GeoDataFrame:
    """``parent_pcode`` of each of ``units`` (of level ``lv``) among ``parents`` (the units
    of the level above): from the file's parent column, else by containment."""
    parent_col = find_column(raw, lv.parent_columns)
    if parent_col is not None:
        units["parent_pcode"] = [normalise_pcode(v) or str(v) for v in raw[parent_col]]
        return units
    points = gpd.GeoDataFrame(geometry=units.geometry.representative_point(), crs="EPSG:4326")
    hits = gpd.sjoin(points, parents[["pcode", "geometry"]], how="left", predicate="within")
    hits = hits[~hits.index.duplicated()]
    found = hits["pcode"].reindex(units.index)
    missing = found.isna()
    if missing.any():
        # Coarse outlines can miss a point near a border: take the largest overlap.
        for idx in units.index[missing]:
            overlaps = parents.geometry.intersection(units.geometry[idx]).area
            found[idx] = parents["pcode"].iloc[int(overlaps.values.argmax())]
    units["parent_pcode"] = found.values
    above = lv.parent.label("en").lower() if lv.parent else "unit"
    notes.append(f"{path}: parent {above}s of {len(units)} {lv.key.upper()} units derived "
                 "spatially")
    return units
