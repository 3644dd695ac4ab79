"""The join report: one row per record with its status, the unit of each level, how it
was found, the message and a suggested fix, and the row's location as written."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .._core import cell_text
from .._geo import Boundaries
from .._reference import Level
from ._model import report_columns
from ._points import Points
from ._vectors import column, joined, spread

__all__ = ["locations", "refusal", "report_frame"]


def report_frame(frame: pd.DataFrame, boundaries: Boundaries, levels: Sequence[Level],
                 units: dict[str, np.ndarray], status: np.ndarray, unit_lists: np.ndarray,
                 message: np.ndarray, suggestion: np.ndarray,
                 location: np.ndarray) -> pd.DataFrame:
    """The report of a join: ``units`` are each finer level's P-codes by key (the top
    level's are ``frame``'s ``pcode`` / ``admin_name``); names come from the boundaries'
    own look-up (:class:`~mali_map._geo.UnitIndex`)."""
    top = levels[0]
    data: dict[str, object] = {
        "row": frame["row"].values,
        "status": status,
        top.report_code: frame[top.unit_column].astype("string").values,
        top.report_name: frame["admin_name"].astype("string").values,
    }
    loaded = {lv.key for lv in boundaries.levels}
    for lv in levels[1:]:
        names = boundaries.index(lv.key).display if lv.key in loaded else {}
        data[lv.report_code] = pd.array(units[lv.key], dtype="string")
        data[lv.report_name] = pd.array(pd.Series(units[lv.key], dtype=object).map(
            names).to_numpy(dtype=object), dtype="string")
    data.update({
        "units": pd.array(unit_lists, dtype="string"),
        "method": frame["method"].values,
        "score": frame["score"].astype(float).values,
        "message": message,
        "suggestion": pd.array(suggestion, dtype="string"),
        "organisation": frame["organisation"].astype("string").values,
        "sector": frame["sector"].astype("string").values,
        "activity": frame["activity"].astype("string").values,
        "location": pd.array(location, dtype="string"),
    })
    return pd.DataFrame(data, columns=list(report_columns(levels)))


def refusal(i: int, foreign: np.ndarray, doubt: np.ndarray, pcode: np.ndarray,
            pts: Points, frame: pd.DataFrame) -> str:
    """Why a swapped reading that falls in Mali was not used for row ``i``."""
    if foreign[i]:
        return pts.say("refuse_country", country=repr(cell_text(frame["country"].iat[i])
                                                      or None))
    if doubt[i]:
        return doubt[i]
    return pts.say("refuse_unit", unit=repr(pts.name(pcode[i])))


def locations(combos: list[tuple], combo: np.ndarray, pts: Points, written: int) -> np.ndarray:
    """The location of each row as written: the first ``written`` values of its
    combination (codes, names, place, country), then its coordinates."""
    texts = column([" / ".join(v for v in values[:written] if v) or None for values in combos],
                   combo)
    rows = np.flatnonzero(pts.has)
    lat, lon = pts.raw_lat[rows], pts.raw_lon[rows]
    coords = np.empty(len(rows), dtype=object)
    coords[:] = [f"{a:g}, {b:g}" for a, b in zip(lat.tolist(), lon.tolist(), strict=True)]
    texts[rows] = joined(rows, texts, spread(coords, rows, len(texts)))
    return texts
