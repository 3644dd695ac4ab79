"""Join records to administrative units and write the join report.

Each record is matched in a fixed order, the first method that succeeds wins:
P-code, ISO code, exact normalised name, alias table, fuzzy name, and finally
its coordinates (point in polygon). Coordinates that were swapped are fixed;
coordinates that disagree with a matched name are reported. Every input row
ends up in the report: rows in = matched + warning + unmatched + invalid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz, process

from ._gazetteer import ADM1, SUCCESSORS, iso_to_pcode, name_key, normalise_pcode
from ._model import RECORD_FIELDS, REPORT_COLUMNS, Boundaries, JoinResult
from ._text import fold
from ._validate import NATIONAL_MARKERS

#: Default minimum rapidfuzz score (0-100) for a fuzzy name match.
FUZZY_THRESHOLD = 85.0
#: How far (km) a point may lie outside the unit its name gives before it is a warning.
NAME_POINT_TOLERANCE_KM = 10.0
_KM_PER_DEGREE = 111.0  # rough, only used against the tolerance above


@dataclass
class _Match:
    pcode: str | None = None
    adm2: str | None = None
    method: str = ""
    score: float = np.nan
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


class _Index:
    """Name and code look-ups over one admin level."""

    def __init__(self, units: gpd.GeoDataFrame, extra_aliases: Mapping[str, str]) -> None:
        self.units = units
        self.known = set(units["pcode"])
        self.display = dict(zip(units["pcode"], units["name"], strict=True))
        self.names: dict[str, str] = {}
        self.aliases: dict[str, tuple[str, str | None]] = {}
        for row in units.itertuples():
            for name in (row.name, getattr(row, "name_fr", None), getattr(row, "name_en", None)):
                if isinstance(name, str) and name.strip():
                    self.names.setdefault(name_key(name), row.pcode)
            for alias in str(getattr(row, "aliases", "") or "").split(";"):
                if alias.strip():
                    self.aliases.setdefault(name_key(alias), (row.pcode, None))
        for alias, target in extra_aliases.items():
            self.aliases[name_key(alias)] = (self.resolve_target(alias, target), None)
        self.parent = (dict(zip(units["pcode"], units["parent_pcode"], strict=True))
                       if "parent_pcode" in units else {})

    def resolve_target(self, alias: str, target: str) -> str:
        pcode = normalise_pcode(target) or str(target).strip()
        if pcode in self.known:
            return pcode
        if name_key(target) in self.names:
            return self.names[name_key(target)]
        shown = ", ".join(sorted(self.display.values()))
        raise ValueError(f"alias {alias!r} points at {target!r}, which is not a unit of these "
                         f"boundaries; use a P-code or one of: {shown}")

    def fuzzy(self, key: str, threshold: float, parent: str | None) -> tuple[str, float] | None:
        choices = {k: v for k, v in self.names.items()
                   if parent is None or self.parent.get(v, parent) == parent}
        best = process.extractOne(key, list(choices), scorer=fuzz.ratio)
        if best is None or best[1] < threshold:
            return None
        return choices[best[0]], float(best[1])


def join(
    records: pd.DataFrame,
    boundaries: Boundaries,
    *,
    fuzzy_threshold: float = FUZZY_THRESHOLD,
    region_aliases: Mapping[str, str] | None = None,
    adm2_aliases: Mapping[str, str] | None = None,
) -> JoinResult:
    """Match every record to a first-level unit (and a second-level one when given).

    ``region_aliases`` / ``adm2_aliases`` map extra spellings to a unit's P-code or
    name. Returns a :class:`JoinResult` whose ``report`` has one row per record.

    Codes and names are resolved once per distinct combination of the location
    columns and broadcast to the rows; points are located with vectorised
    point-in-polygon tests; messages are built only for the rows that need one.

    >>> from mali_map._boundaries import load_boundaries
    >>> recs = pd.DataFrame({"row": [2, 3], "adm1_name": ["Tomboctou", "Atlantis"]})
    >>> report = join(recs, load_boundaries()).report
    >>> report[["status", "pcode", "method"]].values.tolist()
    [['matched', 'ML06', 'alias'], ['unmatched', <NA>, '']]
    """
    from ._options import check_threshold  # here: keeps this module's imports as they are

    fuzzy_threshold = check_threshold(fuzzy_threshold)  # 0-100, finite (NaN matched all)
    adm1_index = _Index(boundaries.adm1, region_aliases or {})
    adm2_index = _Index(boundaries.adm2, adm2_aliases or {}) if boundaries.adm2 is not None \
        else None
    frame = records.copy(deep=False).reset_index(drop=True)
    for column in (*RECORD_FIELDS, "invalid", "issues"):
        if column not in frame:
            frame[column] = pd.NA
    if "row" not in frame:
        frame["row"] = np.arange(2, len(frame) + 2)
    invalid = _texts(frame["invalid"])
    is_invalid = pd.notna(invalid)

    combo, combos = _distinct(frame, _LOCATION, is_invalid)
    matches = [_match_one(*values, adm1_index, adm2_index, fuzzy_threshold)
               for values in combos]
    pcode = _column([m.pcode for m in matches], combo)
    adm2 = _column([m.adm2 for m in matches], combo)
    method = _column([m.method for m in matches], combo)
    score = np.array([m.score for m in matches], dtype=float)[combo] if matches \
        else np.zeros(0)
    failed = _column(["; ".join(m.failures) or None for m in matches], combo)
    warned = _column(["; ".join(m.warnings) or None for m in matches], combo)

    pts = _Points(frame, boundaries)
    named = pd.notna(pcode)
    usable = pts.has & ~pts.outside
    by_point = usable & ~named
    pcode[by_point] = pts.adm1[by_point]
    adm2[by_point] = pts.adm2[by_point]
    method[by_point] = "coordinates"
    score[by_point] = 100.0
    failed[by_point] = None
    refine = usable & named & pd.isna(adm2) & pd.notna(pts.adm2) & (pts.adm1 == pcode)
    adm2[refine] = pts.adm2[refine]
    outside_note = _where(pts.outside, lambda i: (
        f"coordinates ({pts.y[i]:g}, {pts.x[i]:g}) fall outside Mali; not used"), len(frame))
    disagree = _where(pts.far_from(usable & named & (pts.adm1 != pcode), pcode),
                      lambda i: pts.disagreement(i, pcode[i]), len(frame))

    pcode[is_invalid] = None
    placed = pd.notna(pcode)
    issues = _issue_texts(frame["issues"])
    status = np.where(is_invalid, "invalid", np.where(placed, "matched", "unmatched"))
    message = np.full(len(frame), "", dtype=object)
    rows = np.flatnonzero(is_invalid)
    message[rows] = _joined(rows, invalid, issues)
    rows = np.flatnonzero(~is_invalid & ~placed)
    reason = _joined(rows, failed, outside_note)
    national = _texts(frame["precision"])[rows] == "national"
    reason = np.where(national & (reason == ""), _NATIONAL, reason)
    reason[reason == ""] = _NOTHING
    message[rows] = _joined(rows, np.asarray(_spread(reason, rows, len(frame))),
                            pts.swap_note, warned, issues)
    rows = np.flatnonzero(placed & (pd.notna(failed) | pd.notna(pts.swap_note)
                                    | pd.notna(warned) | pd.notna(outside_note)
                                    | pd.notna(disagree) | pd.notna(issues)))
    message[rows] = _joined(rows, failed, pts.swap_note, warned, outside_note, disagree,
                            issues)
    status[rows] = "warning"

    names = dict(zip(boundaries.adm1["pcode"], boundaries.adm1["name"], strict=True))
    frame["pcode"] = pcode
    frame["admin_name"] = pd.Series(pcode, dtype=object).map(names).to_numpy(dtype=object)
    adm2[~placed] = None
    frame["adm2"] = adm2
    frame["join_status"] = status
    frame["method"] = method
    frame["score"] = score
    frame["message"] = message
    geometry = np.full(len(frame), None, dtype=object)
    keep = pts.has & placed
    geometry[keep] = shapely.points(pts.x[keep], pts.y[keep])
    joined = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs="EPSG:4326"),
                              copy=False)
    report = pd.DataFrame({
        "row": frame["row"].values,
        "status": status,
        "pcode": frame["pcode"].astype("string").values,
        "admin_name": frame["admin_name"].astype("string").values,
        "method": frame["method"].values,
        "score": frame["score"].astype(float).values,
        "message": message,
    }, columns=list(REPORT_COLUMNS))
    return JoinResult(records=joined, report=report,
                      boundaries=boundaries, source=str(records.attrs.get("source", "")),
                      warnings=list(boundaries.warnings))


_LOCATION = ("adm1_pcode", "adm1_name", "adm2_pcode", "adm2_name")
_NATIONAL = "national-level record: not tied to one admin unit"
_NOTHING = "no region, cercle, code or coordinates"


def _text(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _texts(column: pd.Series) -> np.ndarray:
    """``_text`` of every value, computed once per distinct value."""
    codes, labels = _text_codes(column)
    return labels[codes + 1]


def _text_codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the distinct cleaned (``_text``) values and the values (``-1``: empty).

    ``labels[codes + 1]`` gives the cleaned value of each row (``labels[0]`` is ``None``).
    """
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    cleaned = [_text(u) for u in uniques]
    merged, labels = pd.factorize(np.array(cleaned, dtype=object), use_na_sentinel=True)
    lookup = np.append(merged, -1)  # code -1 (missing) stays -1
    return lookup[codes], np.array([None, *labels], dtype=object)


def _column(values: list, combo: np.ndarray) -> np.ndarray:
    """Per-combination ``values`` broadcast to the rows (an object array)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out[combo]


def _distinct(frame: pd.DataFrame, columns: tuple[str, ...],
              blank: np.ndarray) -> tuple[np.ndarray, list[tuple[str | None, ...]]]:
    """Each row's combination number and the distinct combinations of ``columns``.

    Values are cleaned with ``_text``; rows where ``blank`` is true count as empty.
    """
    n = len(frame)
    key = np.zeros(n, dtype=np.int64)
    parts = []
    for column in columns:
        codes, labels = _text_codes(frame[column])
        codes = np.where(blank, -1, codes)
        parts.append((codes, labels))
        key = pd.factorize(key * len(labels) + codes + 1)[0]
    combo, count = key, (int(key.max()) + 1 if n else 0)
    first = np.zeros(count, dtype=np.int64)
    first[combo[::-1]] = np.arange(n)[::-1]
    combos = [tuple(labels[codes[i] + 1] for codes, labels in parts) for i in first]
    return combo, combos


def _where(mask: np.ndarray, build, n: int) -> np.ndarray:
    """An object array with ``build(i)`` where ``mask`` holds and ``None`` elsewhere."""
    out = np.full(n, None, dtype=object)
    for i in np.flatnonzero(mask):
        out[i] = build(i)
    return out


def _spread(values: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    out = np.full(n, None, dtype=object)
    out[rows] = values
    return out


def _joined(rows: np.ndarray, *parts: np.ndarray) -> np.ndarray:
    """For each of ``rows``, its non-empty ``parts`` joined with "; "."""
    columns = [p[rows] for p in parts]
    out = np.empty(len(rows), dtype=object)
    out[:] = ["; ".join(filter(None, values)) for values in zip(*columns, strict=True)]
    return out


def _issue_texts(column: pd.Series) -> np.ndarray:
    """The validation issues of each row joined with "; " (``None`` when there are none)."""
    values = column.to_numpy(dtype=object)
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    except TypeError:  # unhashable (lists): one at a time
        return np.array([_issue_text(v) for v in values], dtype=object)
    return np.array([None, *(_issue_text(u) for u in uniques)], dtype=object)[codes + 1]


def _issue_text(value: object) -> str | None:
    if _is_missing(value):
        return None
    if isinstance(value, str):
        return value or None
    return "; ".join(str(v) for v in value) or None


class _Points:
    """Every row's coordinates, swapped back where that lands in Mali, located in the units."""

    def __init__(self, frame: pd.DataFrame, boundaries: Boundaries) -> None:
        lat = pd.to_numeric(frame["latitude"], errors="coerce").to_numpy(dtype=float)
        lon = pd.to_numeric(frame["longitude"], errors="coerce").to_numpy(dtype=float)
        n = len(frame)
        self.has = ~(np.isnan(lat) | np.isnan(lon))
        swap = self.has & ~_in_mali_box(lon, lat) & _in_mali_box(lat, lon)
        self.x = np.where(swap, lat, lon)
        self.y = np.where(swap, lon, lat)
        self.swap_note = _where(swap, lambda i: (
            f"latitude {lat[i]:g} and longitude {lon[i]:g} were swapped; fixed"), n)
        self.units = boundaries.adm1
        pcodes = boundaries.adm1["pcode"].to_numpy(dtype=object)
        hit = _locate(self.x, self.y, self.has, boundaries.adm1.geometry.values)
        self.adm2 = np.full(n, None, dtype=object)
        if boundaries.adm2 is not None:
            hit2 = _locate(self.x, self.y, self.has, boundaries.adm2.geometry.values)
            self.adm2[hit2 >= 0] = boundaries.adm2["pcode"].to_numpy(dtype=object)[
                hit2[hit2 >= 0]]
        nowhere = np.flatnonzero(self.has & (hit < 0))
        self.outside = np.zeros(n, dtype=bool)
        if len(nowhere):
            # Just outside a coarse outline: the nearest unit, unless too far.
            nearest = _nearest(boundaries.adm1.geometry.values, self.x[nowhere],
                               self.y[nowhere], NAME_POINT_TOLERANCE_KM / _KM_PER_DEGREE)
            far = nearest < 0
            self.outside[nowhere[far]] = True
            hit[nowhere[~far]] = nearest[~far]
        self.adm1 = np.full(n, None, dtype=object)
        self.adm1[hit >= 0] = pcodes[hit[hit >= 0]]
        self._geometry = dict(zip(pcodes, boundaries.adm1.geometry.values, strict=True))
        self._names = dict(zip(pcodes, boundaries.adm1["name"], strict=True))

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

    def disagreement(self, i: int, pcode: str) -> str:
        found, named = self._names[self.adm1[i]], self._names[pcode]
        return (f"coordinates ({self.y[i]:g}, {self.x[i]:g}) fall in {found!r}, "
                f"not in {named!r} as the name says; kept {named!r}")


def _in_mali_box(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return (lon >= -12.5) & (lon <= 4.5) & (lat >= 10.0) & (lat <= 25.2)


def _locate(x: np.ndarray, y: np.ndarray, has: np.ndarray, shapes: np.ndarray) -> np.ndarray:
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


def _nearest(shapes: np.ndarray, x: np.ndarray, y: np.ndarray,
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


def _match_one(code1: str | None, name1: str | None, code2: str | None, name2: str | None,
               adm1: _Index, adm2: _Index | None, threshold: float) -> _Match:
    match = _Match()
    # ADM2 first when we have ADM2 boundaries: it also gives the parent.
    if adm2 is not None and (code2 or name2):
        parent_hint = _code_to_adm1(code1, adm1) or (adm1.names.get(name_key(name1))
                                                      if name1 else None)
        _match_level(match, adm2, code2, name2, threshold, parent_hint, level=2)
        if match.adm2:
            match.pcode = adm2.parent.get(match.adm2)
            return match

    if code1 or code2:
        # A cercle or commune P-code carries its region in its first four characters.
        for code in (code1, code2):
            pcode = normalise_pcode(code)
            if pcode and pcode[:4] in adm1.known:
                match.pcode, match.method, match.score = pcode[:4], "pcode", 100.0
                return match
        for code in (code1, code2):
            iso, note = iso_to_pcode(code)
            if iso:
                match.pcode, match.method, match.score = iso, "iso", 100.0
                if note:
                    match.warnings.append(note)
                return match
        shown = code1 or code2
        match.failures.append(f"code {shown!r} is not a known P-code or ISO code")
    if name1 and fold(name1) not in NATIONAL_MARKERS:
        _match_level(match, adm1, None, name1, threshold, None, level=1)
        if match.pcode:
            return match
    if name2 and adm2 is None:
        match.failures.append(f"cercle {name2!r} given but no ADM2 boundaries loaded (--adm2)")
    return match


def _code_to_adm1(code: str | None, adm1: _Index) -> str | None:
    pcode = normalise_pcode(code)
    if pcode and pcode[:4] in adm1.known:
        return pcode[:4]
    return iso_to_pcode(code)[0]


def _match_level(match: _Match, index: _Index, code: str | None, name: str | None,
                 threshold: float, parent: str | None, level: int) -> None:
    target = "adm2" if level == 2 else "pcode"
    if code:
        pcode = normalise_pcode(code) or code.strip()
        if pcode in index.known:
            setattr(match, target, pcode)
            match.method, match.score = "pcode", 100.0
            return
        match.failures.append(f"code {code!r} is not in the ADM{level} boundaries")
    if not name:
        return
    key = name_key(name)
    if key in index.names:
        setattr(match, target, index.names[key])
        match.method, match.score = "name", 100.0
        return
    if key in index.aliases:
        setattr(match, target, index.aliases[key][0])
        match.method, match.score = "alias", 100.0
        return
    if level == 1 and key in SUCCESSORS:
        match.pcode, note = SUCCESSORS[key]
        match.method, match.score = "alias", 100.0
        match.warnings.append(note)
        return
    found = index.fuzzy(key, threshold, parent)
    if found:
        setattr(match, target, found[0])
        match.method, match.score = "fuzzy", round(found[1], 1)
        shown = index.display[found[0]]
        match.warnings.append(f"name {name!r} matched {shown!r} by fuzzy score {found[1]:.0f}")
        return
    match.failures.append(f"name {name!r} matches no ADM{level} unit")


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and np.isnan(value)


def summarise(result: JoinResult) -> dict[str, int]:
    """Counts of rows by join status, plus ``rows``; the statuses add up to ``rows``.

    >>> from mali_map._boundaries import load_boundaries
    >>> summarise(join(pd.DataFrame({"adm1_name": ["Mopti"]}), load_boundaries()))
    {'rows': 1, 'matched': 1, 'warning': 0, 'unmatched': 0, 'invalid': 0}
    """
    counts = result.report["status"].value_counts()
    out = {"rows": len(result.report)}
    out.update({s: int(counts.get(s, 0)) for s in ("matched", "warning", "unmatched", "invalid")})
    return out


__all__ = ["ADM1", "join", "summarise"]
