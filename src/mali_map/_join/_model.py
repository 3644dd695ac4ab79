"""The join's output type: records joined to boundaries, with their join report.

How a result shows itself in a console or a notebook is registered from the render
layer (:func:`register_display`), so this module imports nothing above the join.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from .._geo import Boundaries
from .._read import RECORD_FIELDS
from .._reference import LEVELS, Level

__all__ = ["RECORD_FIELDS", "REPORT_COLUMNS", "STATUSES", "JoinResult", "joined_levels",
           "register_display", "report_columns"]


def joined_levels(boundaries: Boundaries | None = None) -> tuple[Level, ...]:
    """The levels a join gives a column to, top down: the levels records carry (a code or
    name field, :attr:`Level.record_code`) and the levels ``boundaries`` hold, read from
    the registry at call time.

    >>> [lv.key for lv in joined_levels()]
    ['adm1', 'adm2']
    """
    loaded = {lv.key for lv in boundaries.levels} if boundaries is not None else set()
    return tuple(lv for lv in LEVELS if lv.record_code or lv.record_name or lv.key in loaded)


def report_columns(levels: Iterable[Level] | None = None) -> tuple[str, ...]:
    """Columns of the join report, one row per input data row: the outcome (status, the
    P-code and name of the row's unit of each level (:attr:`Level.report_code`,
    :attr:`Level.report_name`), ``units`` for a record placed in several units, method,
    score, message, a suggested fix) and the row as written (organisation, sector,
    activity, location). ``levels``: those of :func:`joined_levels` by default.

    >>> report_columns()[:6]
    ('row', 'status', 'pcode', 'admin_name', 'adm2_pcode', 'adm2_name')
    """
    chosen = joined_levels() if levels is None else tuple(levels)
    return ("row", "status", *(c for lv in chosen for c in (lv.report_code, lv.report_name)),
            "units", "method", "score", "message", "suggestion", "organisation", "sector",
            "activity", "location")


#: The report columns of the levels registered at import (prefer :func:`report_columns`).
REPORT_COLUMNS: tuple[str, ...] = report_columns()

#: Join statuses. Invariant: rows in = the sum over the statuses. ``national``:
#: a national-level record (never a failure); ``multi``: placed in several units
#: (a cell naming several units or a named area such as "northern Mali").
STATUSES: tuple[str, ...] = ("matched", "warning", "national", "multi", "unmatched", "invalid")


@dataclass
class JoinResult:
    """Records joined to boundaries.

    ``records`` is a GeoDataFrame (EPSG:4326) with every input row: the record
    fields and ``row``, then ``pcode`` / ``admin_name`` (the matched top-level
    unit, ``None`` when unmatched), the :attr:`Level.unit_column` of each finer level of
    :func:`joined_levels` (the P-code of the row's unit of that level or ``None``; the
    second level's is ``adm2``), ``units``, ``join_status``, ``method``, ``score``,
    ``message``, ``conflict``, and a point ``geometry`` where the record has usable
    coordinates (else ``None``). ``report`` is the join report (:func:`report_columns`).
    """

    records: gpd.GeoDataFrame
    report: pd.DataFrame
    boundaries: Boundaries
    source: str = ""
    warnings: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[pd.DataFrame]:
        """Unpack as ``joined, report = join(...)``.

        >>> from mali_map._build._pipeline import join_files
        >>> joined, report = join_files()
        >>> type(joined).__name__, type(report).__name__, len(joined) == len(report)
        ('GeoDataFrame', 'DataFrame', True)
        """
        return iter((self.records, self.report))

    def __repr__(self) -> str:
        """One line with the source and the row counts by status (registered by the
        render layer, see :func:`register_display`)."""
        if _DISPLAY:
            return _DISPLAY["text"](self)
        return f"<JoinResult {self.source or 'records'}: {len(self.records)} rows>"

    def _repr_html_(self) -> str | None:
        """Jupyter's summary card: counts by status, rows needing attention, a small map."""
        return _DISPLAY["html"](self) if _DISPLAY else None

    @property
    def mapped(self) -> gpd.GeoDataFrame:
        """Records placed in an admin unit (status matched or warning)."""
        return self.records[self.records[LEVELS[0].unit_column].notna()]

    @property
    def not_mapped(self) -> gpd.GeoDataFrame:
        """Records on no map: unmatched, national-level or invalid."""
        return self.records[self.records[LEVELS[0].unit_column].isna()]


_DISPLAY: dict[str, Callable[[JoinResult], str]] = {}


def register_display(text: Callable[[JoinResult], str],
                     html: Callable[[JoinResult], str]) -> None:
    """Set how a :class:`JoinResult` shows itself: ``text`` for ``repr``, ``html`` for
    Jupyter's card. Called once by the render layer, which owns the card."""
    _DISPLAY.update(text=text, html=html)
