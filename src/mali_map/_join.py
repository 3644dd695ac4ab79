"""Join records to administrative units and write the join report.

Each record is matched in a fixed order, the first method that succeeds wins:
P-code, ISO code, exact normalised name, alias table, fuzzy name, and finally
its coordinates (point in polygon). Coordinates that were swapped are fixed;
coordinates that disagree with a matched name are reported. Every input row
ends up in the report: rows in = matched + warning + unmatched + invalid.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz, process

from ._gazetteer import (
    ADM1,
    iso_to_pcode,
    name_key,
    normalise_pcode,
    reform_for_code,
    reforms,
)
from ._model import RECORD_FIELDS, REPORT_COLUMNS, STATUSES, Boundaries, JoinResult
from ._text import fold
from ._validate import NATIONAL_MARKERS

#: A place look-up (e.g. a towns gazetteer): place text -> (first-level P-code, note) or None.
PlaceLookup = Callable[[str], "tuple[str, str | None] | None"]
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
    units: tuple[str, ...] = ()      # several units (a multi-unit cell or a named area)
    foreign: bool = False            # the row's country is not Mali
    conflict: bool = False           # a code, name or point contradicts the unit used
    national: bool = False           # a national-level record
    named_by: str | None = None      # what gave the unit: code, name, cercle, place
    doubt: str | None = None         # why a swapped point would not be trusted
    suggestion: str | None = None    # a fix the user can apply


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

    def best(self, key: str) -> tuple[str, float] | None:
        """The closest unit name to ``key`` and its score, however low."""
        best = process.extractOne(key, list(self.names), scorer=fuzz.ratio)
        return None if best is None else (self.names[best[0]], float(best[1]))

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
    places: PlaceLookup | None = None,
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
    adm1_index = _Index(boundaries.adm1, region_aliases or {})
    adm2_index = _Index(boundaries.adm2, adm2_aliases or {}) if boundaries.adm2 is not None \
        else None
    resolver = _Resolver(adm1_index, adm2_index, fuzzy_threshold, places)
    frame = records.copy(deep=False).reset_index(drop=True)
    no_country = "country" not in frame
    for column in (*RECORD_FIELDS, "country", "invalid", "issues"):
        if column not in frame:
            frame[column] = pd.NA
    if "row" not in frame:
        frame["row"] = np.arange(2, len(frame) + 2)
    n = len(frame)
    invalid = _texts(frame["invalid"])
    is_invalid = pd.notna(invalid)

    combo, combos = _distinct(frame, _LOCATION, is_invalid)
    if no_country:  # only a column the records had is passed on
        del frame["country"]
    matches = [resolver.resolve(*values[:-1]) if not values[-1] else _Match()
               for values in combos]
    pcode = _column([m.pcode for m in matches], combo)
    adm2 = _column([m.adm2 for m in matches], combo)
    method = _column([m.method for m in matches], combo)
    score = np.array([m.score for m in matches], dtype=float)[combo] if matches \
        else np.zeros(0)
    failed = _column(["; ".join(m.failures) or None for m in matches], combo)
    warned = _column(["; ".join(m.warnings) or None for m in matches], combo)
    multi = _flags([bool(m.units) for m in matches], combo)
    foreign = _flags([m.foreign for m in matches], combo)
    conflict = _flags([m.conflict for m in matches], combo)
    national = _flags([m.national for m in matches], combo)
    doubt = _column([m.doubt for m in matches], combo)
    named_by = _column([m.named_by for m in matches], combo)

    pts = _Points(frame, boundaries)
    # Swapped coordinates are repaired only when the swapped point lies inside a unit
    # and nothing in the row contradicts it (country, an unknown or different unit).
    swap_ok = pts.swappable & ~foreign & ~multi & pd.isna(doubt) & (
        pd.isna(pcode) | (pts.swap_unit == pcode))
    pts.apply_swaps(swap_ok)
    refused = pts.swappable & ~swap_ok
    named = pd.notna(pcode) | multi
    usable = pts.has & ~pts.outside & ~foreign & ~multi
    by_point = usable & ~named
    pcode[by_point] = pts.adm1[by_point]
    adm2[by_point] = pts.adm2[by_point]
    method[by_point] = "coordinates"
    score[by_point] = 100.0
    failed[by_point] = None
    national[by_point] = False
    refine = usable & named & pd.isna(adm2) & pd.notna(pts.adm2) & (pts.adm1 == pcode)
    adm2[refine] = pts.adm2[refine]
    outside_note = _where(pts.outside & ~(foreign & ~refused), lambda i: pts.outside_note(
        i, _refusal(i, foreign, doubt, pcode, pts, frame) if refused[i] else None), n)
    far = pts.far_from(usable & pd.notna(pcode) & (pts.adm1 != pcode), pcode)
    disagree = _where(far, lambda i: pts.disagreement(i, pcode[i], named_by[i]), n)
    conflict |= far

    pcode[is_invalid] = None
    placed = pd.notna(pcode)
    multi &= ~is_invalid & ~placed
    national &= ~is_invalid & ~placed & ~multi & pd.isna(outside_note)
    issues = _issue_texts(frame["issues"])
    status = np.where(is_invalid, "invalid", np.where(placed, "matched", "unmatched"))
    status[multi] = "multi"
    status[national] = "national"
    message = np.full(n, "", dtype=object)
    rows = np.flatnonzero(is_invalid)
    message[rows] = _joined(rows, invalid, issues)
    rows = np.flatnonzero(national)
    message[rows] = _joined(rows, _constant(_NATIONAL, n), warned, issues)
    rows = np.flatnonzero(multi)
    message[rows] = _joined(rows, warned, failed, issues)
    rows = np.flatnonzero(~is_invalid & ~placed & ~multi & ~national)
    reason = _joined(rows, failed, outside_note)
    reason[reason == ""] = _NOTHING
    message[rows] = _joined(rows, _spread(reason, rows, n), pts.swap_note, warned, issues)
    rows = np.flatnonzero(placed & (pd.notna(failed) | pd.notna(pts.swap_note)
                                    | pd.notna(warned) | pd.notna(outside_note)
                                    | pd.notna(disagree) | pd.notna(issues)))
    message[rows] = _joined(rows, failed, pts.swap_note, warned, outside_note, disagree,
                            issues)
    status[rows] = "warning"
    conflict &= status == "warning"

    unit_lists = _column([";".join(m.units) or None for m in matches], combo)
    unit_lists[~multi] = pcode[~multi]
    names = dict(zip(boundaries.adm1["pcode"], boundaries.adm1["name"], strict=True))
    adm2[~placed] = None
    adm2_names = ({} if boundaries.adm2 is None else
                  dict(zip(boundaries.adm2["pcode"], boundaries.adm2["name"], strict=True)))
    frame["pcode"] = pcode
    frame["admin_name"] = pd.Series(pcode, dtype=object).map(names).to_numpy(dtype=object)
    frame["adm2"] = adm2
    frame["units"] = unit_lists
    frame["join_status"] = status
    frame["method"] = method
    frame["score"] = score
    frame["message"] = message
    frame["conflict"] = conflict
    geometry = np.full(n, None, dtype=object)
    keep = pts.has & placed
    geometry[keep] = shapely.points(pts.x[keep], pts.y[keep])
    joined = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs="EPSG:4326"),
                              copy=False)
    duplicates = organisation_duplicates(frame["organisation"])
    suggestion = _column([m.suggestion for m in matches], combo)
    if duplicates:
        merge = {name: f'--org-alias "{name}={canonical}"'
                 for group, canonical in duplicates for name in group if name != canonical}
        extra = frame["organisation"].map(merge).to_numpy(dtype=object)
        rows = np.flatnonzero(pd.notna(extra))
        suggestion[rows] = _joined(rows, suggestion, extra)
    report = pd.DataFrame({
        "row": frame["row"].values,
        "status": status,
        "pcode": frame["pcode"].astype("string").values,
        "admin_name": frame["admin_name"].astype("string").values,
        "adm2_pcode": pd.array(adm2, dtype="string"),
        "adm2_name": pd.array(pd.Series(adm2, dtype=object).map(adm2_names).to_numpy(
            dtype=object), dtype="string"),
        "units": pd.array(unit_lists, dtype="string"),
        "method": frame["method"].values,
        "score": frame["score"].astype(float).values,
        "message": message,
        "suggestion": pd.array(suggestion, dtype="string"),
        "organisation": frame["organisation"].astype("string").values,
        "sector": frame["sector"].astype("string").values,
        "activity": frame["activity"].astype("string").values,
        "location": pd.array(_locations(combos, combo, pts), dtype="string"),
    }, columns=list(REPORT_COLUMNS))
    warnings = list(boundaries.warnings) + [_duplicate_note(group, canonical)
                                            for group, canonical in duplicates]
    return JoinResult(records=joined, report=report,
                      boundaries=boundaries, source=str(records.attrs.get("source", "")),
                      warnings=warnings)


_LOCATION = ("adm1_pcode", "adm1_name", "adm2_pcode", "adm2_name", "place", "country",
             "precision")
_NATIONAL = "national-level record: not tied to one admin unit"
_NOTHING = "no region, cercle, code or coordinates"
#: Texts meaning Mali in a country column (folded).
MALI_NAMES: frozenset[str] = frozenset({
    "mali", "ml", "mli", "466", "republique du mali", "republic of mali", "rep du mali",
})
#: Separators between several units named in one cell.
_SEPARATORS = re.compile(r"\s*(?:[,;/+&]|\bet\b|\band\b)\s*", re.IGNORECASE)


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


def _flags(values: list[bool], combo: np.ndarray) -> np.ndarray:
    return np.array(values, dtype=bool)[combo] if values else np.zeros(len(combo), dtype=bool)


def _constant(text: str, n: int) -> np.ndarray:
    return np.full(n, text, dtype=object)


def _distinct(frame: pd.DataFrame, columns: tuple[str, ...],
              flag: np.ndarray) -> tuple[np.ndarray, list[tuple]]:
    """Each row's combination number and the distinct combinations of ``columns``.

    Values are cleaned with ``_text``; each combination ends with the row's ``flag``.
    """
    n = len(frame)
    key = flag.astype(np.int64)
    parts = []
    for column in columns:
        codes, labels = _text_codes(frame[column])
        parts.append((codes, labels))
        key = pd.factorize(key * len(labels) + codes + 1)[0]
    combo, count = key, (int(key.max()) + 1 if n else 0)
    first = np.zeros(count, dtype=np.int64)
    first[combo[::-1]] = np.arange(n)[::-1]
    combos = [(*(labels[codes[i] + 1] for codes, labels in parts), bool(flag[i]))
              for i in first]
    return combo, combos


def _where(mask: np.ndarray, build: Callable[[int], str], n: int) -> np.ndarray:
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


def _refusal(i: int, foreign: np.ndarray, doubt: np.ndarray, pcode: np.ndarray,
             pts: _Points, frame: pd.DataFrame) -> str:
    """Why a swapped reading that falls in Mali was not used for row ``i``."""
    if foreign[i]:
        return f"the row's country is {_text(frame['country'].iat[i])!r}"
    if doubt[i]:
        return doubt[i]
    return f"the row names {pts.name(pcode[i])!r}"


def _locations(combos: list[tuple], combo: np.ndarray, pts: _Points) -> np.ndarray:
    """The location of each row as written: codes, names, place, country, coordinates."""
    texts = _column([" / ".join(v for v in values[:6] if v) or None for values in combos],
                    combo)
    rows = np.flatnonzero(pts.has)
    lat, lon = pts.raw_lat[rows], pts.raw_lon[rows]
    coords = np.empty(len(rows), dtype=object)
    coords[:] = [f"{a:g}, {b:g}" for a, b in zip(lat.tolist(), lon.tolist(), strict=True)]
    texts[rows] = _joined(rows, texts, _spread(coords, rows, len(texts)))
    return texts


class _Points:
    """Every row's coordinates, located in the units; swaps are decided by the caller."""

    def __init__(self, frame: pd.DataFrame, boundaries: Boundaries) -> None:
        lat = pd.to_numeric(frame["latitude"], errors="coerce").to_numpy(dtype=float)
        lon = pd.to_numeric(frame["longitude"], errors="coerce").to_numpy(dtype=float)
        n = len(frame)
        self.raw_lat, self.raw_lon = lat, lon
        self.has = ~(np.isnan(lat) | np.isnan(lon))
        self.x, self.y = lon.copy(), lat.copy()
        self._boundaries = boundaries
        self._pcodes = boundaries.adm1["pcode"].to_numpy(dtype=object)
        shapes = boundaries.adm1.geometry.values
        hit = _locate(self.x, self.y, self.has, shapes)
        nowhere = np.flatnonzero(self.has & (hit < 0))
        if len(nowhere):
            # Just outside a coarse outline: the nearest unit, unless too far.
            hit[nowhere] = _nearest(shapes, self.x[nowhere], self.y[nowhere],
                                    NAME_POINT_TOLERANCE_KM / _KM_PER_DEGREE)
        self.outside = self.has & (hit < 0)
        # The swapped reading of a point outside Mali, when it falls inside a unit.
        swapped = _locate(lat, lon, self.outside, shapes)
        self.swappable = swapped >= 0
        self.swap_unit = np.full(n, None, dtype=object)
        self.swap_unit[self.swappable] = self._pcodes[swapped[self.swappable]]
        self._hit, self._swapped = hit, swapped
        self.swap_note = np.full(n, None, dtype=object)
        self.adm1 = np.full(n, None, dtype=object)
        self.adm2 = np.full(n, None, dtype=object)
        self._geometry = dict(zip(self._pcodes, shapes, strict=True))
        self._names = dict(zip(self._pcodes, boundaries.adm1["name"], strict=True))

    def apply_swaps(self, swap: np.ndarray) -> None:
        """Use the swapped reading where ``swap`` holds, then locate second-level units."""
        self.x = np.where(swap, self.raw_lat, self.raw_lon)
        self.y = np.where(swap, self.raw_lon, self.raw_lat)
        hit = np.where(swap, self._swapped, self._hit)
        self.outside = self.outside & ~swap
        self.swap_note = _where(swap, lambda i: (
            f"latitude {self.raw_lat[i]:g} and longitude {self.raw_lon[i]:g} were swapped; "
            "fixed"), len(swap))
        self.adm1[hit >= 0] = self._pcodes[hit[hit >= 0]]
        adm2 = self._boundaries.adm2
        if adm2 is not None:
            hit2 = _locate(self.x, self.y, self.has & ~self.outside, adm2.geometry.values)
            self.adm2[hit2 >= 0] = adm2["pcode"].to_numpy(dtype=object)[hit2[hit2 >= 0]]

    def name(self, pcode: str | None) -> str:
        return self._names.get(pcode, str(pcode))

    def outside_note(self, i: int, refusal: str | None) -> str:
        note = f"coordinates ({self.raw_lat[i]:g}, {self.raw_lon[i]:g}) fall outside Mali"
        if refusal:
            note += (f"; read swapped ({self.raw_lon[i]:g}, {self.raw_lat[i]:g}) they would "
                     f"fall in {self.name(self.swap_unit[i])!r}, but {refusal}")
        return note + "; not used"

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

    def disagreement(self, i: int, pcode: str, named_by: str | None) -> str:
        found, named = self._names[self.adm1[i]], self._names[pcode]
        return (f"conflict: coordinates ({self.y[i]:g}, {self.x[i]:g}) fall in {found!r}, "
                f"not in {named!r} as the {named_by or 'name'} says; kept {named!r} "
                "(a named unit outranks coordinates, which are often copied or swapped)")


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


@dataclass
class _Hit:
    pcode: str
    method: str
    score: float
    notes: list[str] = field(default_factory=list)
    units: tuple[str, ...] = ()


class _Resolver:
    """Resolves one distinct combination of location texts (codes, names, place, country)."""

    def __init__(self, adm1: _Index, adm2: _Index | None, threshold: float,
                 places: PlaceLookup | None) -> None:
        self.adm1, self.adm2, self.threshold, self.places = adm1, adm2, threshold, places

    def resolve(self, code1: str | None, name1: str | None, code2: str | None,
                name2: str | None, place: str | None = None, country: str | None = None,
                precision: str | None = None) -> _Match:
        match = _Match()
        if country and fold(country) not in MALI_NAMES:
            match.foreign = True
            match.failures.append(f"country {country!r}: outside Mali")
            return match
        national = precision == "national" or any(
            fold(t) in NATIONAL_MARKERS for t in (name1, place) if t)
        self._resolve(match, code1, name1, code2, name2, place, national)
        if match.pcode is None and not match.units:
            match.national = national and not match.failures
            if match.failures and not match.doubt:
                match.doubt = f"the row's location does not confirm it ({match.failures[0]})"
        return match

    def _resolve(self, match: _Match, code1: str | None, name1: str | None,
                 code2: str | None, name2: str | None, place: str | None,
                 national: bool) -> None:
        adm1, adm2 = self.adm1, self.adm2
        # ADM2 first when we have ADM2 boundaries: it also gives the parent.
        if adm2 is not None and (code2 or name2):
            parent_hint = _code_to_adm1(code1, adm1) or (adm1.names.get(name_key(name1))
                                                          if name1 else None)
            _match_level(match, adm2, code2, name2, self.threshold, parent_hint, level=2)
            if match.adm2:
                match.pcode = adm2.parent.get(match.adm2)
                match.named_by = "cercle"
                return
        by_code = self._code(match, code1, code2) if (code1 or code2) else None
        by_name = None
        if name1 and fold(name1) not in NATIONAL_MARKERS:
            scratch = _Match()
            by_name = self._name(scratch, name1)
            if by_code is None:
                match.failures.extend(scratch.failures)
                match.suggestion = scratch.suggestion
        if by_code and by_name and by_code.pcode not in (by_name.units or (by_name.pcode,)):
            exact = by_name.method in ("name", "alias", "reform") and not by_name.units
            used = by_name if exact else by_code
            why = ("the name matched exactly, and codes were renumbered across reforms"
                   if exact else "the name matched only approximately")
            match.warnings.append(
                f"conflict: code {code1 or code2!r} is {self._shown(by_code)!r} but name "
                f"{name1!r} is {self._shown(by_name)!r}; used {self._shown(used)!r} ({why})")
            match.conflict = True
            self._use(match, used, "name" if used is by_name else "code")
            return
        hit = by_code or by_name
        if hit is not None:
            self._use(match, hit, "code" if hit is by_code else "name")
            return
        if place and fold(place) not in NATIONAL_MARKERS and not (code1 or code2 or name1):
            # A national-level row is placed only by a named area ("northern Mali").
            hit = self._area(place) if national else self._place(place)
            if hit is not None:
                self._use(match, hit, "place")
                return
            if not (name2 or national):
                match.failures.append(f"place {place!r} is not a known unit or area")
        if name2 and adm2 is None:
            match.failures.append(f"cercle {name2!r} given but no ADM2 boundaries loaded (--adm2)")
            match.suggestion = "--adm2 FILE (a cercle boundary file)"

    def _use(self, match: _Match, hit: _Hit, named_by: str) -> None:
        match.pcode = None if hit.units else hit.pcode
        match.units = hit.units
        match.method, match.score, match.named_by = hit.method, hit.score, named_by
        match.warnings.extend(hit.notes)

    def _shown(self, hit: _Hit) -> str:
        return ", ".join(self.adm1.display.get(p, p) for p in (hit.units or (hit.pcode,)))

    def _code(self, match: _Match, code1: str | None, code2: str | None) -> _Hit | None:
        known = self.adm1.known
        # A cercle or commune P-code carries its region in its first four characters.
        for code in (code1, code2):
            pcode = normalise_pcode(code)
            if pcode and pcode[:4] in known:
                return _Hit(pcode[:4], "pcode", 100.0)
        for code in (code1, code2):
            iso, note = iso_to_pcode(code)
            if iso and iso in known:
                return _Hit(iso, "iso", 100.0, [note] if note else [])
        for code in (code1, code2):
            reform = reform_for_code(code)
            if reform is not None and reform.within[0] in known:
                return _Hit(reform.within[0], "reform", 100.0,
                            [f"code {code!r}: {reform.note()}"])
        match.failures.append(f"code {code1 or code2!r} is not a known P-code or ISO code")
        return None

    def _name(self, match: _Match, name: str) -> _Hit | None:
        """One unit, a named area, or several units separated by , ; / + & et and."""
        single = self._one_name(match, name, fuzzy=False)
        if single is not None:
            return single
        area = self._area(name)
        if area is not None:
            return area
        parts = [p for p in _SEPARATORS.split(name) if p.strip()]
        if len(parts) < 2:
            return self._one_name(match, name, fuzzy=True)
        hits, missing = [], []
        for part in parts:
            hit = self._one_name(_Match(), part, fuzzy=True)
            if hit is None:
                missing.append(part)
            else:
                hits.append(hit)
        if missing:
            match.failures.append(f"name {name!r}: {', '.join(map(repr, missing))} "
                                  "matches no ADM1 unit")
            return None
        units = tuple(dict.fromkeys(u for h in hits for u in (h.units or (h.pcode,))))
        notes = [n for h in hits for n in h.notes]
        if len(units) == 1:
            return _Hit(units[0], hits[0].method, min(h.score for h in hits), notes)
        return self._several(name, units, notes, "multi")

    def _several(self, text: str, units: tuple[str, ...], notes: list[str],
                 method: str) -> _Hit:
        shown = ", ".join(self.adm1.display.get(p, p) for p in units)
        notes = [*notes, f"{text!r} names {len(units)} units ({shown}): counted as an "
                 "activity in each; people reached and targeted are counted once, "
                 "nationally, not per unit"]
        return _Hit(units[0], method, 100.0, notes, units)

    def _area(self, text: str) -> _Hit | None:
        area = reforms()["area"].get(name_key(text))
        if area is None:
            return None
        units = tuple(p for p in area.within if p in self.adm1.known)
        if len(units) != len(area.within):
            return None
        return self._several(text, units, [area.note()], "area")

    def _one_name(self, match: _Match, name: str, fuzzy: bool) -> _Hit | None:
        key = name_key(name)
        index = self.adm1
        if key in index.names:
            return _Hit(index.names[key], "name", 100.0)
        if key in index.aliases:
            return _Hit(index.aliases[key][0], "alias", 100.0)
        reform = reforms()["name"].get(key)
        if reform is not None and reform.within[0] in index.known:
            return _Hit(reform.within[0], "reform", 100.0, [reform.note()])
        if not fuzzy:
            return None
        found = index.fuzzy(key, self.threshold, None)
        if found:
            shown = index.display[found[0]]
            return _Hit(found[0], "fuzzy", round(found[1], 1),
                        [f"name {name!r} matched {shown!r} by fuzzy score {found[1]:.0f}"])
        match.failures.append(f"name {name!r} matches no ADM1 unit")
        near = index.best(key)
        if near is not None and near[1] >= 60:
            match.suggestion = f'--alias "{name}={index.display[near[0]]}" if that is meant'
        return None

    def _place(self, place: str) -> _Hit | None:
        hit = self._area(place)
        if hit is not None:
            return hit
        hit = self._one_name(_Match(), place, fuzzy=False)
        if hit is not None:
            hit.notes.append(f"placed by its place {place!r}: the unit of that name")
            hit.method = "place"
            return hit
        if self.places is not None:
            found = self.places(place)
            if found is not None and found[0] in self.adm1.known:
                return _Hit(found[0], "place", 100.0, [found[1]] if found[1] else [])
        return None


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
    found = index.fuzzy(key, threshold, parent)
    if found:
        setattr(match, target, found[0])
        match.method, match.score = "fuzzy", round(found[1], 1)
        shown = index.display[found[0]]
        match.warnings.append(f"name {name!r} matched {shown!r} by fuzzy score {found[1]:.0f}")
        return
    match.failures.append(f"name {name!r} matches no ADM{level} unit")


_ORG_STOPWORDS = frozenset({"de", "du", "des", "la", "le", "les", "l", "d", "et", "pour",
                            "en", "au", "aux", "of", "the", "and", "for", "in"})


def organisation_duplicates(organisations: pd.Series) -> list[tuple[tuple[str, ...], str]]:
    """Groups of organisation names that are likely one organisation, with the fullest name.

    Likely means: the same once folded (case, accents, punctuation), an acronym of the
    other's initials, word-by-word abbreviations ("Asso." for "Association"), or a
    near spelling (fuzzy ratio >= 92). Never merged here: the join report and the
    console suggest the ``--org-alias`` that would merge them.

    >>> organisation_duplicates(pd.Series(["ADB", "Asso. Démo Baobab",
    ...                                    "Association Démo Baobab", "UNICEF"]))
    [(('ADB', 'Asso. Démo Baobab', 'Association Démo Baobab'), 'Association Démo Baobab')]
    """
    names = sorted({str(v).strip() for v in organisations.dropna().unique() if str(v).strip()})
    if len(names) < 2 or len(names) > 3000:
        return []
    folded = [fold(n) for n in names]
    words = [[w for w in f.split() if w not in _ORG_STOPWORDS] for f in folded]
    compact = [f.replace(" ", "") for f in folded]
    initials = ["".join(w[0] for w in ws) if len(ws) > 1 else "" for ws in words]
    parent = list(range(len(names)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    scores = process.cdist(folded, folded, scorer=fuzz.ratio)
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            if _same_organisation(i, j, folded, compact, initials, words, scores[i, j]):
                parent[root(j)] = root(i)
    groups: dict[int, list[str]] = {}
    for i, name in enumerate(names):
        groups.setdefault(root(i), []).append(name)
    out = []
    for members in groups.values():
        if len(members) > 1:
            canonical = max(members, key=lambda n: (len(fold(n)), n))
            out.append((tuple(members), canonical))
    return out


def _same_organisation(i: int, j: int, folded: list[str], compact: list[str],
                       initials: list[str], words: list[list[str]], score: float) -> bool:
    if compact[i] == compact[j]:
        return True
    for a, b in ((i, j), (j, i)):
        if " " not in folded[a] and 2 <= len(compact[a]) <= 8 and compact[a] == initials[b]:
            return True
    wi, wj = words[i], words[j]
    if len(wi) == len(wj) > 1 and wi != wj and all(
            min(len(x), len(y)) >= 3 and (x.startswith(y) or y.startswith(x))
            for x, y in zip(wi, wj, strict=True)):
        return True
    return min(len(folded[i]), len(folded[j])) >= 5 and score >= 92


def _duplicate_note(group: tuple[str, ...], canonical: str) -> str:
    shown = ", ".join(repr(n) for n in group)
    merge = " ".join(f'--org-alias "{n}={canonical}"' for n in group if n != canonical)
    return f"organisations {shown} look like one organisation; to merge them: {merge}"


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and np.isnan(value)


def summarise(result: JoinResult) -> dict[str, int]:
    """Counts of rows by join status (:data:`STATUSES`), plus ``rows`` and ``conflicts``.

    The statuses add up to ``rows``; ``conflicts`` counts the warnings where a code,
    name or point contradicts the unit used (a failure under ``--strict``).

    >>> from mali_map._boundaries import load_boundaries
    >>> summarise(join(pd.DataFrame({"adm1_name": ["Mopti"]}), load_boundaries()))
    {'rows': 1, 'matched': 1, 'warning': 0, 'national': 0, 'multi': 0, 'unmatched': 0, \
'invalid': 0, 'conflicts': 0}
    """
    counts = result.report["status"].value_counts()
    out = {"rows": len(result.report)}
    out.update({s: int(counts.get(s, 0)) for s in STATUSES})
    conflict = result.records.get("conflict")
    out["conflicts"] = int(conflict.sum()) if conflict is not None else 0
    return out


__all__ = ["ADM1", "MALI_NAMES", "PlaceLookup", "join", "organisation_duplicates", "summarise"]
