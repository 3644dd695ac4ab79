"""The objects that travel through the pipeline: records, boundaries, join results.

Records (``load_records``) are a :class:`pandas.DataFrame` with one row per input
data row and the canonical columns in :data:`RECORD_FIELDS`, plus ``row``: the
line number of that row in the source file (1-based, counting the header and
any HXL row). Missing values are ``pd.NA``/``NaN``/``None``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from ._metrics import METRIC_KEYS

#: Canonical record fields, in display order.
RECORD_FIELDS: tuple[str, ...] = (
    "id",
    "organisation",
    "sector",          # canonical sector key (see _vocabulary) or the text as written
    "activity",
    "adm1_pcode",
    "adm1_name",
    "adm2_pcode",
    "adm2_name",
    "place",
    "latitude",        # float, EPSG:4326
    "longitude",       # float, EPSG:4326
    "start_date",      # ISO text: "2016", "2016-03" or "2016-03-01"
    "end_date",
    "status",
    "reached",         # float beneficiaries reached, NaN where not stated
    "targeted",
    "precision",       # point / admin2 / admin1 / national
    "description",
    "source",
    "source_text",
    "country",         # the row's country as written (rows of another country are not placed)
)

#: Columns of the join report, one row per input data row: the outcome (status, the
#: region and cercle used, ``units`` for a record placed in several units, method,
#: score, message, a suggested fix) and the row as written (organisation, sector,
#: activity, location).
REPORT_COLUMNS: tuple[str, ...] = (
    "row", "status", "pcode", "admin_name", "adm2_pcode", "adm2_name", "units", "method",
    "score", "message", "suggestion", "organisation", "sector", "activity", "location",
)

#: Join statuses. Invariant: rows in = the sum over the statuses. ``national``:
#: a national-level record (never a failure); ``multi``: placed in several units
#: (a cell naming several units or a named area such as "northern Mali").
STATUSES: tuple[str, ...] = ("matched", "warning", "national", "multi", "unmatched", "invalid")

#: Metrics that maps can show per admin unit: the keys of the registry in ``_metrics``.
METRICS: tuple[str, ...] = METRIC_KEYS


@dataclass
class Boundaries:
    """Administrative boundaries in EPSG:4326.

    ``adm1`` has columns ``pcode``, ``name`` (display name), ``name_fr``,
    ``name_en``, ``iso`` and ``geometry``; ``adm2`` (optional) has ``pcode``,
    ``name``, ``parent_pcode`` (an ``adm1`` pcode) and ``geometry``.
    """

    adm1: gpd.GeoDataFrame
    adm2: gpd.GeoDataFrame | None = None
    attribution: tuple[str, ...] = ("Natural Earth (public domain)",)
    source: str = "embedded"
    warnings: list[str] = field(default_factory=list)


@dataclass
class JoinResult:
    """Records joined to boundaries.

    ``records`` is a GeoDataFrame (EPSG:4326) with every input row: the record
    fields and ``row``, then ``pcode`` / ``admin_name`` (the matched first-level
    unit, ``None`` when unmatched), ``adm2`` (matched second-level pcode or
    ``None``), ``join_status``, ``method``, ``score``, ``message``, and a point
    ``geometry`` where the record has usable coordinates (else ``None``).
    ``report`` is the join report (:data:`REPORT_COLUMNS`).
    """

    records: gpd.GeoDataFrame
    report: pd.DataFrame
    boundaries: Boundaries
    source: str = ""
    warnings: list[str] = field(default_factory=list)

    def __iter__(self) -> Iterator[pd.DataFrame]:
        """Unpack as ``joined, report = join(...)``.

        >>> from mali_map._pipeline import join_files
        >>> joined, report = join_files()
        >>> type(joined).__name__, type(report).__name__, len(joined) == len(report)
        ('GeoDataFrame', 'DataFrame', True)
        """
        return iter((self.records, self.report))

    def __repr__(self) -> str:
        """One line with the source and the row counts by status (see :mod:`._notebook`)."""
        from ._notebook import short_repr

        return short_repr(self)

    def _repr_html_(self) -> str:
        """Jupyter's summary card: counts by status, rows needing attention, a small map."""
        from ._notebook import summary_card

        return summary_card(self)

    @property
    def mapped(self) -> gpd.GeoDataFrame:
        """Records placed in an admin unit (status matched or warning)."""
        return self.records[self.records["pcode"].notna()]

    @property
    def not_mapped(self) -> gpd.GeoDataFrame:
        """Records on no map: unmatched, national-level or invalid."""
        return self.records[self.records["pcode"].isna()]
