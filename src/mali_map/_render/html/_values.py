"""Small conversions every part of a page payload uses: inert JSON, text, numbers, years."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import numpy as np
import pandas as pd

from ..._core import cell_text
from ..._core import number as spelt_number

__all__ = ["TEXT_LIMITS", "dump_json", "format_number", "number", "texts", "year", "years"]

#: Longest texts kept in a marker popup or a programme line (characters).
TEXT_LIMITS = {"activity": 120, "place": 80, "source": 80, "id": 40}
_YEAR = re.compile(r"^\s*(\d{4})")
_JS_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
               "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JS_UNSAFE = re.compile("[<>&\u2028\u2029]")


def dump_json(payload: Any) -> str:
    """Compact JSON that is inert inside an HTML ``<script>`` element.

    >>> dump_json({"a": "</script><b>&"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _JS_UNSAFE.sub(lambda m: _JS_ESCAPES[m.group(0)], text)


def texts(values: pd.Series) -> pd.Series:
    """A column as trimmed text, missing values as ``''`` (vectorised
    :func:`mali_map._core.cell_text`, the one missing-value rule).

    Each distinct value is converted once.

    >>> texts(pd.Series([" a", None, 3, " a"])).tolist()
    ['a', '', '3', 'a']
    """
    codes, uniques = pd.factorize(pd.Series(values).astype(object), use_na_sentinel=True)
    cleaned = np.array([cell_text(u) for u in uniques] + [""], dtype=object)
    return pd.Series(cleaned[codes], index=getattr(values, "index", None), dtype=object)


def number(value: object) -> float | None:
    """``value`` as a finite float, or ``None``."""
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def year(value: object) -> int | None:
    """The year of an ISO date text (``'2016-03'`` -> 2016), or ``None``."""
    match = _YEAR.match(cell_text(value))
    return int(match.group(1)) if match else None


def years(values: pd.Series) -> pd.Series:
    """The year of each ISO date text as a float, ``NaN`` where none (vectorised :func:`year`)."""
    codes, uniques = pd.factorize(pd.Series(values).astype(object), use_na_sentinel=True)
    found = np.array([year(u) for u in uniques] + [None], dtype=float)
    return pd.Series(found[codes], index=getattr(values, "index", None))


def format_number(value: float, lang: str) -> str:
    """A count for display: ``12,345`` in English, ``12 345`` in French; ``–`` if missing.

    >>> format_number(12345.0, "fr")
    '12\\u202f345'
    >>> format_number(2.5, "en"), format_number(float("nan"), "en")
    ('2.5', '–')
    """
    if value is None or not math.isfinite(value):
        return "–"
    return spelt_number(value, lang, 0 if float(value).is_integer() else 1)
