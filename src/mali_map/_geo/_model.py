"""The boundaries type: one GeoDataFrame per administrative level, with aliases and
cached look-ups."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import geopandas as gpd

from .._core import label
from .._reference import LEVELS, Level
from .._reference import level as _level
from ._lookup import UnitIndex

__all__ = ["Boundaries"]

#: Levels stored in a field of their own (the public constructor's arguments).
_NAMED = ("adm1", "adm2", "adm3")


@dataclass
class Boundaries:
    """Administrative boundaries in EPSG:4326.

    ``adm1`` has columns ``pcode``, ``name`` (display name), ``name_fr``,
    ``name_en``, ``iso`` and ``geometry``; ``adm2`` (optional) has ``pcode``,
    ``name``, ``parent_pcode`` (an ``adm1`` pcode) and ``geometry``. Levels are described
    in :mod:`mali_map._reference._levels`; :meth:`index` looks units up by code, name or alias.
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
    #: Units of registered levels below ``adm3``, by level key (see :meth:`with_units`).
    finer: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    _indexes: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def units(self, level: str | int | Level) -> gpd.GeoDataFrame | None:
        """The units of one level (``"adm1"``, ``2``...), ``None`` when not loaded."""
        key = _level(level).key
        return getattr(self, key) if key in _NAMED else self.finer.get(key)

    @property
    def levels(self) -> tuple[Level, ...]:
        """The levels loaded, top down, without a gap (the levels of the maps and tables).

        >>> from mali_map._geo._boundaries import load_boundaries
        >>> [lv.key for lv in load_boundaries().levels]
        ['adm1', 'adm2']
        """
        out = []
        for lv in LEVELS:
            if self.units(lv) is None:
                break
            out.append(lv)
        return tuple(out)

    def with_units(self, level: str | int | Level, units: gpd.GeoDataFrame | None) -> Boundaries:
        """A copy with one level's units set (columns as ``adm2``: ``pcode``, ``name``,
        ``parent_pcode``, ``geometry``)."""
        key = _level(level).key
        if key in _NAMED:
            return replace(self, **{key: units})
        finer = {k: v for k, v in self.finer.items() if k != key}
        if units is not None:
            finer[key] = units
        return replace(self, finer=finer)

    def index(self, level: str | int = "adm1") -> UnitIndex:
        """The look-up of one level's units by code, name, alias or fuzzy name, built once.

        >>> from mali_map._geo._boundaries import load_boundaries
        >>> b = load_boundaries().with_aliases(adm1={"Bélédougou": "Koulikoro"})
        >>> b.index("adm1").find("Région de Bélédougou").pcode, b.index(2).find("Djenne").pcode
        ('ML02', 'ML0503')
        """
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
