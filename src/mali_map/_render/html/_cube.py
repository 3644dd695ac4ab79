"""The build's cube: every record coded over unit x sector x organisation x status x
year span x copy, with the partial sums of every registered metric, and its classes.

Category dimensions are coded in the build's own lists (-1 = none); a record placed
in several units is in the cube once as itself and once per unit as a copy (see
:data:`COPY`, :func:`counted`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..._join import JoinResult
from ..._measure import (
    METRIC_KEYS,
    REGISTRY,
    ROWS,
    UNIT,
    Classes,
    classify,
    cube,
    placed_records,
    reduce_cube,
    sum_columns,
)
from .._pages import sector_order
from ._values import texts, years

__all__ = ["COPY", "DIMS", "MULTI", "SINGLE", "adm2_classes", "build_cube", "counted",
           "on_map", "overview_classes", "regroup", "unit_classes", "value_columns"]

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


_BUILD_DIMS = ["pcode", "adm2", "sector", "organisation", "status", "span", "copy"]


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


def _coded(records: pd.DataFrame, vocab: dict[str, Any], copy: np.ndarray) -> pd.DataFrame:
    """Records as build-cube codes (-1 = none) plus their ``sum`` fields."""
    span_key = _span_keys(records)
    span_code = np.full(len(records), -1, dtype=np.int64)
    located = ~np.isnan(span_key)
    span_code[located] = np.searchsorted(vocab["span_values"], span_key[located])
    organisation = _codes(records["organisation"], vocab["orgs"])
    adm2_col = records["adm2"] if "adm2" in records else pd.Series(None, index=records.index)
    frame = pd.DataFrame({
        "pcode": _codes(records["pcode"], vocab["pcodes"]),
        "adm2": _codes(adm2_col, vocab["adm2_pcodes"]),
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

    Its records are those of :func:`mali_map._measure._aggregate.placed_records` (one
    definition of where a record counts): a record placed in several units is in
    the cube as itself (``copy`` = :data:`MULTI`, no unit) and once per unit as a
    :data:`COPY`, whose people reached/targeted are blank.
    """
    records = result.records
    adm1 = result.boundaries.adm1
    adm2 = result.boundaries.adm2
    sector_text = texts(records["sector"])
    span_key = _span_keys(records)
    span_values = np.unique(span_key[~np.isnan(span_key)])
    vocab: dict[str, Any] = {
        "pcodes": texts(adm1["pcode"]).tolist(),
        "adm2_pcodes": [] if adm2 is None else texts(adm2["pcode"]).tolist(),
        "sectors": sector_order(sector_text.unique()) + (
            [""] if (sector_text == "").any() else []),
        "orgs": _org_order(texts(records["organisation"])),
        "statuses": sorted(set(texts(records["status"]).unique()) - {""}),
        "span_values": span_values,
        "spans": [(int(k // 10_000), int(k % 10_000)) for k in span_values],
    }
    placed = placed_records(result)
    copies = placed[placed[UNIT].ne(placed["pcode"]).to_numpy()]
    copies = copies.assign(pcode=copies[UNIT], adm2=None)
    def column(name: str) -> np.ndarray:
        return (texts(records[name]) if name in records
                else pd.Series("", index=records.index)).to_numpy()

    # the records placed_records copied: multi-unit, with their units, in no one unit
    multi = ((column("join_status") == "multi") & (column("units") != "")
             & records["pcode"].isna().to_numpy())
    frame = _coded(records, vocab, np.where(multi, MULTI, SINGLE))
    both = pd.concat([frame, _coded(copies, vocab, np.full(len(copies), COPY))],
                     ignore_index=True)
    table = cube(both, _BUILD_DIMS)
    table["organisation"] = table["organisation"].fillna(-1)
    table[_BUILD_DIMS] = table[_BUILD_DIMS].astype(np.int64)
    vocab["frame"] = frame
    return table, vocab


def unit_classes(table: pd.DataFrame, level: str, scheme: str, k: int) -> dict[str, Classes]:
    """Classes of every metric over the country-wide totals of each unit of ``level``.

    ``level`` is the build cube's ``pcode`` (ADM1) or ``adm2`` column; the same
    values as :func:`mali_map._measure._aggregate.metric_classes` (a test checks it).
    """
    placed = table[table[level] >= 0]
    totals = reduce_cube(placed, [level])
    return {m: classify(totals[m].astype(float).tolist(), scheme=scheme, k=k)
            for m in METRIC_KEYS}


def overview_classes(result: JoinResult, scheme: str, k: int) -> dict[str, Classes]:
    """The ADM1 classes of each metric, shared by every page and every export."""
    return unit_classes(build_cube(result)[0], "pcode", scheme, k)


def adm2_classes(result: JoinResult, scheme: str, k: int) -> dict[str, Classes]:
    """Classes of ADM2 unit totals over the whole country (same on every region page)."""
    return unit_classes(build_cube(result)[0], "adm2", scheme, k)
