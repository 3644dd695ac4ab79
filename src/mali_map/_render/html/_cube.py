"""The build's cube: every record coded over unit x sector x organisation x status x
year span x copy, with the partial sums of every registered metric, and its classes.

Category dimensions are coded in the build's own lists (-1 = none); a record placed
in several units is in the cube once as itself and once per unit as a copy (see
:data:`COPY`, :func:`counted`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..._join import JoinResult
from ..._measure import (
    REGISTRY,
    ROWS,
    UNIT,
    Classes,
    classes_by_metric,
    cube,
    placed_records,
    reduce_cube,
    sum_columns,
)
from ..._reference import LEVEL_BY_KEY, Level
from .._pages import sector_order
from ._values import texts, years

__all__ = ["COPY", "DIMS", "MULTI", "SINGLE", "build_cube", "build_dims", "counted",
           "level_classes", "on_map", "overview_classes", "regroup", "unit_classes",
           "unit_dims", "value_columns"]

#: The dimensions of a page cube, in key order.
DIMS: tuple[str, ...] = ("unit", "sector", "organisation", "status", "span", "copy")
#: Values of the ``copy`` dimension. A record placed in one unit or none is ``SINGLE``;
#: a record placed in several units (join status ``multi``) is there once as itself,
#: ``MULTI`` (no unit: it counts once in the selected and on-map totals, with its people
#: reached), and once per unit as a ``COPY`` (counted only in that unit's values).
SINGLE, COPY, MULTI = 0, 1, 2


def value_columns() -> list[str]:
    """The cube columns holding partial sums: rows, then each sum metric's sum and count."""
    out = [ROWS]
    for m in REGISTRY:
        if m.kind == "sum":
            out += list(sum_columns(m))
    return out


def counted(table: pd.DataFrame) -> pd.Series:
    """Rows of a page cube that are records (not copies): each record counts once."""
    return table["copy"] != COPY


def on_map(table: pd.DataFrame) -> pd.Series:
    """Rows of a page cube counted as on the map (in a unit, or placed in several)."""
    return (table["copy"] == MULTI) | ((table["copy"] == SINGLE) & (table["unit"] > 0))


def regroup(table: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """A cube's partial sums added up over fewer (or recoded) key columns."""
    if table.empty:
        return table[[*keys, *value_columns()]].reset_index(drop=True)
    return table.groupby(keys, sort=True)[value_columns()].sum().reset_index()


def unit_dims(levels: Sequence[Level]) -> list[str]:
    """The build cube's unit dimensions: each loaded level's unit column, top down."""
    return [lv.unit_column for lv in levels]


def build_dims(levels: Sequence[Level]) -> list[str]:
    """Every dimension of the build cube: the unit columns, then the categories."""
    return [*unit_dims(levels), "sector", "organisation", "status", "span", "copy"]


def _codes(values: pd.Series, vocabulary: list[str]) -> np.ndarray:
    """Index of each text in ``vocabulary`` (-1 where absent)."""
    index = pd.Index(list(dict.fromkeys(vocabulary)))
    return index.get_indexer(texts(values)).astype(np.int64)


def _org_order(values: pd.Series) -> list[str]:
    return sorted(set(values.unique()) - {""}, key=lambda o: (o.casefold(), o))


def _span_keys(records: pd.DataFrame) -> np.ndarray:
    """Each record's year span as ``start * 10000 + end`` (``NaN`` without a start year)."""
    y0 = years(records["start_date"]).to_numpy(dtype=float)
    y1 = years(records["end_date"]).to_numpy(dtype=float)
    y1 = np.where(np.isnan(y1) | (y1 < y0), y0, y1)
    return np.where(np.isnan(y0), np.nan, y0 * 10_000 + y1)


def _coded(records: pd.DataFrame, vocab: dict[str, Any], levels: Sequence[Level],
           copy: np.ndarray) -> pd.DataFrame:
    """Records as build-cube codes (-1 = none) plus their ``sum`` fields."""
    span_key = _span_keys(records)
    span_code = np.full(len(records), -1, dtype=np.int64)
    located = ~np.isnan(span_key)
    span_code[located] = np.searchsorted(vocab["span_values"], span_key[located])
    organisation = _codes(records["organisation"], vocab["orgs"])
    none = pd.Series(None, index=records.index, dtype=object)
    frame = pd.DataFrame({
        **{lv.unit_column: _codes(records.get(lv.unit_column, none), vocab["units"][lv.key])
           for lv in levels},
        "sector": _codes(records["sector"], vocab["sectors"]),
        "organisation": np.where(organisation < 0, np.nan, organisation.astype(float)),
        "status": _codes(records["status"], vocab["statuses"]),
        "span": span_code,
        "copy": copy,
    }, index=records.index)
    for m in REGISTRY:
        if m.kind == "sum" and m.field in records:
            frame[m.field] = records[m.field]
    return frame


def build_cube(result: JoinResult) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The build's cube over every page dimension, and the code lists it uses.

    Its unit dimensions are the unit columns of the loaded levels
    (``result.boundaries.levels``); ``vocab["units"]`` holds each level's P-codes.
    Its records are those of :func:`mali_map._measure._aggregate.placed_records` (one
    definition of where a record counts): a record placed in several units is in
    the cube as itself (``copy`` = :data:`MULTI`, no unit) and once per unit as a
    :data:`COPY` in the top level, whose people reached/targeted are blank.
    """
    records = result.records
    levels = result.boundaries.levels
    top = levels[0].unit_column
    sector_text = texts(records["sector"])
    span_key = _span_keys(records)
    span_values = np.unique(span_key[~np.isnan(span_key)])
    vocab: dict[str, Any] = {
        "units": {lv.key: texts(result.boundaries.units(lv)["pcode"]).tolist()
                  for lv in levels},
        "sectors": sector_order(sector_text.unique()) + (
            [""] if (sector_text == "").any() else []),
        "orgs": _org_order(texts(records["organisation"])),
        "statuses": sorted(set(texts(records["status"]).unique()) - {""}),
        "span_values": span_values,
        "spans": [(int(k // 10_000), int(k % 10_000)) for k in span_values],
    }
    placed = placed_records(result)
    copies = placed[placed[UNIT].ne(placed[top]).to_numpy()]
    copies = copies.assign(**{top: copies[UNIT]},
                           **{lv.unit_column: None for lv in levels[1:]})

    def column(name: str) -> np.ndarray:
        return (texts(records[name]) if name in records
                else pd.Series("", index=records.index)).to_numpy()

    # the records placed_records copied: multi-unit, with their units, in no one unit
    multi = ((column("join_status") == "multi") & (column("units") != "")
             & records[top].isna().to_numpy())
    frame = _coded(records, vocab, levels, np.where(multi, MULTI, SINGLE))
    both = pd.concat([frame, _coded(copies, vocab, levels, np.full(len(copies), COPY))],
                     ignore_index=True)
    dims = build_dims(levels)
    table = cube(both, dims)
    table["organisation"] = table["organisation"].fillna(-1)
    table[dims] = table[dims].astype(np.int64)
    vocab["frame"] = frame
    return table, vocab


def unit_classes(table: pd.DataFrame, level: Level, scheme: str, k: int) -> dict[str, Classes]:
    """Classes of every metric over the country-wide totals of each unit of ``level``.

    The same values as :func:`mali_map._measure._aggregate.metric_classes` (one rule,
    :func:`~mali_map._measure._aggregate.classes_by_metric`; a test checks it).
    """
    column = level.unit_column
    placed = table[table[column] >= 0]
    return classes_by_metric(reduce_cube(placed, [column]), scheme, k)


def level_classes(result: JoinResult, level: str, scheme: str, k: int) -> dict[str, Classes]:
    """Classes of the unit totals of one level (its key) over the whole country:
    the same on every page that draws that level."""
    return unit_classes(build_cube(result)[0], LEVEL_BY_KEY[level], scheme, k)


def overview_classes(result: JoinResult, scheme: str, k: int) -> dict[str, Classes]:
    """The top level's classes of each metric, shared by every page and every export."""
    return level_classes(result, result.boundaries.levels[0].key, scheme, k)
