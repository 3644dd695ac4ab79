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
from shapely.geometry import Point

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

    >>> from mali_map._boundaries import load_boundaries
    >>> recs = pd.DataFrame({"row": [2, 3], "adm1_name": ["Tomboctou", "Atlantis"]})
    >>> report = join(recs, load_boundaries()).report
    >>> report[["status", "pcode", "method"]].values.tolist()
    [['matched', 'ML06', 'alias'], ['unmatched', <NA>, '']]
    """
    adm1_index = _Index(boundaries.adm1, region_aliases or {})
    adm2_index = _Index(boundaries.adm2, adm2_aliases or {}) if boundaries.adm2 is not None \
        else None
    frame = records.copy().reset_index(drop=True)
    for column in (*RECORD_FIELDS, "invalid", "issues"):
        if column not in frame:
            frame[column] = pd.NA
    if "row" not in frame:
        frame["row"] = np.arange(2, len(frame) + 2)
    points, point_notes = _points(frame)
    in_adm1 = _locate(points, boundaries.adm1)
    in_adm2 = _locate(points, boundaries.adm2) if boundaries.adm2 is not None else None

    matches = []
    for i, rec in enumerate(frame.itertuples(index=False)):
        match = _match_one(rec, adm1_index, adm2_index, fuzzy_threshold)
        match.warnings[:0] = point_notes[i]
        _use_point(match, points[i], in_adm1[i], None if in_adm2 is None else in_adm2[i],
                   boundaries)
        matches.append(match)

    names = dict(zip(boundaries.adm1["pcode"], boundaries.adm1["name"], strict=True))
    statuses, messages = [], []
    for rec, match in zip(frame.itertuples(index=False), matches, strict=True):
        status, message = _verdict(rec, match)
        statuses.append(status)
        messages.append(message)
    frame["pcode"] = [m.pcode for m in matches]
    frame.loc[pd.Series(statuses).eq("invalid").values, "pcode"] = None
    frame["admin_name"] = [names.get(p) if p else None for p in frame["pcode"]]
    frame["adm2"] = [m.adm2 if p else None for m, p in zip(matches, frame["pcode"], strict=True)]
    frame["join_status"] = statuses
    frame["method"] = [m.method for m in matches]
    frame["score"] = [m.score for m in matches]
    frame["message"] = messages
    geometry = [p if p is not None and pc else None
                for p, pc in zip(points, frame["pcode"], strict=True)]
    joined = gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")
    report = pd.DataFrame({
        "row": frame["row"].values,
        "status": statuses,
        "pcode": frame["pcode"].astype("string").values,
        "admin_name": frame["admin_name"].astype("string").values,
        "method": frame["method"].values,
        "score": frame["score"].astype(float).values,
        "message": messages,
    }, columns=list(REPORT_COLUMNS))
    return JoinResult(records=joined, report=report,
                      boundaries=boundaries, source=str(records.attrs.get("source", "")),
                      warnings=list(boundaries.warnings))


def _text(value: object) -> str | None:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _match_one(rec: object, adm1: _Index, adm2: _Index | None, threshold: float) -> _Match:
    match = _Match()
    if _text(getattr(rec, "invalid", None)):
        return match
    code1, name1 = _text(rec.adm1_pcode), _text(rec.adm1_name)
    code2, name2 = _text(rec.adm2_pcode), _text(rec.adm2_name)

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


def _points(frame: pd.DataFrame) -> tuple[list[Point | None], list[list[str]]]:
    """Points from latitude/longitude, swapping them back when that lands in Mali."""
    lat = pd.to_numeric(frame["latitude"], errors="coerce").to_numpy(dtype=float)
    lon = pd.to_numeric(frame["longitude"], errors="coerce").to_numpy(dtype=float)
    points: list[Point | None] = []
    notes: list[list[str]] = []
    for y, x in zip(lat, lon, strict=True):
        row_notes: list[str] = []
        if np.isnan(y) or np.isnan(x):
            points.append(None)
        elif _in_mali_box(x, y):
            points.append(Point(x, y))
        elif _in_mali_box(y, x):
            points.append(Point(y, x))
            row_notes.append(f"latitude {y:g} and longitude {x:g} were swapped; fixed")
        else:
            points.append(Point(x, y))
        notes.append(row_notes)
    return points, notes


def _in_mali_box(lon: float, lat: float) -> bool:
    return -12.5 <= lon <= 4.5 and 10.0 <= lat <= 25.2


def _locate(points: list[Point | None], units: gpd.GeoDataFrame | None) -> list[str | None]:
    if units is None:
        return [None] * len(points)
    located: list[str | None] = [None] * len(points)
    present = [(i, p) for i, p in enumerate(points) if p is not None]
    if not present:
        return located
    frame = gpd.GeoDataFrame({"i": [i for i, _ in present]},
                             geometry=[p for _, p in present], crs="EPSG:4326")
    hits = gpd.sjoin(frame, units[["pcode", "geometry"]], how="inner", predicate="within")
    for i, pcode in zip(hits["i"], hits["pcode"], strict=True):
        located[i] = located[i] or pcode
    return located


def _use_point(match: _Match, point: Point | None, adm1_hit: str | None,
               adm2_hit: str | None, boundaries: Boundaries) -> None:
    if point is None:
        return
    if adm1_hit is None:
        distances = shapely.distance(boundaries.adm1.geometry.values, point)
        if distances.min() * _KM_PER_DEGREE > NAME_POINT_TOLERANCE_KM:
            note = f"coordinates ({point.y:g}, {point.x:g}) fall outside Mali; not used"
            (match.warnings if match.pcode else match.failures).append(note)
            return
        # Just outside a coarse outline: take the nearest unit.
        adm1_hit = boundaries.adm1["pcode"].iloc[int(distances.argmin())]
    if match.pcode is None:
        match.pcode, match.adm2, match.method, match.score = adm1_hit, adm2_hit, \
            "coordinates", 100.0
        match.failures.clear()
        return
    if adm2_hit and match.adm2 is None and adm1_hit == match.pcode:
        match.adm2 = adm2_hit
    if adm1_hit != match.pcode:
        unit = boundaries.adm1.set_index("pcode").loc[match.pcode]
        if unit.geometry.distance(point) * _KM_PER_DEGREE > NAME_POINT_TOLERANCE_KM:
            names = dict(zip(boundaries.adm1["pcode"], boundaries.adm1["name"], strict=True))
            match.warnings.append(
                f"coordinates ({point.y:g}, {point.x:g}) fall in {names[adm1_hit]!r}, "
                f"not in {unit['name']!r} as the name says; kept {unit['name']!r}")


def _verdict(rec: object, match: _Match) -> tuple[str, str]:
    invalid = _text(getattr(rec, "invalid", None))
    issues = list(getattr(rec, "issues", None) or ()) if not _is_missing(
        getattr(rec, "issues", None)) else []
    if invalid:
        return "invalid", "; ".join([invalid, *issues])
    if match.pcode is None:
        precision = _text(getattr(rec, "precision", None))
        if precision == "national" and not match.failures:
            reason = "national-level record: not tied to one admin unit"
        else:
            reason = "; ".join(match.failures) or "no region, cercle, code or coordinates"
        return "unmatched", "; ".join([reason, *match.warnings, *issues])
    notes = [*match.failures, *match.warnings, *issues]
    return ("warning" if notes else "matched"), "; ".join(notes)


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
