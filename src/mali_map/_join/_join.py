"""Join records to administrative units and build the join report.

The rules (README, "Join rules"): a row of another country is never placed; a
cercle, then the region code and name (exact, alias, later reforms, fuzzy), then the
place column (a named area, a unit, a gazetteer town) give the unit; coordinates
come last. A code, name or point that contradicts the unit used is a warning that
names both (a conflict under ``--strict``); national-level rows and rows naming
several units have statuses of their own. Swapped coordinates are fixed only when
the swapped point lies in a unit and nothing in the row contradicts it. Every input
row ends up in the report: rows in = the sum over :data:`~mali_map._join._model.STATUSES`.
Messages come from the English and French templates of :mod:`mali_map._core._i18n`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._core import check_language, check_threshold, fold, join_message
from .._geo import FUZZY_THRESHOLD, Boundaries, UnitIndex
from .._read import MALI_NAMES, NATIONAL_MARKERS, RECORD_FIELDS
from .._reference import (
    ADM1,
    UNIT_BY_PCODE,
    Place,
    find_place,
    iso_to_pcode,
    name_key,
    normalise_pcode,
    reform_for_code,
    reforms,
)
from ._model import REPORT_COLUMNS, STATUSES, JoinResult
from ._organisations import duplicate_note, organisation_duplicates

#: A places gazetteer: place text -> the places of that name (default: ``find_place``).
PlaceLookup = Callable[[str], Sequence[Place]]
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
    point: tuple[float, float] | None = None  # a gazetteer town's (latitude, longitude)


def join(
    records: pd.DataFrame,
    boundaries: Boundaries,
    *,
    fuzzy_threshold: float = FUZZY_THRESHOLD,
    region_aliases: Mapping[str, str] | None = None,
    adm2_aliases: Mapping[str, str] | None = None,
    places: PlaceLookup | None = None,
    lang: str = "en",
) -> JoinResult:
    """Match every record to a first-level unit (and a second-level one when given).

    ``region_aliases`` / ``adm2_aliases`` map extra spellings to a unit's P-code or
    name; ``places`` looks up towns named in the place column (default: the shipped
    gazetteer, :func:`mali_map.find_place`); ``lang`` ("en" or "fr") is the language of
    the report's messages. Returns a :class:`JoinResult` whose ``report`` has one row
    per record.

    Codes and names are resolved once per distinct combination of the location
    columns and broadcast to the rows; points are located with vectorised
    point-in-polygon tests; messages are built only for the rows that need one.

    >>> from mali_map._geo._boundaries import load_boundaries
    >>> recs = pd.DataFrame({"row": [2, 3], "adm1_name": ["Tomboctou", "Atlantis"]})
    >>> report = join(recs, load_boundaries()).report
    >>> report[["status", "pcode", "method"]].values.tolist()
    [['matched', 'ML06', 'alias'], ['unmatched', <NA>, '']]
    """
    fuzzy_threshold = check_threshold(fuzzy_threshold)  # 0-100, finite (NaN matched all)
    boundaries = boundaries.with_aliases(adm1=region_aliases, adm2=adm2_aliases)
    adm1_index = boundaries.index("adm1")
    adm2_index = boundaries.index("adm2") if boundaries.adm2 is not None else None
    check_language(lang)
    resolver = _Resolver(adm1_index, adm2_index, fuzzy_threshold, places, lang)
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

    pts = _Points(frame, boundaries, lang)
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
    # What the row's codes or names said is kept: placed by its point, with a warning.
    failed[by_point & pd.notna(failed)] = [
        join_message("by_point", lang, reason=f) for f in failed[by_point & pd.notna(failed)]]
    warned[by_point & pd.notna(failed)] = _joined(
        np.flatnonzero(by_point & pd.notna(failed)), failed, warned)
    failed[by_point] = None
    national[by_point] = False
    refine = usable & named & pd.isna(adm2) & pd.notna(pts.adm2) & (pts.adm1 == pcode)
    adm2[refine] = pts.adm2[refine]
    outside_note = _where(pts.outside & ~(foreign & ~refused), lambda i: pts.outside_note(
        i, _refusal(i, foreign, doubt, pcode, pts, frame) if refused[i] else None), n)
    far = pts.far_from(usable & pd.notna(pcode) & (pts.adm1 != pcode), pcode)
    disagree = _where(far, lambda i: pts.disagreement(i, pcode[i], named_by[i] or "name"), n)
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
    message[rows] = _joined(rows, _constant(join_message("national", lang), n), warned,
                            issues)
    rows = np.flatnonzero(multi)
    message[rows] = _joined(rows, warned, failed, issues)
    rows = np.flatnonzero(~is_invalid & ~placed & ~multi & ~national)
    reason = _joined(rows, failed, outside_note)
    reason[reason == ""] = join_message("nothing", lang)
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
    # A row placed by a gazetteer town (and without coordinates of its own) gets its point.
    town = _column([m.point for m in matches], combo)
    at_town = np.flatnonzero(placed & ~pts.has & pd.notna(town))
    if len(at_town):
        lat_lon = np.array(town[at_town].tolist(), dtype=float)
        geometry[at_town] = shapely.points(lat_lon[:, 1], lat_lon[:, 0])
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
    warnings = list(boundaries.warnings) + [duplicate_note(group, canonical, lang)
                                            for group, canonical in duplicates]
    return JoinResult(records=joined, report=report,
                      boundaries=boundaries, source=str(records.attrs.get("source", "")),
                      warnings=warnings)


_LOCATION = ("adm1_pcode", "adm1_name", "adm2_pcode", "adm2_name", "place", "country",
             "precision")
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
        return pts.say("refuse_country", country=repr(_text(frame["country"].iat[i])))
    if doubt[i]:
        return doubt[i]
    return pts.say("refuse_unit", unit=repr(pts.name(pcode[i])))


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

    def __init__(self, frame: pd.DataFrame, boundaries: Boundaries, lang: str) -> None:
        self.lang = lang
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

    def say(self, key: str, **values: object) -> str:
        return join_message(key, self.lang, **values)

    def apply_swaps(self, swap: np.ndarray) -> None:
        """Use the swapped reading where ``swap`` holds, then locate second-level units."""
        self.x = np.where(swap, self.raw_lat, self.raw_lon)
        self.y = np.where(swap, self.raw_lon, self.raw_lat)
        hit = np.where(swap, self._swapped, self._hit)
        self.outside = self.outside & ~swap
        self.swap_note = _where(swap, lambda i: self.say(
            "swapped", lat=f"{self.raw_lat[i]:g}", lon=f"{self.raw_lon[i]:g}"), len(swap))
        self.adm1[hit >= 0] = self._pcodes[hit[hit >= 0]]
        adm2 = self._boundaries.adm2
        if adm2 is not None:
            hit2 = _locate(self.x, self.y, self.has & ~self.outside, adm2.geometry.values)
            self.adm2[hit2 >= 0] = adm2["pcode"].to_numpy(dtype=object)[hit2[hit2 >= 0]]

    def name(self, pcode: str | None) -> str:
        return self._names.get(pcode, str(pcode))

    def outside_note(self, i: int, refusal: str | None) -> str:
        lat, lon = f"{self.raw_lat[i]:g}", f"{self.raw_lon[i]:g}"
        notes = [self.say("outside", lat=lat, lon=lon)]
        if refusal:
            notes.append(self.say("outside_swap", lat=lat, lon=lon,
                                  unit=repr(self.name(self.swap_unit[i])), reason=refusal))
        return "; ".join([*notes, self.say("not_used")])

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

    def disagreement(self, i: int, pcode: str, named_by: str) -> str:
        return self.say("conflict_point", lat=f"{self.y[i]:g}", lon=f"{self.x[i]:g}",
                        found=repr(self.name(self.adm1[i])), named=repr(self.name(pcode)),
                        by=self.say(f"by.{named_by}"))


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
    adm2: str | None = None
    point: tuple[float, float] | None = None  # (latitude, longitude) of a gazetteer town


class _Resolver:
    """Resolves one distinct combination of location texts (codes, names, place, country).

    Every message is built from the templates of :data:`mali_map._core._i18n.JOIN_MESSAGES`
    in the join's language.
    """

    def __init__(self, adm1: UnitIndex, adm2: UnitIndex | None, threshold: float,
                 places: PlaceLookup | None, lang: str) -> None:
        self.adm1, self.adm2, self.threshold = adm1, adm2, threshold
        self.places = find_place if places is None else places
        self.lang = lang

    def say(self, key: str, **values: object) -> str:
        return join_message(key, self.lang, **values)

    def resolve(self, code1: str | None, name1: str | None, code2: str | None,
                name2: str | None, place: str | None = None, country: str | None = None,
                precision: str | None = None) -> _Match:
        match = _Match()
        if country and fold(country) not in MALI_NAMES:
            match.foreign = True
            match.failures.append(self.say("country", country=repr(country)))
            match.suggestion = self.say("fix.country")
            return match
        national = precision == "national" or any(
            fold(t) in NATIONAL_MARKERS for t in (name1, place) if t)
        self._resolve(match, code1, name1, code2, name2, place, national)
        if match.pcode is not None and match.adm2 is None and place and not match.units:
            self._refine(match, place)
        if match.pcode is None and not match.units:
            match.national = national and not match.failures
            if match.failures and not match.doubt:
                match.doubt = self.say("refuse_doubt", reason=match.failures[0])
        return match

    def _resolve(self, match: _Match, code1: str | None, name1: str | None,
                 code2: str | None, name2: str | None, place: str | None,
                 national: bool) -> None:
        by_code = self._code(match, code1, code2) if (code1 or code2) else None
        by_name = None
        if name1 and fold(name1) not in NATIONAL_MARKERS:
            scratch = _Match()
            by_name = self._name(scratch, name1)
            if by_code is None:
                match.failures.extend(scratch.failures)
                match.suggestion = scratch.suggestion
        # A cercle (code or name) first: it also gives the region.
        if self.adm2 is not None and (code2 or name2):
            region = (by_code or by_name)
            hint = region.pcode if region is not None and not region.units else None
            cercle = _Match()
            self._level2(cercle, code2, name2, hint)
            parent = self.adm2.parent.get(cercle.adm2) if cercle.adm2 else None
            if parent in self.adm1.known:
                match.adm2, match.pcode = cercle.adm2, parent
                match.method, match.score, match.named_by = cercle.method, cercle.score, "cercle"
                match.warnings.extend(cercle.warnings)
                match.failures.clear()
                if hint is not None and hint != parent:
                    match.conflict = True
                    match.warnings.append(self.say(
                        "conflict_cercle", region=repr(code1 or name1),
                        region_unit=repr(self.adm1.display[hint]), cercle=repr(code2 or name2),
                        parent=repr(self.adm1.display[parent])))
                return
            match.failures.extend(cercle.failures)
        if by_code and by_name and by_code.pcode not in (by_name.units or (by_name.pcode,)):
            self._contradiction(match, by_code, by_name, code1 or code2, name1)
            return
        # A name listing several units wins over a code that is one of them.
        hit = by_name if by_name is not None and by_name.units else (by_code or by_name)
        if hit is not None:
            self._use(match, hit, "code" if hit is by_code else "name")
            return
        if place and fold(place) not in NATIONAL_MARKERS and not (code1 or code2 or name1):
            # A national-level row is placed only by a named area ("northern Mali").
            hit = self._area(place) if national else self._place(match, place)
            if hit is not None:
                self._use(match, hit, "place")
                return
            if not (name2 or national or match.failures):
                match.failures.append(self.say("place_unknown", place=repr(place)))
        if name2 and self.adm2 is None:
            match.failures.append(self.say("no_adm2", name=repr(name2)))
            match.suggestion = self.say("fix.adm2")

    def _contradiction(self, match: _Match, by_code: _Hit, by_name: _Hit, code: str,
                       name: str) -> None:
        """A code and a name giving different units: a warning naming both."""
        recode = reforms()["recode"].get((normalise_pcode(code) or "")[:4])
        recoded = (recode is not None and by_name.method == "reform"
                   and self.adm1.reference(recode.within[0]) == by_name.pcode)
        exact = by_name.method in ("name", "alias", "reform") and not by_name.units
        used = by_name if exact else by_code
        why = (self.say("why_recode", code=recode.value, name=recode.name) if recoded
               else self.say("why_exact") if exact else self.say("why_fuzzy"))
        match.warnings.append(self.say(
            "conflict_code_name", code=repr(code), code_unit=repr(self._shown(by_code)),
            name=repr(name), name_unit=repr(self._shown(by_name)),
            used=repr(self._shown(used)), why=why))
        match.conflict = True
        self._use(match, used, "name" if used is by_name else "code")

    def _use(self, match: _Match, hit: _Hit, named_by: str) -> None:
        match.pcode = None if hit.units else hit.pcode
        match.units = hit.units
        match.adm2, match.point = hit.adm2, hit.point
        match.method, match.score, match.named_by = hit.method, hit.score, named_by
        match.warnings.extend(hit.notes)

    def _shown(self, hit: _Hit) -> str:
        return ", ".join(self.adm1.display.get(p, p) for p in (hit.units or (hit.pcode,)))

    def _listed(self, index: UnitIndex, pcodes: tuple[str, ...]) -> str:
        return ", ".join(f"{index.display.get(p, p)} ({p})" for p in pcodes)

    def _code(self, match: _Match, code1: str | None, code2: str | None) -> _Hit | None:
        index = self.adm1
        # A cercle or commune P-code carries its region in its first four characters.
        for code in (code1, code2):
            pcode = normalise_pcode(code)
            unit = index.reference(pcode[:4]) if pcode else None
            if unit is not None:
                cercle = pcode[:6] if self.adm2 is not None and len(pcode) > 4 else None
                known = cercle in self.adm2.known if cercle and self.adm2 else False
                return _Hit(unit, "pcode", 100.0, adm2=cercle if known and
                            self.adm2.parent.get(cercle) == unit else None)
        absent = None
        for code in (code1, code2):
            iso, later = iso_to_pcode(code)
            if iso and later is None:
                unit = index.reference(iso)
                if unit is not None:
                    return _Hit(unit, "iso", 100.0)
                absent = absent or (code, iso)
        for code in (code1, code2):
            reform = reform_for_code(code)
            if reform is not None:
                unit = index.reference(reform.within[0])
                if unit is not None:
                    return _Hit(unit, "iso" if reform.kind == "iso" else "reform", 100.0,
                                [self.say("code_reform", code=repr(code),
                                          note=reform.note(self.lang))])
                absent = absent or (code, reform.within[0])
        if absent is not None:
            shown = UNIT_BY_PCODE[absent[1]].name_fr if absent[1] in UNIT_BY_PCODE \
                else absent[1]
            match.failures.append(self.say("code_absent", code=repr(absent[0]),
                                           unit=repr(shown)))
            match.suggestion = self.say("fix.code")
        else:
            match.failures.append(self.say("code_unknown", code=repr(code1 or code2)))
        return None

    def _name(self, match: _Match, name: str) -> _Hit | None:
        """One unit, a named area, or several units separated by , ; / + & et and."""
        single = self._one_name(match, name, fuzzy=False)
        if single is not None or match.failures:
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
            match.failures.append(self.say("parts_unknown", name=repr(name),
                                           parts=", ".join(map(repr, missing))))
            return None
        units = tuple(dict.fromkeys(u for h in hits for u in (h.units or (h.pcode,))))
        notes = [n for h in hits for n in h.notes]
        if len(units) == 1:
            return _Hit(units[0], hits[0].method, min(h.score for h in hits), notes)
        return self._several(name, units, notes, "multi")

    def _several(self, text: str, units: tuple[str, ...], notes: list[str],
                 method: str) -> _Hit:
        if method != "area":  # an area's note already names its units
            shown = ", ".join(self.adm1.display.get(p, p) for p in units)
            notes = [*notes, self.say("several", text=repr(text), count=len(units),
                                      units=shown)]
        return _Hit(units[0], method, 100.0, [*notes, self.say("counting")], units)

    def _area(self, text: str) -> _Hit | None:
        area = reforms()["area"].get(name_key(text))
        if area is None:
            return None
        units = tuple(u for u in (self.adm1.reference(p) for p in area.within) if u)
        if len(units) != len(area.within):
            return None
        return self._several(text, units, [area.note(self.lang)], "area")

    def _one_name(self, match: _Match, name: str, fuzzy: bool) -> _Hit | None:
        key = name_key(name)
        index = self.adm1
        shared = index.ambiguous(key)
        if shared:
            match.failures.append(self.say("name_shared", name=repr(name), count=len(shared),
                                           units=self._listed(index, shared)))
            return None
        if key in index.names:
            return _Hit(index.names[key], "name", 100.0)
        if key in index.aliases:
            return _Hit(index.aliases[key], "alias", 100.0)
        reform = reforms()["name"].get(key)
        unit = index.reference(reform.within[0]) if reform is not None else None
        if unit is not None:
            return _Hit(unit, "reform", 100.0, [reform.note(self.lang)])
        if not fuzzy:
            return None
        found = index.fuzzy(key, self.threshold, None)
        if found:
            shown = index.display[found[0]]
            return _Hit(found[0], "fuzzy", round(found[1], 1), [self.say(
                "fuzzy", name=repr(name), unit=repr(shown), score=f"{found[1]:.0f}")])
        match.failures.append(self.say("name_unknown", name=repr(name), level=1))
        near = index.best(key)
        if near is not None and near[1] >= 60:
            match.suggestion = self.say("fix.alias", name=name, unit=index.display[near[0]])
        return None

    def _place(self, match: _Match, place: str) -> _Hit | None:
        """A place column: a named area, a region, a town of the gazetteer, a cercle."""
        hit = self._area(place)
        if hit is not None:
            return hit
        scratch = _Match()
        hit = self._one_name(scratch, place, fuzzy=False)
        if scratch.failures:  # a name several units share
            match.failures.extend(scratch.failures)
            return None
        if hit is not None and hit.method in ("name", "alias"):
            hit.notes.append(self.say("place_unit", place=repr(place)))
            hit.method = "place"
            return hit
        town = self._town(match, place, None)
        if town is not None or match.failures:
            return town
        if self.adm2 is not None:
            cercle = _Match()
            self._level2(cercle, None, place, None, fuzzy=False)
            parent = self.adm2.parent.get(cercle.adm2) if cercle.adm2 else None
            if parent in self.adm1.known:
                return _Hit(parent, "place", 100.0, [self.say("place_unit", place=repr(place))],
                            adm2=cercle.adm2)
            match.failures.extend(cercle.failures)  # only a name several cercles share
        if hit is not None:  # a unit of a later reform
            hit.method = "place"
            return hit
        if len([p for p in _SEPARATORS.split(place) if p.strip()]) > 1:
            return self._name(match, place)  # several regions, all known, or a failure
        return None

    def _town(self, match: _Match, place: str, region: str | None) -> _Hit | None:
        """The town ``place`` of the gazetteer (in ``region`` when given), at its cercle."""
        found = [p for p in self.places(place)
                 if region is None or self.adm1.reference(p.adm1_pcode) == region]
        if not found:
            return None
        cercles = tuple(dict.fromkeys(p.adm2_pcode for p in found))
        regions = tuple(dict.fromkeys(p.adm1_pcode for p in found))
        if len(regions) > 1 or len(cercles) > 1:
            units = ", ".join(f"{p.name} ({p.adm2_pcode})" for p in found)
            match.failures.append(self.say("place_shared", place=repr(place),
                                           count=len(found), units=units))
            return None
        town = found[0]
        pcode = self.adm1.reference(town.adm1_pcode)
        if pcode is None:
            return None
        adm2 = (town.adm2_pcode if self.adm2 is not None and town.adm2_pcode in self.adm2.known
                and self.adm2.parent.get(town.adm2_pcode, pcode) == pcode else None)
        where = ", ".join(filter(None, (self.adm2.display.get(adm2) if adm2 and self.adm2
                                        else None, self.adm1.display[pcode])))
        located = town.latitude is not None and town.longitude is not None
        notes = [self.say("place_town", place=repr(place), town=town.name,
                          source=town.attribution, unit=where),
                 self.say("place_point" if located else "place_no_point")]
        return _Hit(pcode, "place", 100.0, notes, adm2=adm2,
                    point=(town.latitude, town.longitude) if located else None)

    def _refine(self, match: _Match, place: str) -> None:
        """The cercle of a row placed in a region, from a town of that region it names."""
        if fold(place) in NATIONAL_MARKERS or self.adm1.names.get(name_key(place)):
            return
        town = self._town(_Match(), place, match.pcode)
        if town is not None and town.adm2 is not None:
            match.adm2 = town.adm2

    def _level2(self, match: _Match, code: str | None, name: str | None,
                parent: str | None, fuzzy: bool = True) -> None:
        """A cercle by code, then name (exact, alias, fuzzy within ``parent``)."""
        index = self.adm2
        assert index is not None
        if code:
            pcode = normalise_pcode(code) or code.strip()
            if pcode in index.known:
                match.adm2, match.method, match.score = pcode, "pcode", 100.0
                return
            match.failures.append(self.say("code_level_absent", code=repr(code), level=2))
        if not name:
            return
        key = name_key(name)
        if index.ambiguous(key, parent):
            units = index.ambiguous(key, parent)
            match.failures.append(self.say("name_shared", name=repr(name), count=len(units),
                                           units=self._listed(index, units)))
            return
        found = index.lookup(key, parent)
        if found is not None:
            match.adm2, match.method, match.score = found, "name", 100.0
            return
        if key in index.aliases:
            match.adm2, match.method, match.score = index.aliases[key], "alias", 100.0
            return
        near = index.fuzzy(key, self.threshold, parent) if fuzzy else None
        if near:
            match.adm2, match.method, match.score = near[0], "fuzzy", round(near[1], 1)
            match.warnings.append(self.say("fuzzy", name=repr(name),
                                           unit=repr(index.display[near[0]]),
                                           score=f"{near[1]:.0f}"))
            return
        if fuzzy:
            match.failures.append(self.say("name_unknown", name=repr(name), level=2))


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and np.isnan(value)


def summarise(result: JoinResult) -> dict[str, int]:
    """Counts of rows by join status (:data:`STATUSES`), plus ``rows`` and ``conflicts``.

    The statuses add up to ``rows``; ``conflicts`` counts the warnings where a code,
    name or point contradicts the unit used (a failure under ``--strict``).

    >>> from mali_map._geo._boundaries import load_boundaries
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


__all__ = ["ADM1", "MALI_NAMES", "PlaceLookup", "join", "summarise"]
