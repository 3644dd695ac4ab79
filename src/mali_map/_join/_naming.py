"""Names, areas, places and towns: the text rules of the resolver, on top of the unit
look-up of each level (:class:`~mali_map._geo.UnitIndex`).

A top-level name may list several units ("Gao, Kidal") or be a named area ("northern
Mali"); a place may be an area, a unit of any level, or a town of the gazetteer (placed
at its cercle, at its coordinates when it has them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .._core import fold, join_message
from .._geo import Boundaries, UnitIndex
from .._read import NATIONAL_MARKERS
from .._reference import LEVELS, Level, Place, find_place, name_key, reforms

__all__ = ["Hit", "Match", "Naming"]

#: Separators between several units named in one cell.
SEPARATORS = re.compile(r"\s*(?:[,;/+&]|\bet\b|\band\b)\s*", re.IGNORECASE)


@dataclass
class Match:
    """What one combination of location texts gives."""

    pcode: str | None = None         # the top-level unit
    finer: dict[str, str] = field(default_factory=dict)  # units of finer levels, by key
    unit: str | None = None          # the unit of one level (a finer level's look-up)
    method: str = ""
    score: float = np.nan
    warnings: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    units: tuple[str, ...] = ()      # several units (a multi-unit cell or a named area)
    foreign: bool = False            # the row's country is not Mali
    conflict: bool = False           # a code, name or point contradicts the unit used
    national: bool = False           # a national-level record
    named_by: str | None = None      # what gave the unit: code, name, cercle, place
    doubt: str | None = None         # why a swapped point would not be trusted
    suggestion: str | None = None    # a fix the user can apply
    point: tuple[float, float] | None = None  # a gazetteer town's (latitude, longitude)


@dataclass
class Hit:
    """A top-level unit found for a text (with the finer units it gives, if any)."""

    pcode: str
    method: str
    score: float
    notes: list[str] = field(default_factory=list)
    units: tuple[str, ...] = ()
    finer: dict[str, str] = field(default_factory=dict)
    point: tuple[float, float] | None = None  # (latitude, longitude) of a gazetteer town


class Naming:
    """The look-ups of every loaded level and the text rules built on them."""

    def __init__(self, boundaries: Boundaries, threshold: float,
                 places: Callable[[str], Sequence[Place]] | None, lang: str) -> None:
        self.levels = boundaries.levels
        self.top = self.levels[0]
        self.index: dict[str, UnitIndex] = {lv.key: boundaries.index(lv.key)
                                            for lv in self.levels}
        self.top_index = self.index[self.top.key]
        self.threshold = threshold
        self.places = find_place if places is None else places
        self.lang = lang

    def say(self, key: str, **values: object) -> str:
        return join_message(key, self.lang, **values)

    def chain(self, lv: Level, unit: str) -> dict[str, str]:
        """``unit`` (of level ``lv``) and its parents, by level key, as far as the loaded
        parents go."""
        out = {lv.key: unit}
        while lv.parent is not None:
            parent = self.index[lv.key].parent.get(unit)
            if not parent:
                break
            lv, unit = lv.parent, parent
            out[lv.key] = unit
        return out

    def _use(self, match: Match, hit: Hit, named_by: str) -> None:
        match.pcode = None if hit.units else hit.pcode
        match.units = hit.units
        match.finer, match.point = dict(hit.finer), hit.point
        match.method, match.score, match.named_by = hit.method, hit.score, named_by
        match.warnings.extend(hit.notes)

    def _shown(self, hit: Hit) -> str:
        return ", ".join(self.top_index.display.get(p, p) for p in (hit.units or (hit.pcode,)))

    def _listed(self, index: UnitIndex, pcodes: tuple[str, ...]) -> str:
        return ", ".join(f"{index.display.get(p, p)} ({p})" for p in pcodes)

    def _name(self, match: Match, name: str) -> Hit | None:
        """One unit, a named area, or several units separated by , ; / + & et and."""
        single = self._one_name(match, name, fuzzy=False)
        if single is not None or match.failures:
            return single
        area = self._area(name)
        if area is not None:
            return area
        parts = [p for p in SEPARATORS.split(name) if p.strip()]
        if len(parts) < 2:
            return self._one_name(match, name, fuzzy=True)
        hits, missing = [], []
        for part in parts:
            hit = self._one_name(Match(), part, fuzzy=True)
            if hit is None:
                missing.append(part)
            else:
                hits.append(hit)
        if missing:
            match.failures.append(self.say("parts_unknown", name=repr(name),
                                           parts=", ".join(map(repr, missing))))
            return None
        units = tuple(dict.fromkeys(u for h in hits for u in (h.units or (h.pcode,))))
        notes = [n for h in hits for n in h.notes]
        if len(units) == 1:
            return Hit(units[0], hits[0].method, min(h.score for h in hits), notes)
        return self._several(name, units, notes, "multi")

    def _several(self, text: str, units: tuple[str, ...], notes: list[str],
                 method: str) -> Hit:
        if method != "area":  # an area's note already names its units
            shown = ", ".join(self.top_index.display.get(p, p) for p in units)
            notes = [*notes, self.say("several", text=repr(text), count=len(units),
                                      units=shown)]
        return Hit(units[0], method, 100.0, [*notes, self.say("counting")], units)

    def _area(self, text: str) -> Hit | None:
        area = reforms()["area"].get(name_key(text))
        if area is None:
            return None
        units = tuple(u for u in (self.top_index.reference(p) for p in area.within) if u)
        if len(units) != len(area.within):
            return None
        return self._several(text, units, [area.note(self.lang)], "area")

    def _one_name(self, match: Match, name: str, fuzzy: bool) -> Hit | None:
        """A top-level unit by name: exact, alias, a later reform, then (``fuzzy``) fuzzy."""
        index = self.top_index
        found = index.name(name, threshold=self.threshold if fuzzy else None, lang=self.lang)
        if found is not None and found.others:
            shared = (found.pcode, *found.others)
            match.failures.append(self.say("name_shared", name=repr(name), count=len(shared),
                                           units=self._listed(index, shared)))
            return None
        if found is not None:
            return Hit(found.pcode, found.method, found.score,
                       [found.note] if found.note else [])
        if not fuzzy:
            return None
        match.failures.append(self.say("name_unknown", name=repr(name),
                                       level=self.top.number))
        near = index.best(name_key(name))
        if near is not None and near[1] >= 60:
            match.suggestion = self.say("fix.alias", name=name, unit=index.display[near[0]])
        return None

    def _place(self, match: Match, place: str) -> Hit | None:
        """A place column: a named area, a region, a town of the gazetteer, a finer unit."""
        hit = self._area(place)
        if hit is not None:
            return hit
        scratch = Match()
        hit = self._one_name(scratch, place, fuzzy=False)
        if scratch.failures:  # a name several units share
            match.failures.extend(scratch.failures)
            return None
        if hit is not None and hit.method in ("name", "alias"):
            hit.notes.append(self.say("place_unit", place=repr(place)))
            hit.method = "place"
            return hit
        town = self._town(match, place, None)
        if town is not None or match.failures:
            return town
        for lv in self.levels[1:]:
            unit = Match()
            self._level(unit, lv, None, place, None, fuzzy=False)
            chain = self.chain(lv, unit.unit) if unit.unit else {}
            top = chain.pop(self.top.key, None)
            if top in self.top_index.known:
                return Hit(top, "place", 100.0, [self.say("place_unit", place=repr(place))],
                           finer=chain)
            match.failures.extend(unit.failures)  # only a name several units share
        if hit is not None:  # a unit of a later reform
            hit.method = "place"
            return hit
        if len([p for p in SEPARATORS.split(place) if p.strip()]) > 1:
            return self._name(match, place)  # several regions, all known, or a failure
        return None

    def _town(self, match: Match, place: str, region: str | None) -> Hit | None:
        """The town ``place`` of the gazetteer (in ``region`` when given), at its finest
        loaded unit."""
        found = [p for p in self.places(place)
                 if region is None or self.top_index.reference(p.unit(self.top)) == region]
        if not found:
            return None
        if any(len({p.unit(lv) for p in found}) > 1 for lv in LEVELS):
            units = ", ".join(f"{p.name} ({p.finest})" for p in found)
            match.failures.append(self.say("place_shared", place=repr(place),
                                           count=len(found), units=units))
            return None
        town = found[0]
        pcode = self.top_index.reference(town.unit(self.top))
        if pcode is None:
            return None
        finer: dict[str, str] = {}
        for lv in reversed(self.levels[1:]):
            unit = town.unit(lv)
            if unit in self.index[lv.key].known:
                chain = self.chain(lv, unit)
                if chain.pop(self.top.key, pcode) == pcode:
                    finer = chain
                    break
        where = ", ".join(filter(None, (*(self.index[key].display.get(unit)
                                            for key, unit in finer.items()),
                                          self.top_index.display[pcode])))
        located = town.latitude is not None and town.longitude is not None
        notes = [self.say("place_town", place=repr(place), town=town.name,
                          source=town.attribution, unit=where),
                 self.say("place_point" if located else "place_no_point")]
        return Hit(pcode, "place", 100.0, notes, finer=finer,
                   point=(town.latitude, town.longitude) if located else None)

    def _refine(self, match: Match, place: str) -> None:
        """The finer units of a row placed at the top level, from a town of that unit it
        names."""
        if fold(place) in NATIONAL_MARKERS or self.top_index.names.get(name_key(place)):
            return
        town = self._town(Match(), place, match.pcode)
        if town is not None and town.finer:
            match.finer = dict(town.finer)

    def _level(self, match: Match, lv: Level, code: str | None, name: str | None,
               parent: str | None, fuzzy: bool = True) -> None:
        """A unit of a finer level by code, then name (exact, alias, fuzzy within
        ``parent``); sets ``match.unit``."""
        index = self.index[lv.key]
        if code:
            found = index.code(code, self.lang, finer=False)
            if found is not None:
                match.unit, match.method, match.score = found.pcode, "pcode", 100.0
                return
            match.failures.append(self.say("code_level_absent", code=repr(code),
                                           level=lv.number))
        if not name:
            return
        found = index.name(name, threshold=self.threshold if fuzzy else None, parent=parent,
                           lang=self.lang)
        if found is not None and found.others:
            shared = (found.pcode, *found.others)
            match.failures.append(self.say("name_shared", name=repr(name), count=len(shared),
                                           units=self._listed(index, shared)))
            return
        if found is not None:
            match.unit, match.method, match.score = found.pcode, found.method, found.score
            if found.note:
                match.warnings.append(found.note)
            return
        if fuzzy:
            match.failures.append(self.say("name_unknown", name=repr(name), level=lv.number))
