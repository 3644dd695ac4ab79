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

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .._core import check_language, check_threshold, join_message
from .._geo import FUZZY_THRESHOLD, Boundaries
from .._read import record_fields
from ._model import STATUSES, JoinResult, joined_levels
from ._organisations import duplicate_note, organisation_duplicates
from ._points import Points
from ._report import locations, refusal, report_frame
from ._resolve import Match, PlaceLookup, Resolver
from ._vectors import column, constant, distinct, flags, issue_texts, joined, spread, texts, where

__all__ = ["PlaceLookup", "join", "summarise"]


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
    """Match every record to a unit of every loaded level (the top level at least).

    ``region_aliases`` / ``adm2_aliases`` map extra spellings to a unit's P-code or
    name; ``places`` looks up towns named in the place column (default: the shipped
    gazetteer, :func:`mali_map.find_place`); ``lang`` ("en" or "fr") is the language of
    the report's messages. Returns a :class:`JoinResult` whose ``report`` has one row
    per record.

    The levels come from the registry and the boundaries (:func:`joined_levels`): each
    level's record fields (:attr:`Level.record_code`, :attr:`Level.record_name`) are read,
    the finest unit a row names places it, its coarser units come from its parents, and
    points are located in every loaded level. ``records`` gets each level's
    :attr:`Level.unit_column` (``pcode``, ``adm2``...) and the top level's ``admin_name``;
    the report each level's :attr:`Level.report_code` and :attr:`Level.report_name`.

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
    # The public alias arguments, translated once to aliases by level key.
    boundaries = boundaries.with_aliases(adm1=region_aliases, adm2=adm2_aliases)
    check_language(lang)
    levels = joined_levels(boundaries)
    top, finer = levels[0], levels[1:]
    fields = tuple(lv for lv in levels if lv.record_code or lv.record_name)
    location = (*(f or _NO_FIELD for lv in fields for f in (lv.record_code, lv.record_name)),
                "place", "country", "precision")
    resolver = Resolver(boundaries, fields, fuzzy_threshold, places, lang)
    frame = records.copy(deep=False).reset_index(drop=True)
    no_country = "country" not in frame
    for name in (*record_fields(), "country", "invalid", "issues", _NO_FIELD):
        if name not in frame:
            frame[name] = pd.NA
    if "row" not in frame:
        frame["row"] = np.arange(2, len(frame) + 2)
    n = len(frame)
    invalid = texts(frame["invalid"])
    is_invalid = pd.notna(invalid)

    combo, combos = distinct(frame, location, is_invalid)
    del frame[_NO_FIELD]
    if no_country:  # only a column the records had is passed on
        del frame["country"]
    matches = [resolver.resolve(*values[:-1]) if not values[-1] else Match()
               for values in combos]
    pcode = column([m.pcode for m in matches], combo)
    units = {lv.key: column([m.finer.get(lv.key) for m in matches], combo) for lv in finer}
    method = column([m.method for m in matches], combo)
    score = np.array([m.score for m in matches], dtype=float)[combo] if matches \
        else np.zeros(0)
    failed = column(["; ".join(m.failures) or None for m in matches], combo)
    warned = column(["; ".join(m.warnings) or None for m in matches], combo)
    multi = flags([bool(m.units) for m in matches], combo)
    foreign = flags([m.foreign for m in matches], combo)
    conflict = flags([m.conflict for m in matches], combo)
    national = flags([m.national for m in matches], combo)
    doubt = column([m.doubt for m in matches], combo)
    named_by = column([m.named_by for m in matches], combo)

    pts = Points(frame, boundaries, lang)
    # Swapped coordinates are repaired only when the swapped point lies inside a unit
    # and nothing in the row contradicts it (country, an unknown or different unit).
    swap_ok = pts.swappable & ~foreign & ~multi & pd.isna(doubt) & (
        pd.isna(pcode) | (pts.swap_unit == pcode))
    pts.apply_swaps(swap_ok)
    refused = pts.swappable & ~swap_ok
    named = pd.notna(pcode) | multi
    usable = pts.has & ~pts.outside & ~foreign & ~multi
    by_point = usable & ~named
    pcode[by_point] = pts.top[by_point]
    for lv in finer:
        if lv.key in pts.units:
            units[lv.key][by_point] = pts.units[lv.key][by_point]
    method[by_point] = "coordinates"
    score[by_point] = 100.0
    # What the row's codes or names said is kept: placed by its point, with a warning.
    failed[by_point & pd.notna(failed)] = [
        join_message("by_point", lang, reason=f) for f in failed[by_point & pd.notna(failed)]]
    warned[by_point & pd.notna(failed)] = joined(
        np.flatnonzero(by_point & pd.notna(failed)), failed, warned)
    failed[by_point] = None
    national[by_point] = False
    # A row named at a coarse level takes the finer units of its point, level by level,
    # where the point lies in the unit named.
    stated = {top.key: pcode, **units}
    for lv in finer:
        if lv.key in pts.units and lv.parent is not None:
            refine = (usable & named & pd.isna(units[lv.key]) & pd.notna(pts.units[lv.key])
                      & (pts.units[lv.parent.key] == stated[lv.parent.key]))
            units[lv.key][refine] = pts.units[lv.key][refine]
    outside_note = where(pts.outside & ~(foreign & ~refused), lambda i: pts.outside_note(
        i, refusal(i, foreign, doubt, pcode, pts, frame) if refused[i] else None), n)
    far = pts.far_from(usable & pd.notna(pcode) & (pts.top != pcode), pcode)
    disagree = where(far, lambda i: pts.disagreement(i, pcode[i], named_by[i] or "name"), n)
    conflict |= far

    pcode[is_invalid] = None
    placed = pd.notna(pcode)
    multi &= ~is_invalid & ~placed
    national &= ~is_invalid & ~placed & ~multi & pd.isna(outside_note)
    issues = issue_texts(frame["issues"])
    status = np.where(is_invalid, "invalid", np.where(placed, "matched", "unmatched"))
    status[multi] = "multi"
    status[national] = "national"
    message = np.full(n, "", dtype=object)
    rows = np.flatnonzero(is_invalid)
    message[rows] = joined(rows, invalid, issues)
    rows = np.flatnonzero(national)
    message[rows] = joined(rows, constant(join_message("national", lang), n), warned, issues)
    rows = np.flatnonzero(multi)
    message[rows] = joined(rows, warned, failed, issues)
    rows = np.flatnonzero(~is_invalid & ~placed & ~multi & ~national)
    reason = joined(rows, failed, outside_note)
    reason[reason == ""] = join_message("nothing", lang)
    message[rows] = joined(rows, spread(reason, rows, n), pts.swap_note, warned, issues)
    rows = np.flatnonzero(placed & (pd.notna(failed) | pd.notna(pts.swap_note)
                                    | pd.notna(warned) | pd.notna(outside_note)
                                    | pd.notna(disagree) | pd.notna(issues)))
    message[rows] = joined(rows, failed, pts.swap_note, warned, outside_note, disagree, issues)
    status[rows] = "warning"
    conflict &= status == "warning"

    unit_lists = column([";".join(m.units) or None for m in matches], combo)
    unit_lists[~multi] = pcode[~multi]
    for lv in finer:
        units[lv.key][~placed] = None
    frame[top.unit_column] = pcode
    frame["admin_name"] = pd.Series(pcode, dtype=object).map(
        resolver.top_index.display).to_numpy(dtype=object)
    for lv in finer:
        frame[lv.unit_column] = units[lv.key]
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
    town = column([m.point for m in matches], combo)
    at_town = np.flatnonzero(placed & ~pts.has & pd.notna(town))
    if len(at_town):
        lat_lon = np.array(town[at_town].tolist(), dtype=float)
        geometry[at_town] = shapely.points(lat_lon[:, 1], lat_lon[:, 0])
    records_out = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs="EPSG:4326"),
                                   copy=False)
    duplicates = organisation_duplicates(frame["organisation"])
    suggestion = column([m.suggestion for m in matches], combo)
    if duplicates:
        merge = {name: f'--org-alias "{name}={canonical}"'
                 for group, canonical in duplicates for name in group if name != canonical}
        extra = frame["organisation"].map(merge).to_numpy(dtype=object)
        rows = np.flatnonzero(pd.notna(extra))
        suggestion[rows] = joined(rows, suggestion, extra)
    report = report_frame(frame, boundaries, levels, units, status, unit_lists, message,
                          suggestion, locations(combos, combo, pts, len(location) - 1))
    warnings = list(boundaries.warnings) + [duplicate_note(group, canonical, lang)
                                            for group, canonical in duplicates]
    return JoinResult(records=records_out, report=report,
                      boundaries=boundaries, source=str(records.attrs.get("source", "")),
                      warnings=warnings)


#: A column that is always empty: the code or name field a level does not have.
_NO_FIELD = "\x00no field"


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


