"""What each map metric is, defined once for every table, map and page.

A metric is one of three kinds, computed from the records placed in a unit:

- ``rows``: how many records (``activities``);
- ``distinct``: how many distinct non-empty values of a field (``organisations``);
- ``sum``: the sum of a numeric field over the records that state it (``reached``,
  ``targeted``). A unit where no record states the field has *no value* (``NaN``
  in tables, "–" on pages, the no-data colour on maps), never a silent 0.

Everything that counts goes through :func:`cube` (records -> a sparse table of
partial sums over the dimensions a page filters by) and :func:`reduce_cube` (that
table -> one value per metric per group). The interactive pages embed the cube and
run the same reduction in the browser from :func:`descriptors`, so a number on a
page, in a table, on a static map or in a data output is the same number.

Adding a metric is one :class:`Metric` entry here plus its labels in
:mod:`mali_map._core._i18n`.

Records placed in several units (join status ``multi``: "Gao, Kidal", "northern
Mali") reach the cube once per unit (:func:`mali_map._measure._aggregate.placed_records`):
they count as a record and an organisation in each unit, but their ``sum`` fields
are blank there, so people are never counted twice; they are counted once in the
country totals (:func:`mali_map._measure._aggregate.country_totals`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Metric:
    """One metric: its key, kind (``rows``/``distinct``/``sum``) and record field."""

    key: str
    kind: str
    field: str | None = None

    @property
    def label_key(self) -> str:
        """The :mod:`mali_map._core._i18n` key of the metric's label."""
        return self.key


#: The metrics, in menu order.
REGISTRY: tuple[Metric, ...] = (
    Metric("activities", "rows"),
    Metric("organisations", "distinct", "organisation"),
    Metric("reached", "sum", "reached"),
    Metric("targeted", "sum", "targeted"),
)
METRIC_BY_KEY: dict[str, Metric] = {m.key: m for m in REGISTRY}
#: Metric keys, in menu order.
METRIC_KEYS: tuple[str, ...] = tuple(m.key for m in REGISTRY)
#: The metrics maps can show per unit (the same keys; the name the options use).
METRICS: tuple[str, ...] = METRIC_KEYS
#: The cube column holding the row count.
ROWS = "n"


def metric(key: str) -> Metric:
    """The registered metric ``key``; ``ValueError`` naming the choices otherwise.

    >>> metric("reached").kind
    'sum'
    """
    try:
        return METRIC_BY_KEY[key]
    except (KeyError, TypeError):
        raise ValueError(f"unknown metric {key!r}; choose one of: "
                         f"{', '.join(METRIC_KEYS)}") from None


def sum_columns(m: Metric) -> tuple[str, str]:
    """The cube columns of a ``sum`` metric: the sum and how many records state a value."""
    return f"{m.key}_sum", f"{m.key}_n"


def _distinct_fields() -> list[str]:
    return list(dict.fromkeys(m.field for m in REGISTRY if m.kind == "distinct" and m.field))


def cube(records: pd.DataFrame, dims: Sequence[str]) -> pd.DataFrame:
    """Partial sums of ``records`` grouped by ``dims`` plus every ``distinct`` field.

    One row per distinct combination, with ``n`` (rows) and, per ``sum`` metric,
    ``<key>_sum`` and ``<key>_n``. Missing dimension values are kept as ``NaN``
    groups; empty text in a distinct field counts as missing.

    >>> recs = pd.DataFrame({"unit": ["A", "A", "B"], "organisation": ["HI", "HI", None],
    ...                      "reached": [10, None, 5], "targeted": [None, None, None]})
    >>> cube(recs, ["unit"])[["unit", "organisation", "n", "reached_sum", "reached_n"]
    ...     ].values.tolist()
    [['A', 'HI', 2, 10.0, 1], ['B', nan, 1, 5.0, 1]]
    """
    keys = list(dict.fromkeys([*dims, *_distinct_fields()]))
    frame = pd.DataFrame(index=records.index)
    for key in keys:
        values = records[key] if key in records else pd.Series(np.nan, index=records.index)
        if key in _distinct_fields():
            values = values.astype(object).where(values.notna() & (values.astype(str) != ""))
        frame[key] = values
    frame[ROWS] = 1
    for m in REGISTRY:
        if m.kind == "sum":
            total, stated = sum_columns(m)
            source = records[m.field] if m.field in records else pd.Series(
                np.nan, index=records.index)
            number = pd.to_numeric(source, errors="coerce").astype(float)
            frame[total] = number.fillna(0.0)
            frame[stated] = number.notna().astype("int64")
    value_columns = [c for c in frame.columns if c not in keys]
    if frame.empty:
        return frame[[*keys, *value_columns]].reset_index(drop=True)
    grouped = frame.groupby(keys, dropna=False, sort=True, observed=True)[value_columns].sum()
    return grouped.reset_index()


def reduce_cube(table: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Every registered metric per group of ``by``, from a :func:`cube` table.

    ``rows`` sums ``n``; ``distinct`` counts the distinct non-missing values of
    its field among rows with ``n > 0``; ``sum`` adds ``<key>_sum`` and is ``NaN``
    where no record states a value.

    >>> recs = pd.DataFrame({"unit": ["A", "A", "B"], "organisation": ["HI", "MSF", None],
    ...                      "reached": [10, None, None]})
    >>> reduce_cube(cube(recs, ["unit"]), ["unit"])[["unit", "activities", "organisations",
    ...                                             "reached"]].values.tolist()
    [['A', 2, 2, 10.0], ['B', 1, 0, nan]]
    """
    by = list(by)
    columns = [*by, *METRIC_KEYS]
    if table.empty:
        return pd.DataFrame(columns=columns)
    grouped = table.groupby(by, dropna=False, sort=True, observed=True)
    out = pd.DataFrame(index=grouped.size().index)
    for m in REGISTRY:
        if m.kind == "rows":
            out[m.key] = grouped[ROWS].sum().astype("int64")
        elif m.kind == "distinct":
            present = table[table[ROWS] > 0]
            counts = present.groupby(by, dropna=False, sort=True, observed=True)[
                m.field].nunique(dropna=True)
            out[m.key] = counts.reindex(out.index, fill_value=0).astype("int64")
        else:
            total, stated = sum_columns(m)
            sums = grouped[total].sum()
            out[m.key] = sums.where(grouped[stated].sum() > 0).astype(float)
    return out.reset_index()[columns]


def descriptors() -> list[dict[str, Any]]:
    """The registry as the page script reads it: key, kind and cube column(s).

    >>> [d["kind"] for d in descriptors()]
    ['rows', 'distinct', 'sum', 'sum']
    """
    out = []
    for m in REGISTRY:
        entry: dict[str, Any] = {"key": m.key, "kind": m.kind}
        if m.kind == "rows":
            entry["column"] = ROWS
        elif m.kind == "distinct":
            entry["field"] = m.field
        else:
            entry["column"], entry["stated"] = sum_columns(m)
        out.append(entry)
    return out
