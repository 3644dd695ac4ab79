"""The objects that travel through the pipeline: records, boundaries, join results.

Records (``load_records``) are a :class:`pandas.DataFrame` with one row per input
data row and the canonical columns in :data:`RECORD_FIELDS`, plus ``row``: the
line number of that row in the source file (1-based, counting the header and
any HXL row). Missing values are ``pd.NA``/``NaN``/``None``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import geopandas as gpd
import pandas as pd

from ._i18n import label
from ._metrics import METRIC_KEYS

if TYPE_CHECKING:
    from ._lookup import UnitIndex

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
    ``name``, ``parent_pcode`` (an ``adm1`` pcode) and ``geometry``. Levels are described
    in :mod:`mali_map._levels`; :meth:`index` looks units up by code, name or alias.
    """

    adm1: gpd.GeoDataFrame
    adm2: gpd.GeoDataFrame | None = None
    attribution: tuple[str, ...] = (label("attribution.natural_earth"),)
    source: str = "embedded"
    warnings: list[str] = field(default_factory=list)
    #: Communes (ADM3, optional, ``load_boundaries(adm3=...)``): as ``adm2``, with
    #: ``parent_pcode`` an ``adm2`` pcode. Only the look-up uses them so far.
    adm3: gpd.GeoDataFrame | None = None
    #: Extra spellings per level key (``{"adm1": {"Bélédougou": "ML02"}}``), given once and
    #: used by every look-up (join, ``--region``); see :meth:`with_aliases`.
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)
    _indexes: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def units(self, level: str | int) -> gpd.GeoDataFrame | None:
        """The units of one level (``"adm1"``, ``2``...), ``None`` when not loaded."""
        from ._levels import level as _level

        return getattr(self, _level(level).key, None)

    def index(self, level: str | int = "adm1") -> UnitIndex:
        """The look-up of one level's units by code, name, alias or fuzzy name, built once.

        >>> from mali_map._boundaries import load_boundaries
        >>> b = load_boundaries().with_aliases(adm1={"Bélédougou": "Koulikoro"})
        >>> b.index("adm1").find("Région de Bélédougou").pcode, b.index(2).find("Djenne").pcode
        ('ML02', 'ML0503')
        """
        from ._levels import level as _level
        from ._lookup import UnitIndex

        key = _level(level).key
        units = self.units(key)
        if units is None:
            raise ValueError(f"no {key} boundaries loaded")
        cached = self._indexes.get(key)
        if cached is None or cached[0] is not units or cached[1] != len(units):
            cached = (units, len(units), UnitIndex.from_units(units, key,
                                                              self.aliases.get(key)))
            self._indexes[key] = cached
        return cached[2]

    def with_aliases(self, **aliases: Mapping[str, str] | None) -> Boundaries:
        """A copy with extra spellings per level (``adm1={...}``, ``adm2={...}``) added;
        a target that is no unit raises ``ValueError`` naming the choices."""
        merged = {k: dict(v) for k, v in self.aliases.items()}
        for key, table in aliases.items():
            if table:
                merged.setdefault(key, {}).update(table)
        out = replace(self, aliases=merged)
        for key in merged:
            if out.units(key) is not None:
                out.index(key)  # check the targets now
        return out


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
