"""Metrics per admin unit (and sector), derived from the registry in
:mod:`mali_map._measure._metrics`.

Nothing here counts by itself: the placed records become a :func:`record_cube`
(:func:`mali_map._measure._metrics.cube` with the unit as a dimension) and every table is
:func:`mali_map._measure._metrics.reduce_cube` of it. Missing values follow the registry's
one rule everywhere: ``rows`` and ``distinct`` metrics are 0 where no record is
placed; ``sum`` metrics (people reached, targeted) are ``NaN`` where no record
states a value, never a silent 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import pandas as pd

from .._join import JoinResult
from .._reference import Level
from .._reference import level as registered_level
from ._classify import Classes, classify
from ._metrics import METRIC_KEYS, REGISTRY, cube, reduce_cube
from ._metrics import metric as registered

#: The unit column of a :func:`record_cube`.
UNIT = "unit"


def _loaded(result: JoinResult, level: str | int | Level) -> Level:
    """The registered level ``level`` names, if the result's boundaries carry it."""
    try:
        found = registered_level(level)
    except ValueError:
        raise ValueError(f"unknown level {level!r}; choose one of: "
                         f"{', '.join(lv.key for lv in result.boundaries.levels)}") from None
    if found not in result.boundaries.levels:
        raise ValueError(f"no {found.key.upper()} boundaries were loaded; pass an "
                         f"{found.key.upper()} file")
    return found


def placed_records(result: JoinResult, level: str | int | Level = 1) -> pd.DataFrame:
    """The records placed in a unit of ``level`` (a key, number or :class:`Level`), with
    that unit in column ``unit``.

    A record placed in several units (status ``multi``: "Gao, Kidal", "northern
    Mali") appears once per unit at the top level, so it counts as an activity (and its
    organisation) in each; its ``sum`` fields (people reached, targeted) are blanked
    on those rows, because the cell does not say how they divide: they are counted
    once, in :func:`country_totals`, never per unit.

    >>> from mali_map._geo._boundaries import load_boundaries
    >>> from mali_map._join._join import join
    >>> recs = pd.DataFrame({"adm1_name": ["Gao, Kidal"], "reached": [90]})
    >>> placed_records(join(recs, load_boundaries()))[["unit", "reached"]].values.tolist()
    [['ML07', nan], ['ML08', nan]]
    """
    found = _loaded(result, level)
    key = found.unit_column
    records = result.records
    columns = [c for c in records.columns if c not in ("geometry", UNIT)]
    frame = pd.DataFrame(records[columns])
    if key not in frame:  # no record placed at this level
        return frame.iloc[:0].assign(**{UNIT: pd.Series(dtype=object)})
    single = frame[frame[key].notna()]
    single = single.assign(**{UNIT: single[key]})
    if found.number != 1 or "units" not in frame or "join_status" not in frame:
        return single
    multi = frame[frame["join_status"] == "multi"]
    if multi.empty:
        return single
    multi = multi.assign(**{UNIT: multi["units"].str.split(";")}).explode(UNIT)
    for m in REGISTRY:
        if m.kind == "sum" and m.field in multi:
            multi[m.field] = float("nan")
    return pd.concat([single, multi], ignore_index=True)


def country_totals(result: JoinResult) -> dict[str, float]:
    """Every metric over the whole country, each record counted once.

    Records placed in one unit, in several units (``multi``) and national-level
    records all count; unmatched and invalid records do not.

    >>> from mali_map._geo._boundaries import load_boundaries
    >>> from mali_map._join._join import join
    >>> recs = pd.DataFrame({"adm1_name": ["Gao, Kidal", "Gao"], "reached": [90, 10]})
    >>> country_totals(join(recs, load_boundaries()))["reached"]
    100.0
    """
    records = pd.DataFrame(result.records.drop(columns="geometry"))
    counted = records[records["join_status"].isin(["matched", "warning", "multi",
                                                   "national"])]
    table = reduce_cube(cube(counted.assign(_all="Mali"), ["_all"]), ["_all"])
    if table.empty:
        return {m.key: (float("nan") if m.kind == "sum" else 0) for m in REGISTRY}
    return {k: table[k].iloc[0].item() for k in METRIC_KEYS}


def record_cube(result: JoinResult, level: str | int | Level = 1,
                dims: Sequence[str] = ()) -> pd.DataFrame:
    """The :func:`mali_map._measure._metrics.cube` of the placed records by ``unit`` and ``dims``.

    The one entry point for anything that shows numbers per unit (tables, static
    maps, pages): reduce it with :func:`mali_map._measure._metrics.reduce_cube`.

    >>> from mali_map._geo._boundaries import load_boundaries
    >>> from mali_map._join._join import join
    >>> recs = pd.DataFrame({"adm1_name": ["Gao", "Gao"], "sector": ["health", "wash"],
    ...                      "reached": [5, None]})
    >>> record_cube(join(recs, load_boundaries()), dims=["sector"])[
    ...     ["unit", "sector", "n", "reached_sum", "reached_n"]].values.tolist()
    [['ML07', 'health', 1, 5.0, 1], ['ML07', 'wash', 1, 0.0, 0]]
    """
    return cube(placed_records(result, level), [UNIT, *dims])


def aggregate(result: JoinResult, level: str | int | Level = "adm1") -> pd.DataFrame:
    """One row per admin unit and sector with every registered metric.

    Columns ``pcode``, ``sector``, then :data:`mali_map._measure._metrics.METRIC_KEYS`
    (``activities``, ``organisations``, ``reached``, ``targeted``); sums are NaN
    where no record states a value.

    >>> from mali_map._geo._boundaries import load_boundaries
    >>> from mali_map._join._join import join
    >>> recs = pd.DataFrame({"row": [2, 3, 4], "adm1_name": ["Gao", "Gao", "Kidal"],
    ...                      "sector": ["health", "health", "wash"],
    ...                      "organisation": ["HI", "UNICEF", "HI"], "reached": [10, None, None]})
    >>> aggregate(join(recs, load_boundaries())).values.tolist()
    [['ML07', 'health', 2, 2, 10.0, nan], ['ML08', 'wash', 1, 1, nan, nan]]
    """
    return _sector_totals(record_cube(result, level, ["sector"]))


def _sector_totals(cube: pd.DataFrame) -> pd.DataFrame:
    """:func:`aggregate` from a unit x sector ``record_cube`` already built."""
    table = reduce_cube(cube, [UNIT, "sector"]).rename(columns={UNIT: "pcode"})
    return table.sort_values(["pcode", "sector"], ignore_index=True)


def unit_totals(result: JoinResult, level: str | int | Level = "adm1",
                sector: str | None = None) -> gpd.GeoDataFrame:
    """Every admin unit of ``level`` with every registered metric, as a GeoDataFrame.

    ``activities`` and ``organisations`` are 0 where no record is placed;
    ``reached`` and ``targeted`` are NaN where no record states them.
    ``sector`` (a canonical key) restricts the counts to that sector.

    >>> from mali_map._geo._boundaries import load_boundaries
    >>> from mali_map._join._join import join
    >>> recs = pd.DataFrame({"adm1_name": ["Gao", "Gao"], "organisation": ["HI", "HI"]})
    >>> totals = unit_totals(join(recs, load_boundaries()))
    >>> totals.set_index("pcode").loc[["ML07", "ML08"], ["activities", "organisations"]].values
    array([[2, 1],
           [0, 0]])
    """
    found = _loaded(result, level)
    units = result.boundaries.units(found)
    table = record_cube(result, found, ["sector"])
    if sector is not None:
        table = table[table["sector"] == sector]
    return _unit_totals(units, table)


def _unit_totals(units: gpd.GeoDataFrame, cube: pd.DataFrame) -> gpd.GeoDataFrame:
    """:func:`unit_totals` of ``units`` from a ``record_cube`` of their level already built."""
    counts = reduce_cube(cube, [UNIT]).set_index(UNIT)
    keep = [c for c in ("pcode", "name", "name_fr", "name_en", "parent_pcode") if c in units]
    totals = units[[*keep, "geometry"]].copy()
    for m in REGISTRY:
        values = totals["pcode"].map(counts[m.key]) if len(counts) else pd.Series(
            float("nan"), index=totals.index)
        totals[m.key] = (pd.to_numeric(values, errors="coerce").astype(float) if m.kind == "sum"
                         else values.fillna(0).astype(int))
    return gpd.GeoDataFrame(totals, geometry="geometry", crs=units.crs)


def classes_by_metric(totals: pd.DataFrame, scheme: str = "quantiles", k: int = 5,
                      metrics: Sequence[str] = METRIC_KEYS) -> dict[str, Classes]:
    """The one rule for choropleth classes: each metric classified over a table of unit
    totals (one row per unit; units with no value or 0 take the no-data colour).

    >>> table = pd.DataFrame({m: [1, 2, 3] for m in METRIC_KEYS})
    >>> classes_by_metric(table, k=2)["activities"].labels()
    ['1–2', '3']
    """
    return {m: classify(pd.to_numeric(totals[m], errors="coerce").astype(float).tolist(),
                        scheme=scheme, k=k) for m in metrics}


def metric_classes(result: JoinResult, metric: str = "activities", scheme: str = "quantiles",
                   k: int = 5, level: str | int | Level = "adm1") -> Classes:
    """Choropleth classes of a metric over the country-wide unit totals of ``level``.

    Computed once from all records so that every page and every export of the
    same data shares the same classes and colours (``level="adm2"`` for the
    cercles drawn on region pages).

    >>> from mali_map._build._pipeline import join_files
    >>> classes = metric_classes(join_files(), "activities", scheme="quantiles", k=5)
    >>> len(classes.bounds) == len(classes.colours) == len(classes.labels())
    True
    """
    key = registered(metric).key
    return classes_by_metric(unit_totals(result, level=level), scheme, k, [key])[key]


__all__ = ["METRIC_KEYS", "aggregate", "classes_by_metric", "country_totals", "metric_classes",
           "placed_records", "record_cube", "unit_totals"]
