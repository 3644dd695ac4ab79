"""Column helpers of the join: values cleaned once per distinct value, per-combination
results broadcast to the rows, messages joined row by row."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .._core import cell_text, is_missing

__all__ = ["column", "constant", "distinct", "flags", "issue_texts", "joined", "spread",
           "texts", "where"]


def texts(column: pd.Series) -> np.ndarray:
    """The cleaned text of every value (``None``: missing or blank), computed once per
    distinct value."""
    codes, labels = _text_codes(column)
    return labels[codes + 1]


def _text_codes(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the distinct cleaned values and the values (``-1``: empty).

    ``labels[codes + 1]`` gives the cleaned value of each row (``labels[0]`` is ``None``).
    """
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    cleaned = [cell_text(u) or None for u in uniques]  # blank as missing
    merged, labels = pd.factorize(np.array(cleaned, dtype=object), use_na_sentinel=True)
    lookup = np.append(merged, -1)  # code -1 (missing) stays -1
    return lookup[codes], np.array([None, *labels], dtype=object)


def column(values: list, combo: np.ndarray) -> np.ndarray:
    """Per-combination ``values`` broadcast to the rows (an object array)."""
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out[combo]


def flags(values: list[bool], combo: np.ndarray) -> np.ndarray:
    """Per-combination booleans broadcast to the rows."""
    return np.array(values, dtype=bool)[combo] if values else np.zeros(len(combo), dtype=bool)


def constant(text: str, n: int) -> np.ndarray:
    """``text`` on each of ``n`` rows."""
    return np.full(n, text, dtype=object)


def distinct(frame: pd.DataFrame, columns: tuple[str, ...],
             flag: np.ndarray) -> tuple[np.ndarray, list[tuple]]:
    """Each row's combination number and the distinct combinations of ``columns``.

    Values are cleaned (stripped, blank as ``None``); each combination ends with the
    row's ``flag``.
    """
    n = len(frame)
    key = flag.astype(np.int64)
    parts = []
    for name in columns:
        codes, labels = _text_codes(frame[name])
        parts.append((codes, labels))
        key = pd.factorize(key * len(labels) + codes + 1)[0]
    combo, count = key, (int(key.max()) + 1 if n else 0)
    first = np.zeros(count, dtype=np.int64)
    first[combo[::-1]] = np.arange(n)[::-1]
    combos = [(*(labels[codes[i] + 1] for codes, labels in parts), bool(flag[i]))
              for i in first]
    return combo, combos


def where(mask: np.ndarray, build: Callable[[int], str], n: int) -> np.ndarray:
    """An object array with ``build(i)`` where ``mask`` holds and ``None`` elsewhere."""
    out = np.full(n, None, dtype=object)
    for i in np.flatnonzero(mask):
        out[i] = build(i)
    return out


def spread(values: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    """``values`` at ``rows`` of ``n`` rows, ``None`` elsewhere."""
    out = np.full(n, None, dtype=object)
    out[rows] = values
    return out


def joined(rows: np.ndarray, *parts: np.ndarray) -> np.ndarray:
    """For each of ``rows``, its non-empty ``parts`` joined with "; "."""
    columns = [p[rows] for p in parts]
    out = np.empty(len(rows), dtype=object)
    out[:] = ["; ".join(filter(None, values)) for values in zip(*columns, strict=True)]
    return out


def issue_texts(column: pd.Series) -> np.ndarray:
    """The validation issues of each row joined with "; " (``None`` when there are none)."""
    values = column.to_numpy(dtype=object)
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    except TypeError:  # unhashable (lists): one at a time
        return np.array([_issue_text(v) for v in values], dtype=object)
    return np.array([None, *(_issue_text(u) for u in uniques)], dtype=object)[codes + 1]


def _issue_text(value: object) -> str | None:
    if is_missing(value):
        return None
    if isinstance(value, str):
        return value or None
    return "; ".join(str(v) for v in value) or None

